from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from . import files, notifications  # noqa: F401  (notifications connects the reviewer e-mails)
from .disclosure import assign_index_no
from .models import ArticlePage


@receiver(page_published, sender=ArticlePage)
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
