"""What a change to cases makes stale in the page cache (portal.page_cache): a public legal
document's page, the document search with all its pages, and the site search, whenever a
document enters or leaves publication or its case's public details change."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from wagtail import hooks

from portal.page_cache import purge

from .documents import public_document_queryset
from .models import Case, LegalDocument

SEARCH_PATH = "/search/"


def documents_changed(document_pks):
    paths = {reverse("cases:documents"), SEARCH_PATH}
    paths.update(reverse("cases:document_detail", args=[pk]) for pk in document_pks)
    purge(paths)


@receiver(pre_save, sender=LegalDocument)
def remember_whether_public(sender, instance, raw=False, **kwargs):
    instance._was_public = (
        not raw and instance.pk is not None and public_document_queryset().filter(pk=instance.pk).exists()
    )


@receiver(post_save, sender=LegalDocument)
def purge_saved_document(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if getattr(instance, "_was_public", False) or public_document_queryset().filter(pk=instance.pk).exists():
        documents_changed([instance.pk])


@receiver(post_save, sender=Case)
def purge_documents_of_saved_case(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    approved = instance.documents.filter(state=LegalDocument.State.APPROVED).values_list("pk", flat=True)
    if approved:
        documents_changed(list(approved))


@hooks.register("page_cache_public_paths")
def public_document_paths():
    published = public_document_queryset().values_list("pk", flat=True)
    return [reverse("cases:documents"), *(reverse("cases:document_detail", args=[pk]) for pk in published.iterator())]
