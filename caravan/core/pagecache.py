"""The public-page cache: whole responses of public pages kept in the shared cache (Redis
in production), so every app server answers a page once rendered by any of them.

Safe because public pages carry no per-visitor state (no cookie, no session): a response is stored
only when an anonymous visitor's GET of a path without a query string (or with tracking
parameters only, caravan/core/querystrings.py, which share the path's entry) answered
200 with HTML, XML or a feed, set no cookie, did not vary on cookies and was not marked private.
The admin, previews, the inquiry endpoint (private), search (query string) and anything
a signed-in user asks for are never stored; a stored page is served to everyone, signed
in or not, exactly as an anonymous visitor would get it.

Invalidation is by generation: every key carries the current generation number, and any
change that can show on a public page (a page published, unpublished, moved or deleted;
a snippet, setting, image, document, site or redirect saved or deleted) increments it, so
the next request renders afresh. Scheduled publishing, run by another process, increments
it too, because the number lives in the shared cache.

On when CARAVAN_PAGE_CACHE_SECONDS > 0 (the production default with a shared cache; off
in the embedded default, whose local-memory cache other processes cannot invalidate). A
cache error here is logged and the request goes on without the page cache (Wagtail itself
needs the cache, so /healthz reports such an outage)."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from caravan.core.querystrings import ignorable

logger = logging.getLogger(__name__)

GENERATION_KEY = "caravan:pagecache:generation"
CACHEABLE_TYPES = (
    "text/html",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
)


def seconds():
    return int(getattr(settings, "CARAVAN_PAGE_CACHE_SECONDS", 0) or 0)


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return value


def invalidate(**_signal_kwargs):
    """Make every stored page stale (called on content changes). Counted with the page
    cache off too: the counts a listing keeps (core/listing.py) follow the same number."""
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet: nothing is stored under one
            cache.add(GENERATION_KEY, 1, timeout=None)
    except Exception:
        logger.warning("Could not invalidate the page cache", exc_info=True)


def _key(request, gen):
    return f"caravan:page:{gen}:{request.get_host()}:{request.path}"


def shareable(response):
    """Whether the same bytes may go to every visitor: the response set no cookie, does
    not vary by cookie, is not streamed and is not private (also the rule for the public
    files, caravan/static_site)."""
    if response.cookies or response.streaming:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    return "cookie" not in response.get("Vary", "").lower()


def _storable(request, response):
    if response.status_code != 200 or not shareable(response):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in CACHEABLE_TYPES


class PublicPageCacheMiddleware:
    """Serve stored public pages before sessions, locale, CSRF and routing run; store
    what may be stored (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        admin = getattr(settings, "CARAVAN_ADMIN_PATH", "admin").strip("/")
        self.skip_prefixes = (f"/{admin}/", "/django-admin/", "/healthz", "/static/", "/media/")

    def __call__(self, request):
        timeout = seconds()
        if (
            not timeout
            or request.method not in ("GET", "HEAD")
            or not ignorable(request.META.get("QUERY_STRING"))
            or request.path.startswith(self.skip_prefixes)
        ):
            return self.get_response(request)
        try:
            key = _key(request, generation())
            stored = cache.get(key)
        except Exception:
            logger.warning("Page cache unreachable", exc_info=True)
            return self.get_response(request)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Caravan-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if request.method == "GET" and _storable(request, response):
            try:
                cache.set(key, (response.content, list(response.headers.items())), timeout)
            except Exception:
                logger.warning("Could not store a page in the cache", exc_info=True)
            response["X-Caravan-Cache"] = "miss"
        return response


_watched = None


def watched_models():
    """Models whose rows can show on a public page (computed once all apps and snippet
    registrations are loaded)."""
    global _watched
    if _watched is None:
        from django.apps import apps
        from wagtail.contrib.settings.models import BaseSiteSetting
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Page, Site
        from wagtail.snippets.models import get_snippet_models

        models = {Site, get_image_model(), get_document_model(), *get_snippet_models()}
        models |= {m for m in apps.get_models() if issubclass(m, BaseSiteSetting)}
        if apps.is_installed("wagtail.contrib.redirects"):
            models.add(apps.get_model("wagtailredirects", "Redirect"))
        models |= {m for m in apps.get_models() if issubclass(m, Page)}
        _watched = frozenset(models)
    return _watched


def _saved(sender, **kwargs):
    # A page row is saved for drafts too; pages count when published, unpublished or
    # moved (signals below). Other watched models count on every save.
    from wagtail.models import Page

    if sender in watched_models() and not issubclass(sender, Page):
        invalidate()


def _deleted(sender, **kwargs):
    if sender in watched_models():
        invalidate()


def _restriction_changed(sender, **kwargs):
    """A page made private or public again: at once, and once more when the change
    commits, so that a request rendered in between (still public) is not what stays."""
    from django.db import transaction

    invalidate()
    transaction.on_commit(invalidate)


def connect_signals():
    """Increment the generation on every change that can show on a public page."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(invalidate, dispatch_uid="pagecache-published")
    page_unpublished.connect(invalidate, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(invalidate, dispatch_uid="pagecache-moved")
    post_save.connect(_saved, dispatch_uid="pagecache-saved")
    post_delete.connect(_deleted, dispatch_uid="pagecache-deleted")
    # A restricted page itself is never stored: Wagtail marks its answers private.
    for signal, uid in ((post_save, "pagecache-private"), (post_delete, "pagecache-public")):
        signal.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid=uid)
