"""Sending uploaded files (under MEDIA_ROOT) to the browser: one way for every view that serves
them, after it has decided who may have the file.

- Embedded default: Django streams the file itself.
- Behind nginx (the production topology, deploy/nginx/): with MEDIA_ACCEL_REDIRECT_PREFIX set
  (e.g. "/_media/"), Django answers with an X-Accel-Redirect header only and nginx sends the bytes
  from its internal location for MEDIA_ROOT, so a large download never occupies an app worker.

Files the public may have are sent with `Cache-Control: public, max-age=MEDIA_CACHE_MAX_AGE`;
anything sent only to a signed-in person with `private, no-store`, so no shared cache keeps it.
Also the SENDFILE_BACKEND of Wagtail's document view (`sendfile` below).
"""

import mimetypes
import os
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date
from django.views.static import was_modified_since


def send_media_file(request, name, *, public):
    """The response that sends the stored file `name` (relative to MEDIA_ROOT)."""
    path = default_storage.path(name)
    try:
        modified = os.stat(path).st_mtime
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if not was_modified_since(request.headers.get("if-modified-since"), modified):
        response = HttpResponseNotModified()
    elif settings.MEDIA_ACCEL_REDIRECT_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT_PREFIX + quote(name)
    else:
        response = FileResponse(open(path, "rb"), content_type=content_type)  # noqa: SIM115 (closed by Django)
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = cache_control(public)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def cache_control(public):
    return f"public, max-age={settings.MEDIA_CACHE_MAX_AGE}" if public else "private, no-store"


def sendfile(request, filename, mimetype=None, **kwargs):
    """SENDFILE_BACKEND for Wagtail's document view, which has already refused a document nobody
    published to anyone but the staff (home.wagtail_hooks); so an anonymous request here is for a
    public document. Wagtail adds Content-Disposition and Content-Type to what this returns."""
    name = os.path.relpath(filename, default_storage.location)
    if name.startswith(".."):
        raise Http404
    return send_media_file(request, name, public=not request.user.is_authenticated)
