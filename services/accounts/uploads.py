"""Limits on uploaded certificate scans: type checked from the content, not the name."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ALLOWED_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def validate_certificate_scan(upload):
    if not upload:
        raise ValidationError(_("请上传执业证扫描件。"))
    limit = settings.ACCOUNTS_CERTIFICATE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("文件不能超过%(limit)s。") % {"limit": filesizeformat(limit)})
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    head = upload.read(261)
    upload.seek(0)
    kind = filetype.guess(head)
    if extension not in ALLOWED_TYPES or kind is None or kind.mime != ALLOWED_TYPES[extension]:
        raise ValidationError(_("只能上传PDF、JPG或PNG格式的文件。"))
