"""The anonymisation rules now find names a role word introduces (鉴定人周立新, 证人周红…),
listed parties or not. Every document's rule output is written again with them; a published
document in whose public version they find such a name goes back to 待核对, out of the index.

Not reversible in effect: going back leaves the documents where they are (staff approve them
again through the check)."""

from collections import defaultdict

from django.db import migrations

ADULT_NAMED_ROLES = ("suspect", "defendant")


def recheck(apps, schema_editor):
    from services.cases.anonymise import anonymise, residual_findings

    LegalDocument = apps.get_model("cases", "LegalDocument")
    Party = apps.get_model("cases", "Party")
    DocumentEvent = apps.get_model("cases", "DocumentEvent")
    protected = defaultdict(list)
    for case_id, name, role, is_minor in Party.objects.values_list("case_id", "name", "role", "is_minor"):
        if is_minor or role not in ADULT_NAMED_ROLES:
            protected[case_id].append(name)
    requeued_cases = set()
    for document in LegalDocument.objects.order_by("pk").iterator():
        names = protected[document.case_id]
        previous_rule_text = document.rule_text
        document.rule_text = anonymise(document.source_public_text or document.full_text, names).text
        if document.state == "approved" and residual_findings(document.public_text, names):
            document.state = "pending"
            document.public_text = document.rule_text
            document.reviewed_at = document.reviewed_by = None
            DocumentEvent.objects.create(
                document=document,
                action="queued",
                comment="隐名规则更新：已公开的版本中仍有由诉讼身份词引出的姓名，需重新核对。",
            )
            requeued_cases.add(document.case_id)
        elif document.state == "pending" and document.public_text == previous_rule_text:
            document.public_text = document.rule_text
        document.save(update_fields=["rule_text", "public_text", "state", "reviewed_at", "reviewed_by"])
    if requeued_cases:
        from services.cases.tasks import index_cases

        index_cases.enqueue(sorted(requeued_cases))  # after commit: the documents leave the index


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_document_withdrawal"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),  # the index update is queued
    ]

    operations = [migrations.RunPython(recheck, migrations.RunPython.noop)]
