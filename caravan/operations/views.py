"""Views of the operations side: uploaded media served safely, and the sign-in lockout."""

import logging
import mimetypes
import os
import posixpath
from stat import S_ISREG

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils._os import safe_join
from django.utils.cache import get_conditional_response
from django.views.decorators.csrf import requires_csrf_token
from django.views.static import serve

from caravan.static_site.caching import MEDIA
from caravan.static_site.files import etag

logger = logging.getLogger(__name__)

# Shown when even the branded 500 page cannot be rendered (e.g. static files missing).
FALLBACK_500 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="robots" content="noindex"><title>Something went wrong</title></head>'
    "<body><h1>Something went wrong on our side</h1><p>We are sorry: the page could not "
    "be shown. Please try again in a minute.</p></body></html>"
)

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
    their collection's privacy settings.

    Long-lived (caching.MEDIA), with nginx's ETag and Last-Modified: a conditional
    request for an unchanged file gets 304."""
    normalized = posixpath.normpath(path).lstrip("/")
    if normalized.startswith("documents/"):
        raise Http404("Documents are served through /documents/.")
    try:
        stat = os.stat(safe_join(settings.MEDIA_ROOT, normalized))
    except (OSError, ValueError, SuspiciousFileOperation):  # serve() answers 404
        stat = None
    response = None
    if stat is not None and S_ISREG(stat.st_mode):
        response = get_conditional_response(
            request, etag=etag(stat), last_modified=int(stat.st_mtime)
        )
    if response is None:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code in (200, 304):
        response["ETag"] = etag(stat)
    response["Cache-Control"] = MEDIA
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    content_type = mimetypes.guess_type(normalized)[0] or ""
    if content_type not in INLINE_MEDIA_TYPES:
        disposition = response.get("Content-Disposition", "")
        response["Content-Disposition"] = "attachment" + disposition.removeprefix("inline")
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


@requires_csrf_token
def server_error(request):
    """The branded 500 page (templates/500.html); a plain apology if that page itself
    fails. Never a traceback: the details go to the logs (and Sentry, if configured)."""
    try:
        body = loader.get_template("500.html").render()
    except Exception:
        logger.exception("The 500 page could not be rendered; sent the plain apology")
        body = FALLBACK_500
    return HttpResponseServerError(body)
