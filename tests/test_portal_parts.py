"""The parts a county portal carries (issue 16): 政策解读 linked both ways to its policy, in 图解 and
问答 forms too, counted by the catalogue; 领导之窗 and 机构职能 pages shared with the services'
departments; 专题专栏; the site map; 网站声明 and 隐私政策 linked from every personal-data form;
the footer's identity marks. Each page type goes live only through the county's review."""

import datetime
import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, PageViewRestriction, Site
from wagtail.test.utils.form_data import inline_formset

from home.models import (
    ArticlePage,
    ColumnPage,
    DepartmentPage,
    InterpretationPage,
    InterpretationQuestion,
    LeaderPage,
    NewMediaAccount,
    PortalSettings,
    SitemapPage,
    SitePolicyPage,
    TopicPage,
    TopicSelection,
)
from home.review import ReviewRefused, submit_for_review
from services.appointments.models import Location, Service

from .builders import add_page, login_staff
from .review_builders import act, article_form, current_task_state

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def make_image(title="图"):
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "#336699").save(buffer, format="PNG")
    image = get_image_model()(title=title, collection=Collection.get_first_root_node())
    image.file = ImageFile(buffer, name=f"{title}.png")
    image._set_image_file_metadata()
    image.save()
    return image


def interpretation_column(site):
    section = site.portal.policy.get_parent()
    return add_page(
        section,
        ColumnPage(title="政策解读", slug="zcjd", kind=ColumnPage.Kind.INTERPRETATION, is_disclosure=True),
    )


def interpretation(policy=None, **fields):
    values = {
        "title": "《2026年民生实事项目》政策解读",
        "slug": "jiedu-minsheng",
        "summary": "解读今年十件民生实事。",
        "body": "<p>今年确定十件民生实事，涉及教育、养老、交通等领域。</p>",
        "source": "县政府办公室",
        "collected_on": TODAY,
        "collector": "李晓明",
        "issuing_body": "青山县人民政府办公室",
        "written_on": TODAY,
        "topic": "general",
        "policy": policy,
    }
    values.update(fields)
    return InterpretationPage(**values)


def walk_review(client, site, page):
    for reviewer in ("managing", "chief"):
        login_staff(client, site.users[reviewer])
        assert act(client, page, "approve") == 200


# --- 政策解读 ------------------------------------------------------------------------------------


def test_policy_and_interpretation_link_each_other_once_both_are_live(client, site):
    policy = site.portal.article
    column = interpretation_column(site)
    page = add_page(column, interpretation(policy))

    policy_html = client.get(policy.url).content.decode()
    assert 'id="interpretations"' in policy_html
    assert f'href="{page.url}"' in policy_html
    assert "（文字解读）" in policy_html
    page_html = client.get(page.url).content.decode()
    assert "原文：" in page_html
    assert f'href="{policy.url}"' in page_html


def test_no_link_to_a_draft_on_either_side(client, site):
    column = interpretation_column(site)
    draft_policy = ArticlePage(title="尚未发布的文件", slug="draft-policy", body="<p>草稿</p>", live=False)
    site.portal.policy.add_child(instance=draft_policy)
    published = add_page(column, interpretation(draft_policy))
    assert "原文：" not in client.get(published.url).content.decode()

    draft = interpretation(site.portal.article, slug="jiedu-draft", title="解读草稿", live=False)
    column.add_child(instance=draft)
    assert "解读草稿" not in client.get(site.portal.article.url).content.decode()


