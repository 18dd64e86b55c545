"""Admin of images and documents: their forms (WAGTAILIMAGES_IMAGE_FORM_BASE,
WAGTAILDOCS_DOCUMENT_FORM_BASE) and permission policy keep a file the public or a review relies on
as it is (home.files): the form says why its file and public text cannot change, the policy refuses
its deletion to everyone, on the edit screen, in bulk and in the admin API."""

from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from . import files


class FrozenFileFormMixin:
    def clean(self):
        cleaned_data = super().clean()
        frozen = files.FROZEN_FIELDS[files.kind_of(self.instance)]
        if self.instance.pk and any(name in self.changed_data for name in frozen):
            reason = files.frozen_reason(self.instance)
            if reason:
                raise ValidationError(reason)
        return cleaned_data


class ImageForm(FrozenFileFormMixin, BaseImageForm):
    pass


class DocumentForm(FrozenFileFormMixin, BaseDocumentForm):
    pass


class FrozenFilePermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's policy for images and documents, except that nobody deletes a frozen file."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and files.frozen_reason(instance):
            return False
        return super().user_has_permission_for_instance(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if "delete" in actions and files.frozen_reason(instance):
            actions = [action for action in actions if action != "delete"]
        return bool(actions) and super().user_has_any_permission_for_instance(user, actions, instance)


def register_permission_policies():
    """Registered for the exact models, so they win over Wagtail's own whatever the app order."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import register_permission_policy

    for model, auth_model in (
        (get_image_model(), "wagtailimages.Image"),
        (get_document_model(), "wagtaildocs.Document"),
    ):
        policy = FrozenFilePermissionPolicy(model, auth_model=auth_model, owner_field_name="uploaded_by_user")
        register_permission_policy(model, policy, exact_class=True)
