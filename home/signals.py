from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from . import (
    files,
    notifications,  # noqa: F401  (connects the reviewer notifications)
    site_search,  # noqa: F401  (queues site search updates when pages change)
)
from .disclosure import assign_index_no
from .models import ArticlePage, InterpretationPage


@receiver(page_published, sender=ArticlePage)
@receiver(page_published, sender=InterpretationPage)
def give_disclosed_article_an_index_number(sender, instance, **kwargs):
    assign_index_no(instance)


@receiver(page_published)
@receiver(page_unpublished)
def list_the_files_the_page_shows(sender, instance, **kwargs):
    files.record_public_files(Page.objects.get(pk=instance.pk).specific)


def refuse_changes_to_frozen_files(sender, instance, **kwargs):
    """The last line behind the admin's forms and permission policy: whatever saves an image or a
    document that the public or a review relies on, the file and its public text stay as they are."""
    if instance.pk is None:
        return
    saved = sender.objects.filter(pk=instance.pk).first()
    if saved is None or not files.changed_frozen_fields(instance, saved):
        return
    reason = files.frozen_reason(saved)
    if reason:
        raise PermissionDenied(reason)


pre_save.connect(refuse_changes_to_frozen_files, sender=get_image_model(), dispatch_uid="home.frozen_images")
pre_save.connect(refuse_changes_to_frozen_files, sender=get_document_model(), dispatch_uid="home.frozen_documents")


PUBLICATION_FIELDS = ("live", "live_revision_id", "has_unpublished_changes", "first_published_at", "last_published_at")


@receiver(pre_save, dispatch_uid="home.keep_a_publication_made_meanwhile")
def keep_a_publication_made_meanwhile(sender, instance, update_fields=None, **kwargs):
    """Wagtail's edit screen (its autosave too) saves a page that is not live with all its fields.
    When that page was loaded before a publication that happened meanwhile (the last reviewer's
    approval, a scheduled go-live), the save would write the old "not live" back and take the
    item off the public site without a word. The publication stays; the save keeps its content.
    Unpublishing is not affected: it saves an instance loaded after the last publication."""
    if not isinstance(instance, Page) or instance.pk is None or instance.live or update_fields is not None:
        return
    saved = Page.objects.filter(pk=instance.pk).values(*PUBLICATION_FIELDS).first()
    if saved and saved["live"] and saved["last_published_at"] != instance.last_published_at:
        for field in PUBLICATION_FIELDS:
            setattr(instance, field, saved[field])
