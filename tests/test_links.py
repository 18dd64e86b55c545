"""Links the site renders (issue 10, finding 4): a URL field accepts only http, https and paths on
this site, in the model, so the admin form, the model's own validation (imports, scripts) and
every app's URL fields are covered; rich-text links lose script URLs on the way in."""

import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from home.models import ArticlePage, ServicePage
from portal.validators import LINK_MESSAGE, validate_link

from .builders import login_staff, make_superuser
from .review_builders import CsrfClient, build_review_site, create_article

PROJECT_APPS = ("home", "portal", "search", "services")
REFUSED = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/letters/",
    "/\\evil.example",
    "ftp://files.example.gov.cn/",
    "letters/",
]
ACCEPTED = ["/letters/", "/cases/query/", "https://zwfw.example.gov.cn/", "http://www.example.gov.cn/a?b=1#c"]


@pytest.mark.parametrize("value", REFUSED)
def test_the_validator_refuses_what_is_not_a_web_link(value):
    with pytest.raises(ValidationError) as refused:
        validate_link(value)
    assert refused.value.messages == [str(LINK_MESSAGE)]


@pytest.mark.parametrize("value", ACCEPTED)
def test_the_validator_accepts_web_and_site_links(value):
    validate_link(value)


def test_every_url_field_of_the_project_uses_the_validator():
    url_fields = []
    for model in apps.get_models():
        if not model.__module__.startswith(PROJECT_APPS):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.URLField) or (
                isinstance(field, models.CharField) and re.search(r"(^|_)(url|link|website|homepage)$", field.name)
            ):
                url_fields.append(field)
                assert validate_link in field.validators, f"{model.__name__}.{field.name}"
    assert ServicePage._meta.get_field("service_url") in url_fields


@pytest.mark.django_db
def test_a_script_link_is_refused_on_the_service_entry_form_and_in_the_model():
    site = build_review_site()
    service = ServicePage.objects.get(slug="ldxx")
    client = CsrfClient()
    login_staff(client, make_superuser())
    data = nested_form_data(
        {
            "title": service.title,
            "slug": service.slug,
            "intro": service.intro,
            "body": rich_text(""),
            "service_url": "javascript:fetch('/admin/')",
            "comments": inline_formset([]),
            "action-publish": "1",
        }
    )
    response = client.post(f"/admin/pages/{service.pk}/edit/", data)
    assert response.status_code == 200 and str(LINK_MESSAGE) in response.content.decode()
    assert ServicePage.objects.get(pk=service.pk).service_url == ""

    service.service_url = "javascript:alert(1)"
    with pytest.raises(ValidationError):
        service.full_clean()  # what a script or an import saving through the model meets
    assert site.portal.home.live


@pytest.mark.django_db
def test_a_script_link_in_rich_text_is_dropped_by_the_editor_form():
    site = build_review_site()
    client = CsrfClient()
    login_staff(client, site.users["editor"])
    body = rich_text('<p>请点击<a href="javascript:alert(document.cookie)">这里</a>办理。</p>')
    _response, article = create_article(client, site.portal.news, action="action-save", title="带链接的信息", body=body)
    stored = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object().body
    assert "这里" in stored and "javascript" not in stored
