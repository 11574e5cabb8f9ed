"""Rendering one public address exactly as an anonymous visitor gets it: a GET through
the whole middleware stack and the real URL routing, in this process."""

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.test import RequestFactory
from django.test.utils import override_settings

from caravan.core import tracking
from caravan.core.pagecache import shareable
from caravan.core.shared import active, shared

from . import files

# Headers that belong to one response; the others are replayed by the fast path.
PER_RESPONSE = frozenset(
    (
        "content-type",
        "content-length",
        "content-language",
        "content-encoding",
        "vary",
        "last-modified",
        "etag",
        "x-request-id",
        "date",
        "expires",
        "cache-control",
    )
)
PAGE_CACHE_MIDDLEWARE = "caravan.core.pagecache.PublicPageCacheMiddleware"
STORABLE_TYPES = frozenset(files.INDEX_NAMES) | {"text/plain"}


@dataclass
class Rendered:
    url: str
    status: int
    content_type: str = ""
    body: bytes = b""
    path: str | None = None  # the file it belongs in, when it may be stored
    keys: set = field(default_factory=set)
    headers: dict = field(default_factory=dict)  # those every public page carries
    reason: str = ""

    @property
    def storable(self):
        return self.path is not None


def _route(request, page, rest):
    """What Wagtail's routing finds for the address `rest` below `page` (a route of
    a routable page, or the page itself), as `Page.route_for_request` keeps it."""
    from django.http import Http404

    try:
        return page.route(request, [part for part in rest.split("/") if part])
    except Http404:
        return None


def _host():
    parts = urlsplit(settings.CARAVAN_BASE_URL)
    return parts.netloc or "localhost", parts.scheme == "https"


class Renderer:
    """Renders addresses one after another with one loaded middleware chain."""

    def __init__(self):
        self.handler = BaseHandler()
        # Never from the page cache: a file is rendered because its page just changed.
        middleware = [m for m in settings.MIDDLEWARE if m != PAGE_CACHE_MIDDLEWARE]
        with override_settings(MIDDLEWARE=middleware):
            self.handler.load_middleware()
        host, secure = _host()
        self.factory = RequestFactory(HTTP_HOST=host)
        self.secure = secure

    def render(self, url, page=None, page_url=None):
        """Render `url`. A build that already holds the (specific) `page` the address
        belongs to, and that page's own URL, passes them: Wagtail's routing then starts
        at that page instead of walking the tree from the site's root."""
        request = self.factory.get(url, secure=self.secure)
        if active():
            # Every address of a batch has the same host, so the same Wagtail site.
            from wagtail.models import Site

            request._wagtail_site = shared(("site",), lambda: Site._find_for_request(request))
        if page is not None and page_url:
            # Routing sees decoded paths (a Russian tag's slug in Cyrillic letters).
            path, base = unquote(url), unquote(page_url)
            if path.startswith(base):
                request._wagtail_route_for_request = _route(request, page, path[len(base) :])
        with tracking.recording() as keys:
            if page is not None:
                keys.add(tracking.page_key(page.pk))
            response = self.handler.get_response(request)
            body = b"" if response.streaming else response.content
        # Not response.close(): that sends request_finished, whose handler closes the
        # database connection between two renders (and any cursor still open on it).
        for close in response._resource_closers:
            close()
        result = Rendered(url=url, status=response.status_code, keys=set(keys))
        if response.status_code != 200:
            result.reason = f"answered {response.status_code}"
            return result
        content_type = response.get("Content-Type", "")
        kind = content_type.split(";")[0].strip().lower()
        result.content_type, result.body = content_type, body
        result.headers = {
            name: value for name, value in response.items() if name.lower() not in PER_RESPONSE
        }
        if not shareable(response):
            result.reason = "carries per-visitor state or is private"
        elif kind not in STORABLE_TYPES:
            result.reason = f"type {kind} is not kept as a file"
        else:
            result.path = files.relative_path(url, content_type)
            if result.path is None:
                result.reason = "address has no file name"
        return result
