"""Index numbers (索引号) of the disclosure catalogue: system-generated, never typed."""

from django.db import transaction

from portal.models import next_in_sequence


def index_number_for(org_code, year, sequence):
    return f"{org_code}/{year}-{sequence:05d}"


def assign_index_no(article):
    """Give a disclosed article its index number once; later calls keep the first number."""
    if article.index_no or not article.is_disclosure:
        return article.index_no
    from .models import ArticlePage, PortalSettings

    org_code = PortalSettings.for_site(article.get_site()).org_code if article.get_site() else ""
    year = article.date.year
    with transaction.atomic():
        number = index_number_for(org_code, year, next_in_sequence(f"index_no:{org_code}:{year}"))
        ArticlePage.objects.filter(pk=article.pk, index_no="").update(index_no=number)
    article.index_no = ArticlePage.objects.values_list("index_no", flat=True).get(pk=article.pk)
    return article.index_no
