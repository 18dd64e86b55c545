"""A section made private in the admin (隐私: 登录后可见) keeps its pages, their titles included,
off every public page that lists pages: the section above, the home page, the catalogue, search."""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from .builders import login_staff, make_superuser

pytestmark = pytest.mark.django_db


def test_pages_of_a_private_section_are_listed_nowhere_in_public(client, portal):
    column, article = portal.policy, portal.article
    section = column.get_parent()
    listing_pages = ["/", section.url]
    for path in listing_pages:
        assert article.title in Client().get(path).content.decode(), path

    login_staff(client, make_superuser())
    client.post(f"/admin/pages/{column.pk}/privacy/", {"restriction_type": "login"})
    assert PageViewRestriction.objects.filter(page=column).exists()
    for path in listing_pages:
        html = Client().get(path).content.decode()
        assert article.title not in html, path


def test_a_private_top_level_section_leaves_the_main_navigation(client, portal):
    section = portal.policy.get_parent()
    assert f'href="{section.url}"' in Client().get("/").content.decode()
    login_staff(client, make_superuser())
    client.post(f"/admin/pages/{section.pk}/privacy/", {"restriction_type": "login"})
    html = Client().get(portal.news.url).content.decode()
    assert f'href="{section.url}"' not in html and portal.article.title not in html