def test_graphic_and_qa_forms_show_their_picture_text_and_questions(client, site):
    column = interpretation_column(site)
    graphic = interpretation(
        site.portal.article,
        slug="tujie",
        title="图解民生实事",
        form=InterpretationPage.Form.GRAPHIC,
        graphic=make_image("图解"),
        graphic_text="十件民生实事一览",
    )
    graphic = add_page(column, graphic)
    qa = interpretation(site.portal.article, slug="wenda", title="民生实事问答", form=InterpretationPage.Form.QA)
    qa.questions = [InterpretationQuestion(question="哪些项目？", answer="共十项。")]
    qa = add_page(column, qa)

    graphic_html = client.get(graphic.url).content.decode()
    assert "<img" in graphic_html.split('class="interpretation-graphic"')[1].split("</figure>")[0]
    assert "十件民生实事一览" in graphic_html
    qa_html = client.get(qa.url).content.decode()
    assert "哪些项目？" in qa_html and "共十项。" in qa_html
    policy_html = client.get(site.portal.article.url).content.decode()
    assert "（图解）" in policy_html and "（问答）" in policy_html


def test_submission_refuses_an_interpretation_without_its_policy_picture_or_questions(site):
    column = interpretation_column(site)
    editor = site.users["editor"]
    for fields, message in (
        ({"policy": None}, "所解读的政策文件"),
        ({"form": InterpretationPage.Form.GRAPHIC}, "图解图片"),
        ({"form": InterpretationPage.Form.QA}, "至少填写一组问答"),
    ):
        fields = {"policy": site.portal.article, **fields}
        page = interpretation(slug=f"bad-{fields.get('form', 'none')}", live=False, **fields)
        column.add_child(instance=page)
        with pytest.raises(ReviewRefused, match=message):
            submit_for_review(page, editor)


def test_the_admin_form_refuses_a_qa_without_questions_and_keeps_nothing_live(client, site):
    column = interpretation_column(site)
    login_staff(client, site.users["editor"])
    data = article_form(
        title="民生实事问答",
        issuing_body="青山县人民政府办公室",
        written_on=TODAY.isoformat(),
        topic="general",
        policy=site.portal.article.pk,
        form="qa",
        graphic="",
        graphic_text="",
        questions=inline_formset([]),
    )
    data["action-submit"] = "1"
    response = client.post(f"/admin/pages/add/home/interpretationpage/{column.pk}/", data)
    assert response.status_code == 200
    assert "问答形式须至少填写一组问答。" in response.content.decode()
    assert not InterpretationPage.objects.filter(title="民生实事问答").exists()


def test_an_interpretation_goes_live_only_through_review_and_is_counted_in_the_catalogue(client, site):
    column = interpretation_column(site)
    page = interpretation(site.portal.article, live=False)
    column.add_child(instance=page)
    assert not page.permissions_for_user(site.users["chief"]).can_publish()
    submit_for_review(page, site.users["editor"])
    assert current_task_state(page) is not None
    walk_review(client, site, page)
    page = InterpretationPage.objects.get(pk=page.pk)
    assert page.live and page.index_no, "published through review, with its catalogue index number"

    catalogue = add_page(
        site.portal.policy.get_parent(),
        ColumnPage(title="信息公开目录", slug="xxgkml", kind=ColumnPage.Kind.CATALOGUE, is_disclosure=True),
    )
    html = client.get(catalogue.url).content.decode()
    assert "其中政策解读 1 条" in html
    assert f'href="{site.portal.article.url}#interpretations">解读（1）</a>' in html


# --- 领导之窗, 机构职能, 专题专栏 -------------------------------------------------------------------


