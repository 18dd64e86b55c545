"""案管 staff read the history of import batches, with every rejected line and its reason."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.roles import ensure_role_groups

from ..builders import login_staff, make_superuser
from .builders import case_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def casemgr():
    user = get_user_model().objects.create_user(username="casemgr", password="Test#Case2026", is_staff=True)
    user.groups.add(ensure_role_groups()["casemgr"])
    return user


def test_case_management_staff_see_each_batch_and_its_rejected_lines(client, casemgr, import_file):
    batch, _ = import_file(case_record(), case_record("青山检刑受〔2026〕13号", accepted_on="3月2日"))
    login_staff(client, casemgr)

    listing = client.get(reverse("case_import_batches:index"))
    assert listing.status_code == 200
    assert f"#{batch.pk}" in listing.content.decode()

    page = client.get(reverse("case_import_batches:inspect", args=[batch.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "青山检刑受〔2026〕13号" in html and "受理日期格式不正确" in html


def test_nobody_edits_the_import_history(client, casemgr, import_file):
    batch, _ = import_file(case_record())
    for user in (casemgr, make_superuser()):
        login_staff(client, user)
        for url in (
            reverse("case_import_batches:add"),
            reverse("case_import_batches:edit", args=[batch.pk]),
            reverse("case_import_batches:delete", args=[batch.pk]),
        ):
            assert client.get(url).status_code in (302, 403), url


def test_staff_without_the_role_do_not_see_the_history(client, import_file):
    import_file(case_record())
    editor = get_user_model().objects.create_user(username="editor", password="Test#Edit2026", is_staff=True)
    editor.groups.add(ensure_role_groups()["editor"])
    login_staff(client, editor)
    assert client.get(reverse("case_import_batches:index")).status_code in (302, 403)
