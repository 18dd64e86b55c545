"""The 网站总编's work list asks, for every item waiting at a level they do not hold, whether they
stand in there (home.review.stands_in). Its cost must not grow with the number of items waiting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.models import ArticlePage
from home.review import submit_for_review

from .builders import add_page, login_staff

pytestmark = pytest.mark.django_db


def submit(site, count, start):
    for number in range(start, start + count):
        article = add_page(
            site.portal.news,
            ArticlePage(
                title=f"青山县第{number}期政务动态",
                slug=f"dongtai-{number}",
                body="<p>本期动态。</p>",
                source="县政府办公室",
                collected_on=timezone.localdate(),
                collector="李晓明",
                live=False,
            ),
        )
        submit_for_review(article, site.users["editor"])


def home_queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/")
    assert response.status_code == 200
    return len(captured)


def test_the_chief_s_work_list_costs_the_same_with_5_and_40_items_waiting_at_the_level_below(client, site):
    login_staff(client, site.users["chief"])
    submit(site, 5, 1)
    few = home_queries(client)
    submit(site, 35, 6)
    many = home_queries(client)
    print(f"\nchief's admin home: {few} queries with 5 items under review, {many} with 40")
    assert many == few


def test_the_managing_editor_s_work_list_costs_the_same_with_5_and_40_items_at_their_level(client, site):
    login_staff(client, site.users["managing"])
    submit(site, 5, 1)
    few = home_queries(client)
    submit(site, 35, 6)
    many = home_queries(client)
    print(f"\nmanaging editor's admin home: {few} queries with 5 items waiting for them, {many} with 40")
    assert many == few
