"""Home migrations run against a database that already holds pages, as on a deployed portal."""

import pytest

from home.models import ServicePage

from .builders import add_page, build_portal
from .migration_support import latest, migrate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_SERVICE_KEYS = ("home", "0003_online_services_and_versions")


def test_service_pages_name_their_service_and_coming_soon_entries_go_offline(client):
    portal = build_portal()
    add_page(portal.home, ServicePage(title="停车证申领", slug="zxyy", intro="预约办事时段。", service="letters.write"))

    old = migrate([BEFORE_SERVICE_KEYS])
    pages = old.get_model("home", "ServicePage").objects
    assert pages.get(slug="ldxx").service_url == "/letters/write/"  # the way back restores the address
    pages.filter(slug="zxyy").update(service_url="")  # an entry that said 即将上线

    migrate(latest())

    mailbox = ServicePage.objects.get(slug="ldxx")
    assert mailbox.live and mailbox.service == "letters.write"
    assert mailbox.get_latest_revision().content["service"] == "letters.write"
    assert 'href="/letters/write/"' in client.get(mailbox.url).content.decode()

    coming_soon = ServicePage.objects.get(slug="zxyy")
    assert not coming_soon.live and coming_soon.has_unpublished_changes and coming_soon.service == ""
    assert coming_soon.intro == "预约办事时段。"  # kept as a draft
    assert client.get("/zxyy/").status_code == 404
    assert "停车证申领" not in client.get("/").content.decode()
