"""Acceptance 2: whatever takes an item off the public site takes it out of the site search
as soon as the queued index task has run — through the doors staff and writers use."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from home.models import ArticlePage, ColumnPage
from services.cases.models import LegalDocument
from services.letters.models import Letter

from ..builders import add_page, build_portal, login_staff, make_superuser
from ..cases.builders import approve_pending
from ..letters_support import build_world
from ..review_builders import build_review_site
from .corpus import DOCUMENTS, LETTERS
from .support import case_line, import_case_lines, publish_letter, result_urls

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site(clean_search_indices, run_tasks, refresh_search_index):
    portal = build_portal()

    def index():
        run_tasks()
        refresh_search_index()

    portal.index = index
    index()
    return portal


def test_an_unpublished_article_leaves_the_results(clean_search_indices, run_tasks, refresh_search_index, client):
    review_site = build_review_site()
    site = review_site.portal
    run_tasks()
    refresh_search_index()
    site.index = lambda: (run_tasks(), refresh_search_index())
    assert site.guide.url in result_urls(client, "不动产登记")
    login_staff(client, review_site.users["chief"])  # only the 网站总编 withdraws (issue 10)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[site.guide.pk]), {"reason": "内容已过时"})
    assert response.status_code == 302
    assert not ArticlePage.objects.get(pk=site.guide.pk).live
    assert site.guide.url in result_urls(Client(), "不动产登记")  # until the worker runs
    site.index()
    assert site.guide.url not in result_urls(Client(), "不动产登记")


def test_a_column_moved_into_a_private_section_takes_its_articles_out(site, client):
    """A published article itself is never moved (issue 10); its column may be."""
    internal = add_page(site.home, ColumnPage(title="内部资料", slug="nbzl"))
    PageViewRestriction.objects.create(page=internal, restriction_type=PageViewRestriction.LOGIN)
    site.index()
    assert site.guide.url in result_urls(Client(), "不动产登记")
    login_staff(client, make_superuser())
    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=[site.services.pk, internal.pk]))
    assert response.status_code == 302
    site.index()
    assert not [url for url in result_urls(Client(), "不动产登记") if "bdcdj" in url]


def test_a_section_made_private_takes_its_articles_out(site, client):
    assert site.article.url in result_urls(client, "民生实事")
    login_staff(client, make_superuser())
    response = client.post(
        reverse("wagtailadmin_pages:set_privacy", args=[site.policy.pk]), {"restriction_type": "login"}
    )
    assert response.status_code == 200 and PageViewRestriction.objects.filter(page=site.policy).exists()
    site.index()
    assert result_urls(Client(), "民生实事") == []
    PageViewRestriction.objects.filter(page=site.policy).delete()  # public again
    site.index()
    assert site.article.url in result_urls(Client(), "民生实事")


def test_pages_published_together_are_indexed_by_one_task(site, client):
    """search.site_index.queue_sync gathers what one transaction changes into one task."""
    with transaction.atomic():
        added = [
            add_page(
                site.policy,
                ArticlePage(
                    title=f"青山县第{number}批惠民补贴发放名单公示",
                    slug=f"huimin-{number}",
                    body="<p>名单已经乡镇审核。</p>",
                    source="县财政局",
                    collector="王芳",
                ),
            )
            for number in (1, 2, 3)
        ]
    queued = DBTaskResult.objects.filter(task_path="search.site_index.sync_task", status="READY")
    assert queued.count() == 1
    assert {page.pk for page in added} <= set(queued.get().args_kwargs["args"][1])
    site.index()
    assert {page.url for page in added} <= set(result_urls(client, "惠民补贴"))


# Deleting is no door here: a published article, and a column holding one, are archived and
# never deleted (issue 10, tests/test_review_doors.py); withdrawal above takes them out.


def test_a_letter_leaves_the_results_when_its_writer_withdraws_consent(site):
    world = build_world()
    writer = Client()
    url = publish_letter(world, writer, LETTERS[1], 1)  # 人民路路灯维修
    site.index()
    assert url in result_urls(Client(), "路灯维修")
    letter = Letter.objects.get(title=LETTERS[1].title)
    page = writer.get(reverse("letters:tracked", args=[letter.tracking_no])).content.decode()
    assert "撤回公开同意" in page
    response = writer.post(reverse("letters:withdraw_consent", args=[letter.tracking_no]), follow=True)
    assert "已撤回公开同意" in response.content.decode()
    assert Client().get(url).status_code == 404  # off the public list at once
    site.index()
    assert result_urls(Client(), "路灯维修") == []
    letter.refresh_from_db()
    assert not letter.consent_publish and letter.events.filter(action="consent_withdrawn").exists()
    again = writer.post(reverse("letters:withdraw_consent", args=[letter.tracking_no]), follow=True)
    assert "此信件未同意公开" in again.content.decode()
    stranger = Client().post(reverse("letters:withdraw_consent", args=[letter.tracking_no]))
    assert stranger.status_code == 302 and stranger["Location"].startswith(reverse("letters:track"))


def test_a_withdrawn_legal_document_leaves_the_results(site, client, tmp_path, publisher):
    item = DOCUMENTS[0]  # 赵某危险驾驶案
    import_case_lines(tmp_path, [case_line(item)])
    approve_pending(publisher)
    site.index()
    document = LegalDocument.objects.get(number=item.number)
    url = reverse("cases:document_detail", args=[document.pk])
    assert url in result_urls(Client(), "赵某")
    login_staff(client, publisher)
    client.post(
        reverse("cases_admin:document_detail", args=[document.pk]), {"action": "withdraw", "reason": "当事人申请"}
    )
    site.index()
    assert result_urls(Client(), "赵某") == []
