"""Which uploaded documents and images the public may download, and which may no longer change.

A file is public once a live page shows it: its live content refers to it through a foreign key
(the cover picture, the home page banner), an attachment, or an image or document link in rich
text. The list is kept in home.PublicFile, rebuilt for a page on every publication and withdrawal,
so serving a file costs one indexed lookup. Files nobody published answer 404 to the public
(images, their renditions and documents alike); staff who may use them in the admin see them.

A public file, and a file that the version under review or an approved version waiting for its
publication time refers to, is frozen: nobody, superusers included, replaces its file, changes its
title, description or crop, or deletes it, so what the public downloads is what every level of
review saw. To use another file, upload it as a new document or image and attach it in a revision
that goes through review.

Imported by a migration: nothing from the apps' models at the top.
"""

import re

from django.utils.translation import gettext_lazy as _
from modelcluster.models import get_all_child_relations
from wagtail.fields import RichTextField
from wagtail.rich_text.rewriters import extract_attrs

IMAGE = "image"
DOCUMENT = "document"
KINDS = {"wagtailimages.image": IMAGE, "wagtaildocs.document": DOCUMENT}
# What the public sees of a file; the rest (tags, collection) is the staff's bookkeeping.
FROZEN_FIELDS = {
    IMAGE: (
        "file",
        "title",
        "description",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
    ),
    DOCUMENT: ("file", "title"),
}

SHOWN_ON_LIVE_PAGE = _(
    "该文件已被网站上已发布的信息使用，不能替换、修改或删除。如需更换，请上传新文件，在信息中重新选择，经审核后发布。"
)
IN_REVIEW = _("该文件正被审核中的信息使用，审核期间不能替换、修改或删除。")
SCHEDULED = _("该文件将随已审核通过、等待定时发布的信息公开，不能替换、修改或删除。")

RICH_TEXT_TAG = re.compile(r"<(a|embed)\b([^>]*)>")


# --- What a page shows ----------------------------------------------------------------------


def references(obj):
    """{(kind, id)} of the images and documents `obj` shows: its foreign keys, links and embeds in
    its rich text, and the same for its inline children (attachments). Works on saved pages, on
    revisions' objects and on the historical models of migrations."""
    found = set()
    _collect(obj, found)
    for relation in get_all_child_relations(type(obj)):
        for child in getattr(obj, relation.get_accessor_name()).all():
            _collect(child, found)
    return found


def _collect(obj, found):
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.related_model is not None:
            kind = KINDS.get(field.related_model._meta.label_lower)
            value = getattr(obj, field.attname)
            if kind and value:
                found.add((kind, int(value)))
        elif isinstance(field, RichTextField):
            found |= rich_text_references(getattr(obj, field.attname) or "")


def rich_text_references(html):
    """{(kind, id)} of the images embedded and documents linked in Wagtail's stored rich text."""
    found = set()
    for tag, attr_string in RICH_TEXT_TAG.findall(html):
        attrs = extract_attrs(attr_string)
        if tag == "embed" and attrs.get("embedtype") == "image" and attrs.get("id", "").isdigit():
            found.add((IMAGE, int(attrs["id"])))
        elif tag == "a" and attrs.get("linktype") == "document" and attrs.get("id", "").isdigit():
            found.add((DOCUMENT, int(attrs["id"])))
    return found


def kind_of(obj):
    return KINDS.get(obj._meta.label_lower)


# --- Public files ---------------------------------------------------------------------------


def record_public_files(page, public_file_model=None):
    """Rebuild the list of files `page` shows the public: those of its live content, or none once
    it is withdrawn. Called on every publication and withdrawal (home.signals)."""
    if public_file_model is None:
        from .models import PublicFile as public_file_model

    public_file_model.objects.filter(page_id=page.pk).delete()
    if page.live:
        public_file_model.objects.bulk_create(
            public_file_model(page_id=page.pk, kind=kind, object_id=object_id)
            for kind, object_id in sorted(references(page))
        )


def is_public(obj):
    from .models import PublicFile

    return PublicFile.objects.filter(kind=kind_of(obj), object_id=obj.pk).exists()


def image_stored_as(name):
    """The image whose original file or one of whose renditions is stored as `name`, or None."""
    from wagtail.images import get_image_model

    image_model = get_image_model()
    image = image_model.objects.filter(file=name).first()
    if image is None:
        rendition = image_model.get_rendition_model().objects.filter(file=name).select_related("image").first()
        image = rendition.image if rendition else None
    return image


def staff_may_see(user, obj):
    """Staff who may use the file in the admin (any image/document permission on its collection)."""
    from wagtail.permissions import policy_registry

    if not user.is_authenticated or not user.is_active:
        return False
    policy = policy_registry.get_by_type(type(obj))
    return policy.user_has_any_permission_for_instance(user, ["add", "change", "delete", "choose"], obj)


# --- Frozen files ---------------------------------------------------------------------------


def frozen_reason(obj):
    """Why `obj` (an image or a document) may not change or be deleted now, or None."""
    if not obj.pk:
        return None
    if is_public(obj):
        return SHOWN_ON_LIVE_PAGE
    key = (kind_of(obj), obj.pk)
    if any(key in references(revision.as_object()) for revision in _revisions_under_review()):
        return IN_REVIEW
    if any(key in references(revision.as_object()) for revision in _revisions_waiting_to_go_live()):
        return SCHEDULED
    return None


def changed_frozen_fields(obj, saved):
    """Names of the fields the public sees that differ between `obj` and its `saved` row."""
    return [name for name in FROZEN_FIELDS[kind_of(obj)] if getattr(obj, name) != getattr(saved, name)]


def _revisions_under_review():
    from wagtail.models import TaskState

    states = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).select_related("revision")
    return [state.revision for state in states if state.revision is not None]


def _revisions_waiting_to_go_live():
    from wagtail.models import Revision

    return Revision.objects.page_revisions().filter(approved_go_live_at__isnull=False)
