"""Views of the operations side: uploaded media served safely, and the sign-in lockout."""

import mimetypes
import posixpath

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.static import serve

# Raster images are shown inline; anything else an editor uploads is downloaded.
INLINE_MEDIA_TYPES = {
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/avif",
}


def media(request, path):
    """Serve a file from MEDIA_ROOT (the embedded default; in production the web server
    or the object store does this, with the same headers — see docs/deploy.md).

    Every answer carries `Content-Security-Policy: default-src 'none'`, so an uploaded
    file opened directly can run no script; what is not a raster image is sent as an
    attachment. Documents are only served through /documents/, where Wagtail checks
    their collection's privacy settings."""
    normalized = posixpath.normpath(path).lstrip("/")
    if normalized.startswith("documents/"):
        raise Http404("Documents are served through /documents/.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    content_type = mimetypes.guess_type(normalized)[0] or ""
    if content_type not in INLINE_MEDIA_TYPES:
        response["Content-Disposition"] = "attachment"
    return response


def login_locked(request, original_response=None, credentials=None):
    """What a person sees after too many failed sign-ins (django-axes lockout)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "operations/login_locked.html",
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
