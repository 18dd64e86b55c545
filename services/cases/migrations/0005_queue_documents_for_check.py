"""Documents imported before the staff check existed go to 待核对.

A migration of its own: run in 0004's transaction, these updates left trigger events
pending on cases_legaldocument and PostgreSQL refused 0004's deferred CREATE INDEX."""

from django.db import migrations, models


def queue_for_staff_check(apps, schema_editor):
    """Public versions so far came from the source unchecked: keep them as the source's text
    and let staff check every document marked public before it shows again."""
    LegalDocument = apps.get_model("cases", "LegalDocument")
    LegalDocument.objects.update(source_public_text=models.F("public_text"))
    LegalDocument.objects.filter(source_publishable=True).update(state="pending")


def back_to_source_texts(apps, schema_editor):
    LegalDocument = apps.get_model("cases", "LegalDocument")
    LegalDocument.objects.update(public_text=models.F("source_public_text"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_document_publication")]

    operations = [migrations.RunPython(queue_for_staff_check, back_to_source_texts)]