def test_leader_and_department_pages_are_listed_and_shared_with_the_departments_columns(client, site):
    leaders = add_page(site.portal.home, ColumnPage(title="领导之窗", slug="ldzc", kind=ColumnPage.Kind.LEADERS))
    add_page(leaders, LeaderPage(title="林志远", slug="lzy", position="县长", duties="<p>主持全面工作。</p>"))
    departments = add_page(
        site.portal.home, ColumnPage(title="机构职能", slug="jgzn", kind=ColumnPage.Kind.DEPARTMENTS)
    )
    page = add_page(
        departments,
        DepartmentPage(
            title="县教育局",
            slug="jyj",
            department=site.education,
            functions="<p>统筹全县教育发展。</p>",
            address="青山县行政中心",
            hours="工作日",
            phone="0123-8821102",
        ),
    )
    leaders_html = client.get(leaders.url).content.decode()
    assert "林志远" in leaders_html and "县长" in leaders_html
    assert "统筹全县教育发展。" in client.get(page.url).content.decode()
    column_html = client.get(site.education_news.url).content.decode()
    assert f'责任部门：<a href="{page.url}">县教育局</a>' in column_html
    assert f'href="{site.education_news.url}"' in client.get(page.url).content.decode()
    # The health department has no live page: its column names no link.
    assert "责任部门：" not in client.get(site.health_news.url).content.decode()
    # Appointments name the same page for the same department.
    hall = Location.objects.create(name="县行政中心", address="青山县行政中心", department=site.education)
    service = Service.objects.create(name="教师资格认定", slug="jszg", department=site.education, location=hall)
    link = f'<a href="{page.url}">县教育局</a>'
    assert link in client.get("/appointments/").content.decode()
    assert link in client.get(f"/appointments/services/{service.slug}/").content.decode()


def test_a_department_page_goes_live_through_review_only(client, site):
    departments = add_page(
        site.portal.home, ColumnPage(title="机构职能", slug="jgzn", kind=ColumnPage.Kind.DEPARTMENTS)
    )
    page = DepartmentPage(
        title="县卫生健康局",
        slug="wjj",
        department=site.health,
        functions="<p>职能</p>",
        address="行政中心",
        hours="工作日",
        phone="1",
        live=False,
    )
    departments.add_child(instance=page)
    for user in site.users.values():
        assert not page.permissions_for_user(user).can_publish()
    submit_for_review(page, site.users["editor"])
    walk_review(client, site, page)
    assert DepartmentPage.objects.get(pk=page.pk).live


def test_a_topic_gathers_tagged_and_selected_live_articles(client, site):
    topics = add_page(site.portal.home, ColumnPage(title="专题专栏", slug="ztzl", kind=ColumnPage.Kind.TOPICS))
    tagged = ArticlePage(title="营商环境动态", slug="ys", body="<p>正文</p>", source="办", collector="李")
    tagged.tags.add("营商环境")
    add_page(site.portal.news, tagged)
    draft = ArticlePage(title="营商环境草稿", slug="ys-draft", body="<p>正文</p>", live=False)
    draft.tags.add("营商环境")
    site.portal.news.add_child(instance=draft)
    topic = TopicPage(title="优化营商环境", slug="ys-topic", intro="专题", tag="营商环境")
    topic.selections = [TopicSelection(article=site.portal.guide)]
    topic = add_page(topics, topic)

    html = client.get(topic.url).content.decode()
    assert "营商环境动态" in html and "不动产登记办事指南" in html
    assert "营商环境草稿" not in html
    assert "优化营商环境" in client.get(topics.url).content.decode()


# --- 网站地图, 网站声明, 隐私政策 ---------------------------------------------------------------------


