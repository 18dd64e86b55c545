"""A reviewer's admin home (待我审核) asks, for every item waiting, whether this reviewer may act
on it (separation of duties; for the 网站总编 also whether they stand in at a level below,
home.review.stands_in). Its cost must not grow with the number of items waiting."""

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


@pytest.mark.parametrize(
    "who",
    [
        "managing",  # the items wait at their level: separation of duties asked for each
        "chief",  # the items wait at the level below: whether the 网站总编 stands in there
    ],
)
def test_a_reviewer_s_work_list_costs_the_same_with_5_and_40_items_waiting(client, site, who):
    login_staff(client, site.users[who])
    submit(site, 5, 1)
    few = home_queries(client)
    submit(site, 35, 6)
    many = home_queries(client)
    print(f"\n{who}'s admin home: {few} queries with 5 items under review, {many} with 40")
    assert many == few
