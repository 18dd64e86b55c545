"""Published letters in the site search (search.site_index): the approved public version of
a letter, never the letter as written. A letter leaves the site search as soon as its public
version is hidden or the writer withdraws consent (the index task runs sync for it)."""

from django.db.models import F
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from search.site_index import Row, SiteSource, with_every_term, within_dates

from .models import PublicVersion

DATABASE_LOOKUPS = ("title__icontains", "content__icontains", "reply__icontains")


def published_versions():
    return PublicVersion.objects.filter(state=PublicVersion.State.PUBLISHED).select_related(
        "letter", "letter__reply_department"
    )


class LetterSource(SiteSource):
    kind = "letter"
    label = _("公开信件")
    type_labels = {"letter": _("公开信件")}

    def rows(self, ids):
        for version in published_versions().filter(letter_id__in=ids):
            letter = version.letter
            yield Row(
                pk=letter.pk,
                type="letter",
                title=version.title,
                url=reverse("letters:detail", args=[version.pk]),
                date=letter.replied_on or timezone.localdate(version.published_at),
                body=f"{version.content}\n{version.reply}",
                subtype=letter.get_letter_type_display(),
                department=letter.reply_department.name if letter.reply_department else "",
                group=f"letter-{letter.pk}",
            )

    def all_ids(self, chunk_size=1000):
        ids = list(published_versions().order_by("letter_id").values_list("letter_id", flat=True))
        for start in range(0, len(ids), chunk_size):
            yield ids[start : start + chunk_size]

    def database_search(self, understood, criteria):
        versions = with_every_term(published_versions(), understood.terms, DATABASE_LOOKUPS)
        versions = versions.annotate(sort_date=Coalesce("letter__replied_on", TruncDate("published_at")))
        versions = within_dates(versions, "sort_date", criteria)
        return versions.order_by("-sort_date", "-pk").values("sort_date", item_id=F("letter_id"))