def test_the_site_map_lists_every_live_public_page_and_no_draft_or_private_one(client, site):
    home = site.portal.home
    sitemap = add_page(home, SitemapPage(title="网站地图", slug="sitemap"))
    draft_column = ColumnPage(title="未发布栏目", slug="draft-col", live=False)
    home.add_child(instance=draft_column)
    under_draft = ArticlePage(title="草稿栏目下的信息", slug="under-draft", body="<p>x</p>", live=True)
    draft_column.add_child(instance=under_draft)
    private = add_page(home, ColumnPage(title="内部栏目", slug="private-col"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    add_page(private, ArticlePage(title="内部信息", slug="internal", body="<p>x</p>", source="办", collector="李"))

    html = client.get(sitemap.url).content.decode()
    root = Site.objects.get(is_default_site=True).root_page
    expected = Page.objects.live().public().descendant_of(root).exclude(path__startswith=draft_column.path)
    for page in expected.specific():
        assert f'href="{page.url}"' in html, page.title
    for title in ("未发布栏目", "草稿栏目下的信息", "内部栏目", "内部信息"):
        assert title not in html


def site_policies(site):
    home = site.portal.home
    for kind, title, slug in (("statement", "网站声明", "statement"), ("privacy", "隐私政策", "privacy")):
        add_page(home, SitePolicyPage(title=title, slug=slug, kind=kind, effective_on=TODAY, body="<p>内容</p>"))


PERSONAL_DATA_FORMS = ["/letters/write/", "/cases/query/", "/accounts/signup/"]


@pytest.mark.parametrize("url", PERSONAL_DATA_FORMS)
def test_personal_data_forms_link_the_statement_and_privacy_policy(client, site, url):
    site_policies(site)
    html = client.get(url).content.decode()
    assert '<a href="/privacy/">《隐私政策》</a>' in html
    assert '<a href="/statement/">《网站声明》</a>' in html


def test_signed_in_account_forms_link_the_privacy_policy(client, site):
    from django.contrib.auth import get_user_model

    site_policies(site)
    client.force_login(get_user_model().objects.create_user(username="citizen", password="Test#citizen2026"))
    assert '<a href="/privacy/">《隐私政策》</a>' in client.get("/accounts/me/real-name/").content.decode()


@pytest.mark.parametrize("url", PERSONAL_DATA_FORMS)
def test_without_live_statements_the_forms_link_nothing(client, site, url):
    home = site.portal.home
    draft = SitePolicyPage(title="隐私政策", slug="privacy", kind="privacy", effective_on=TODAY, body="<p>x</p>")
    draft.live = False
    home.add_child(instance=draft)
    html = client.get(url).content.decode()
    assert "personal-data-notice" not in html and "/privacy/" not in html


def test_only_one_privacy_policy_per_site(site):
    from django.core.exceptions import ValidationError

    site_policies(site)
    second = SitePolicyPage(title="隐私政策二", slug="privacy2", kind="privacy", effective_on=TODAY, body="<p>x</p>")
    with pytest.raises(ValidationError):
        site.portal.home.add_child(instance=second)


# --- Footer and identity -----------------------------------------------------------------------


def test_the_footer_shows_the_identity_marks_that_are_set_and_nothing_else(client, site):
    html = client.get("/").content.decode()
    footer = html.split('class="site-footer"')[1]
    assert "我为政府网站找错" not in footer and "政务新媒体" not in footer and "党政机关网站标识" not in footer

    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.error_report_url = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3399000001"
    settings.police_record_url = "https://beian.mps.gov.cn/#/query/webSearch?code=1"
    settings.police_record_icon = make_image("备案图标")
    settings.gov_mark_image = make_image("标识")
    settings.gov_mark_url = "https://bszs.conac.cn/"
    settings.provincial_platform_name = "省政务服务网"
    settings.provincial_platform_url = "https://zwfw.example.gov.cn/"
    settings.save()
    NewMediaAccount.objects.create(platform="wechat", name="青山发布", qr_code=make_image("二维码"))
    footer = client.get("/").content.decode().split('class="site-footer"')[1]
    assert '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3399000001"' in footer
    assert (
        f'<a href="https://beian.mps.gov.cn/#/query/webSearch?code=1" rel="noopener">{settings.police_record}' in footer
    )
    assert 'href="https://bszs.conac.cn/"' in footer and 'alt="党政机关网站标识"' in footer
    assert 'href="tel:12345"' in footer and ">省政务服务网</a>" in footer
    assert "微信公众号" in footer and "青山发布" in footer and footer.count("<img") >= 3


def test_the_case_information_column_links_to_12309(client, site):
    from .builders import add_section

    column = add_section(site.portal.home, "案件信息公开", "ajxxgk", "case_information")
    assert 'href="https://www.12309.gov.cn/"' in client.get(column.url).content.decode()
    assert "12309" not in client.get(site.portal.news.url).content.decode()
