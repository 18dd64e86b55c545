"""Query budgets: each public page runs a fixed number of SQL queries however many items it lists
(10, or two pages' worth). Measured with the page cache off, i.e. what rendering a page costs after a purge."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.models import ArticlePage, ColumnPage
from portal.models import Department
from services.letters.models import Letter, LetterType, Mailbox, PublicVersion, Status, Topic

from .builders import add_page, build_portal

# Queries a page may run, whatever it lists (sessions, site, settings, navigation, the items).
# Measured after the footer gained the statements, site-map and new-media entries (issue 16):
# each of those costs its own query today (see README, Performance).
BUDGETS = {
    "home": 21,
    "column": 27,
    "article": 22,
    "catalogue": 27,
    "search": 13,
    "letters": 21,  # + the replying departments' pages (one query for the whole list)
}


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def add_articles(column, count, start):
    for number in range(start, start + count):
        add_page(
            column,
            ArticlePage(
                title=f"青山县第{number}号民生实事项目进展通报",
                slug=f"tongbao-{number}",
                summary=f"第{number}号项目完成年度投资计划。",
                body="<p>项目按计划推进，群众满意度持续提升。</p>",
                source="县发展和改革局",
                collector="王芳",
                document_no=f"青发改〔2026〕{number}号",
                issuing_body="青山县发展和改革局",
                topic="general",
            ),
        )


def page_costs(client, portal, catalogue):
    return {
        "home": queries(client, "/"),
        "column": queries(client, portal.policy.url),
        "article": queries(client, portal.article.url),
        "catalogue": queries(client, catalogue.url),
        "search": queries(client, "/search/?q=民生实事"),
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_and_search_cost_the_same_with_10_and_40_items(
    client, clean_search_indices, run_tasks, refresh_search_index
):
    """40 items are two full pages of the column, the catalogue and the search (20 a page):
    every list then shows as many items as it ever does, and has a second page, so a query per
    item listed shows up as it would with more. (100 items cost this test 60 more articles
    published and indexed and tested nothing more.)"""
    portal = build_portal()
    catalogue = add_page(
        portal.home, ColumnPage(title="政府信息公开目录", slug="xxgkml", kind=ColumnPage.Kind.CATALOGUE)
    )
    add_articles(portal.policy, 9, 1)
    run_tasks()
    refresh_search_index()
    with_10 = page_costs(client, portal, catalogue)

    add_articles(portal.policy, 30, 10)
    run_tasks()
    refresh_search_index()
    with_40 = page_costs(client, portal, catalogue)

    # A list long enough for a second page adds the paginator's one count query; nothing grows
    # with the number of items listed.
    grown = {page: (with_10[page], count) for page, count in with_40.items() if count - with_10[page] > 1}
    assert not grown, f"queries grow with the items listed: {grown}"
    over = {page: count for page, count in with_40.items() if count > BUDGETS[page]}
    assert not over, f"over budget: {over} (all: {with_40})"


def publish_letters(mailbox, department, count, start):
    now = timezone.now()
    letters = Letter.objects.bulk_create(
        Letter(
            tracking_no=f"X2026{number:07d}",
            query_password="!",  # noqa: S106 (an unusable hash)
            mailbox=mailbox,
            letter_type=LetterType.SUGGEST,
            topic=Topic.EDUCATION,
            title=f"关于第{number}小学门口交通安全的建议",
            content="上下学时段车辆拥堵，建议增设护学岗。",
            status=Status.REPLIED,
            submitted_at=now - datetime.timedelta(days=3),
            replied_on=timezone.localdate(),
            reply="已协调交警大队在上下学时段增派警力。",
            reply_department=department,
        )
        for number in range(start, start + count)
    )
    PublicVersion.objects.bulk_create(
        PublicVersion(
            letter=letter,
            title=letter.title,
            content=letter.content,
            reply=letter.reply,
            state=PublicVersion.State.PUBLISHED,
            published_at=now,
        )
        for letter in letters
    )


@pytest.mark.django_db
def test_the_letters_list_costs_the_same_with_10_and_100_letters(client, portal):
    office = Department.objects.create(name="县政府办公室", code="zfb", kind=Department.Kind.OFFICE)
    mailbox = Mailbox.objects.create(name="县长信箱", slug="county", department=office)
    publish_letters(mailbox, office, 10, 1)
    with_10 = queries(client, "/letters/")
    publish_letters(mailbox, office, 90, 11)
    with_100 = queries(client, "/letters/")
    assert with_100 - with_10 <= 1 and with_100 <= BUDGETS["letters"], (with_10, with_100)
