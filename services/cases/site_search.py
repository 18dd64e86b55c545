"""Public legal documents in the site search (search.site_index): the approved, anonymised
public version only, the same documents /cases/documents/ shows. `sync_cases` (documents.py)
brings a case's documents in line whenever it rewrites the case, so an approval, a
withdrawal or a re-import reaches the site search with the same queued task."""

from functools import reduce
from operator import or_

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from search.site_index import Row, SiteSource
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
        documents = public_document_queryset()
        for term in understood.terms:
            documents = documents.filter(
                reduce(or_, (Q(**{lookup: alt}) for alt in term.alternatives for lookup in DATABASE_LOOKUPS))
            )
        documents = documents.annotate(sort_date=F("issued_on"))
        date_from, date_to = criteria.filter_dates()
        if date_from:
            documents = documents.filter(issued_on__gte=date_from)
        if date_to:
            documents = documents.filter(issued_on__lte=date_to)
        return documents.order_by("-issued_on", "-pk").values("sort_date", item_id=F("pk"))


def sync_case_documents(case_ids, public_ids):
    """Make the site search show exactly `public_ids` of these cases' documents."""
    sync_site("document", list(public_ids), groups=[f"case-{pk}" for pk in case_ids])
