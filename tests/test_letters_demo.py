"""The demo site has mailboxes and letters in every main state, and its 领导信箱 guide page
leads to the letter form."""

import pytest

from home.models import DepartmentPage, ServicePage
from services.letters.models import Letter, Mailbox, PublicVersion

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_letters_through_the_workflow_and_links_the_service_page(client, demo_site):
    assert Mailbox.objects.filter(name="县长信箱").exists()
    states = set(Letter.objects.values_list("status", flat=True))
    assert {"submitted", "accepted", "declined", "routed", "drafted", "closed"} <= states
    assert Letter.objects.count() == 7  # (a second run adds nothing: tests/test_seed_demo.py)
    assert all(letter.events.exists() for letter in Letter.objects.all())
    version = PublicVersion.objects.get(state=PublicVersion.State.PUBLISHED)
    listing = client.get("/letters/").content.decode()
    assert version.title in listing
    # The replying department is named with a link to its own page (机构职能), as columns and
    # services name it: one department, one page.
    department_page = DepartmentPage.objects.live().get(department=version.letter.reply_department)
    link = f'<a href="{department_page.url}">{version.letter.reply_department.name}</a>'
    assert link in listing and link in client.get(f"/letters/{version.pk}/").content.decode()

    service = ServicePage.objects.get(slug="ldxx")
    assert service.service == "letters.write"
    page = client.get(service.url).content.decode()
    assert 'href="/letters/write/"' in page
    assert client.get("/letters/write/").status_code == 200
