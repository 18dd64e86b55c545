"""栏目更新监测 (issue 18, point 9): besides stale and empty columns, the admin home's panel names
the broken links on live pages — rich-text links to pages no longer live or deleted, and to
documents deleted or not public — each with the page's edit screen, and counts the letters past
their deadline, linking mailbox officials to the desk's 「已超期」 filter. A bounded number of
queries, however many pages hold links."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from home.models import ArticlePage, ColumnPage
from portal import roles
from services.letters.models import Letter, Mailbox, Status

from .builders import add_page, login_staff
from .letters_support import write_letter
from .review_builders import make_user

pytestmark = pytest.mark.django_db


def panel(html):
    start = html.index('id="freshness-heading"')
    return html[start : html.index("</section>", start)]


def broken_rows(html):
    """{page title: [(target, problem)]} of the panel's broken-link table, with each page's link."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", panel(html), flags=re.S):
        link = re.search(r'<a href="(/admin/pages/\d+/edit/)">([^<]+)</a>', row)
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        if link and len(cells) == 3:
            rows.setdefault((link.group(2), link.group(1)), []).append((cells[1], cells[2]))
    return rows


def document(title, collection=None):
    return get_document_model().objects.create(
        title=title,
        file=ContentFile(b"%PDF-1.4 test", name=f"{title}.pdf"),
        collection=collection or Collection.get_first_root_node(),
    )


def article_linking(column, title, slug, links):
    body = "<p>正文。</p>" + "".join(
        f'<p><a linktype="{kind}" id="{target}">{text}</a></p>' for kind, target, text in links
    )
    return add_page(
        column,
        ArticlePage(title=title, slug=slug, summary="摘要", body=body, source="县政府办公室", collector="李晓明"),
    )


@pytest.fixture
def links(site):
    """A live item linking to: a live page, a withdrawn page, a deleted page, a public document,
    a deleted document and a document in a password-protected collection."""
    portal = site.portal
    withdrawn = article_linking(portal.news, "已撤下的旧通知", "old-notice", [])
    deleted = article_linking(portal.news, "将被删除的页面", "gone", [])
    public_file = document("年度预算表")
    deleted_file = document("旧版申请表")
    private = Collection.get_first_root_node().add_child(name="内部资料")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="neibu2026"
    )
    private_file = document("内部通讯录", private)
    holder = article_linking(
        portal.news,
        "关于调整办事指南的说明",
        "shuoming",
        [
            ("page", portal.guide.pk, "办事指南"),
            ("page", withdrawn.pk, "旧通知"),
            ("page", deleted.pk, "已删除页面"),
            ("document", public_file.pk, "预算表"),
            ("document", deleted_file.pk, "申请表"),
            ("document", private_file.pk, "通讯录"),
        ],
    )
    withdrawn.unpublish()
    ArticlePage.objects.filter(pk=deleted.pk).delete()
    deleted_file_id = deleted_file.pk
    deleted_file.delete()
    return holder, withdrawn, deleted, deleted_file_id


def test_the_panel_names_each_broken_link_with_the_pages_edit_screen(client, site, links):
    holder, withdrawn, deleted, deleted_file_id = links
    login_staff(client, site.users["editor"])
    rows = broken_rows(client.get("/admin/").content.decode())
    assert rows == {
        ("关于调整办事指南的说明", f"/admin/pages/{holder.pk}/edit/"): [
            ("页面《已撤下的旧通知》", "未发布或已撤下"),
            (f"页面（编号 {deleted.pk}）", "已删除"),
            (f"文件（编号 {deleted_file_id}）", "已删除"),
            ("文件《内部通讯录》", "未公开"),
        ]
    }

    # Once the page holding them is withdrawn, its links are nobody's concern on the live site.
    holder.unpublish()
    html = client.get("/admin/").content.decode()
    assert broken_rows(html) == {} and "已发布页面的正文中没有失效链接。" in panel(html)


def test_the_panel_costs_the_same_queries_however_many_columns_and_pages_with_broken_links(client, site, links):
    _holder, withdrawn, _deleted, _file = links
    login_staff(client, site.users["chief"])

    def home_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/").status_code == 200
        return len(captured)

    client.get("/admin/")
    before = home_queries()
    for number in range(5):
        column = add_page(site.portal.home, ColumnPage(title=f"新栏目{number}", slug=f"column-{number}"))
        old_notice = [("page", withdrawn.pk, "旧通知")]
        article_linking(column, f"第{number}条链接旧通知的信息", f"link-{number}", old_notice)
    add_page(site.portal.home, ColumnPage(title="新的空栏目", slug="empty-column"))
    html = client.get("/admin/").content.decode()
    assert len(broken_rows(html)) == 6 and "新的空栏目" in panel(html)
    assert home_queries() == before


def test_overdue_letters_are_counted_and_officials_open_them_on_the_desk(client, site):
    office = site.users["managing"].department
    official = make_user("mailadmin", [roles.ensure_role_groups()["mailadmin"]], office, display_name="吴信箱")
    mailbox = Mailbox.objects.create(name="县长信箱", slug="county", department=office)
    mailbox.officials.add(official)
    letters = [write_letter(Client(), mailbox, title=f"关于第{number}件事的咨询")[0] for number in range(4)]
    past = timezone.localdate() - datetime.timedelta(days=5)
    Letter.objects.filter(pk__in=[letter.pk for letter in letters[:3]]).update(due_on=past)
    Letter.objects.filter(pk=letters[2].pk).update(status=Status.CLOSED)  # answered and closed: not overdue

    login_staff(client, official)
    html = panel(client.get("/admin/").content.decode())
    link = re.search(r'<a href="([^"]+)">(\d+) 件来信已超过办理期限</a>', html)
    assert link and link.group(2) == "2"
    desk = client.get(link.group(1).replace("&amp;", "&"))
    assert desk.context["total"] == 2
    assert {letter.pk for letter in desk.context["page_obj"].object_list} == {letters[0].pk, letters[1].pk}

    # An editor sees the figure the inspection counts, without a door to letters it may not read.
    login_staff(client, site.users["editor"])
    html = panel(client.get("/admin/").content.decode())
    assert "2 件来信已超过办理期限，请信箱管理员及时处理。" in html and "/admin/letters/" not in html
