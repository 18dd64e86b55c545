"""Public legal documents in the site search (search.site_index): the approved, anonymised
public version only, the same documents /cases/documents/ shows. `sync_cases` (documents.py)
brings a case's documents in line whenever it rewrites the case, so an approval, a
withdrawal or a re-import reaches the site search with the same queued task."""

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from search.site_index import Row, SiteSource, with_every_term, within_dates
from search.site_index import sync as sync_site

from .documents import public_document_queryset

DATABASE_LOOKUPS = ("public_text__icontains", "number__icontains", "case__charge__icontains", "case__name__icontains")


class DocumentSource(SiteSource):
    kind = "document"
    label = _("法律文书")
    type_labels = {"document": _("法律文书")}

    def rows(self, ids):
        for document in public_document_queryset().filter(pk__in=ids):
            yield Row(
                pk=document.pk,
                type="document",
                title=document.title,
                url=reverse("cases:document_detail", args=[document.pk]),
                date=document.issued_on,
                body=document.public_text,
                document_no=document.number,
                extra=f"{document.case.name} {document.case.charge}",
                subtype=document.get_doc_type_display(),
                department=document.case.handling_office,
                group=f"case-{document.case_id}",
            )

    def all_ids(self, chunk_size=1000):
        ids = list(public_document_queryset().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), chunk_size):
            yield ids[start : start + chunk_size]

    def database_search(self, understood, criteria):
        documents = with_every_term(public_document_queryset(), understood.terms, DATABASE_LOOKUPS)
        documents = within_dates(documents.annotate(sort_date=F("issued_on")), "issued_on", criteria)
        return documents.order_by("-issued_on", "-pk").values("sort_date", item_id=F("pk"))


def sync_case_documents(case_ids, public_ids):
    """Make the site search show exactly `public_ids` of these cases' documents."""
    sync_site("document", list(public_ids), groups=[f"case-{pk}" for pk in case_ids])
