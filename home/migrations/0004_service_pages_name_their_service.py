"""Service pages name a registered service instead of a typed address.

A migration of its own, between the schema changes: run in their transaction, the updates
would leave trigger events pending and PostgreSQL would refuse the ALTER TABLE after them.
A page whose address matches no service of the portal (the "即将上线" entries) is
unpublished, its text kept as a draft."""

from django.db import migrations

# The addresses service pages could hold, and the registered service each one is.
SERVICES_BY_URL = {
    "/letters/write/": "letters.write",
    "/letters/track/": "letters.track",
    "/letters/": "letters.list",
    "/letters/mine/": "letters.mine",
    "/cases/query/": "cases.query",
    "/cases/documents/": "cases.documents",
    "/cases/lawyer/": "cases.lawyer",
    "/accounts/me/lawyer/": "accounts.lawyer",
}


def _revisions(apps, page_ids):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    page_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    if page_type is None:
        return Revision.objects.none()
    return Revision.objects.filter(base_content_type=page_type, object_id__in=[str(pk) for pk in page_ids])


def name_services(apps, schema_editor):
    ServicePage = apps.get_model("home", "ServicePage")
    Page = apps.get_model("wagtailcore", "Page")
    unknown = []
    for page in ServicePage.objects.all():
        page.service = SERVICES_BY_URL.get((page.service_url or "").strip(), "")
        page.save(update_fields=["service"])
        if not page.service:
            unknown.append(page.pk)
    Page.objects.filter(pk__in=unknown).update(live=False, has_unpublished_changes=True, live_revision=None)
    services = dict(ServicePage.objects.values_list("pk", "service"))
    for revision in _revisions(apps, services):
        revision.content["service"] = services[int(revision.object_id)]
        revision.save(update_fields=["content"])


def restore_urls(apps, schema_editor):
    ServicePage = apps.get_model("home", "ServicePage")
    urls = {service: url for url, service in SERVICES_BY_URL.items()}
    for page in ServicePage.objects.all():
        page.service_url = urls.get(page.service, "")
        page.save(update_fields=["service_url"])


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_online_services_and_versions"),
        ("home", "0003_public_files_and_safe_links"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(name_services, restore_urls)]
