"""Look-ups that many public pages share — the site, the menu, the company profile, the
contact page, a section's ordered articles — computed once while a batch of files is
rendered (a full build, or the files one publish touches), instead of once per page.

Outside a batch, a page Django serves to an anonymous visitor (no cookie: a signed-in
editor's request never), or an editor's preview (`is_preview`), keeps its look-ups in
this process for the next pages and previews asked of the same host, until public
content changes (the page cache's generation, advanced by
every publish) and for SERVED_SECONDS at most (a change another process made, with a
cache of this process's own); `SharedAcrossRequests` is the middleware. Anything else
simply calls `compute()`. Inside `sharing()`, the first call computes and keeps
the value together with the dependency keys its computation recorded (`tracking`);
every later call returns the kept value and records those keys again, so each file
still lists everything it showed and a later edit re-renders it.

The kept values are shared between pages: callers treat them as read-only."""

import contextvars
import logging
import time
from contextlib import contextmanager

from . import pagecache, tracking

logger = logging.getLogger(__name__)

_store = contextvars.ContextVar("caravan_static_shared", default=None)
_served = contextvars.ContextVar("caravan_served_shared", default=None)

SERVED_SECONDS = 60
SERVED_MAX_KEYS = 5000  # then the store starts afresh: memory stays bounded
_served_stores = {}  # (generation, host) → (created, store)


_bulk = contextvars.ContextVar("caravan_static_bulk", default=False)


@contextmanager
def sharing(store=None, bulk=False):
    """Share look-ups inside the block (in `store` when given, to keep them longer).
    `bulk`: the batch is large (a whole build), so look-ups that read the whole site
    at once (`bulk()`) pay off; the few files one publish re-renders do not want them."""
    token = _store.set({} if store is None else store)
    bulk_token = _bulk.set(bulk)
    try:
        yield
    finally:
        _bulk.reset(bulk_token)
        _store.reset(token)


def active():
    return _store.get() is not None


def keeping():
    """Whether look-ups are kept here: inside a batch, or for a page served to an
    anonymous visitor (`serving`)."""
    return _store.get() is not None or _served.get() is not None


def bulk():
    return _bulk.get() and active()


def shared(key, compute):
    """`compute()`, once per batch for this `key` (a tuple naming what is computed and
    everything it depends on, e.g. the language)."""
    store = _store.get()
    if store is None:
        store = _served.get()
        if store is None:
            return compute()
    try:
        value, keys = store[key]
    except KeyError:
        with tracking.recording() as keys:
            value = compute()
        store[key] = (value, frozenset(keys))
    else:
        tracking.record(keys)
    return value


def lookup(key, item, *, every, one):
    """What `item` maps to. In a large batch (a whole build) it comes from `every()`, a
    dict answering every item at once, computed once per batch under `key`; otherwise
    (a page served alone, the few files one publish re-renders) from `one()`, a look-up
    of this item only. The caller says how to answer both; the batch decides which is
    asked."""
    if bulk():
        return shared(key, every).get(item)
    return one()


@contextmanager
def serving(host, generation):
    """Look-ups of the pages served inside the block kept for later requests to `host`
    while `generation` (pagecache.generation()) stays and SERVED_SECONDS at most."""
    now = time.monotonic()
    key = (generation, host)
    entry = _served_stores.get(key)
    if entry is None or now - entry[0] > SERVED_SECONDS or len(entry[1]) > SERVED_MAX_KEYS:
        _served_stores.clear()  # an older generation's, or too old: gone
        entry = _served_stores[key] = (now, {})
    token = _served.set(entry[1])
    try:
        yield
    finally:
        _served.reset(token)


class SharedAcrossRequests:
    """Middleware: an anonymous GET or HEAD (no cookie, no credentials) and a preview are
    answered with `serving()`, so the menu, the company profile, the contact page's
    address and the other look-ups pages share are computed once per content change, not
    per request (an editor's live preview renders again after each pause in typing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        if (
            settings.CARAVAN_KEEP_LOOKUPS
            and not active()
            and (anonymous_read(request) or is_preview(request))
        ):
            try:
                generation = pagecache.generation()
            except Exception:  # the cache is down: serve without keeping anything
                logger.warning("Serving without shared look-ups", exc_info=True)
            else:
                with serving(request.META.get("HTTP_HOST", ""), generation):
                    keep_site(request)
                    if is_preview(request):  # a preview names its page itself: no route
                        return self.get_response(request)
                    follow_kept_route(request)
                    response = self.get_response(request)
                    keep_route(request)
                    return response
        return self.get_response(request)


def anonymous_read(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def is_preview(request):
    """Wagtail's preview of a page (or of a draft), which it renders through the
    middleware with a request of its own marked `is_dummy`. The look-ups it keeps or
    reads are those of the published site: each key names everything its value depends
    on (a draft's own fields included, e.g. an article's date for its neighbours), and
    markup rendered from the draft itself (`{% shared %}`) is never kept for a preview."""
    return getattr(request, "is_dummy", False)


def keep_site(request):
    """The Wagtail site of a request served alone, found once per host and port (and
    content change: saving a site advances the generation) instead of one query per
    request; Wagtail reads it from `request._wagtail_site`, where Site.find_for_request
    keeps what it found."""
    from wagtail.models import Site

    request._wagtail_site = shared(
        ("site", request.get_port()), lambda: Site.find_for_request(request)
    )


def _route_key(request, path=None, kind="route"):
    return (kind, request.get_port(), request.path if path is None else path)


def follow_kept_route(request):
    """Where Wagtail's routing led this address before (`keep_route`), or failing that
    the nearest section above it (kept when another page in it was routed): the page
    loaded by its id in one query and routed by the rest of the address (a list's page
    or tag, an article of the section) as Wagtail routes it, instead of one query per
    level of the address from the site's root. Wagtail reads the result from
    `request._wagtail_route_for_request`, where Page.route_for_request keeps it."""
    from django.apps import apps
    from django.http import Http404

    store = _served.get()
    entry, below = store.get(_route_key(request)), []
    if entry is None:
        parts = [part for part in request.path.split("/") if part]
        for cut in range(len(parts) - 1, 0, -1):
            entry = store.get(_route_key(request, f"/{'/'.join(parts[:cut])}/", "section"))
            if entry is not None and entry[0] is not None:
                below = parts[cut:]
                break
        else:
            return
    (model, pk, rest), _keys = entry
    page = apps.get_model(model)._default_manager.filter(pk=pk).first()
    if page is None:  # deleted by another process since: Wagtail routes afresh
        return
    try:
        request._wagtail_route_for_request = page.route(request, [*rest, *below])
    except Http404:  # nothing there, or unpublished by another process since
        request._wagtail_route_for_request = None


def keep_route(request):
    """After Wagtail routed an address to a page: the page's type and id, and the part of
    the address below the page's own, kept with the other look-ups of this content; and
    the page's parent as a section (`keep_section`)."""
    from urllib.parse import unquote

    found = request.__dict__.get("_wagtail_route_for_request")
    store = _served.get()
    if not found or _route_key(request) in store:
        return
    page = found[0]
    site = getattr(request, "_wagtail_site", None)
    if site is not None and page.pk == site.root_page_id:
        return  # the kept site holds its root page already: routing it reads nothing
    parts = page.get_url_parts(request)
    if parts is None:
        return
    own, path = unquote(parts[2]), unquote(request.path)
    if not path.startswith(own):
        return
    rest = tuple(part for part in path[len(own) :].split("/") if part)
    store[_route_key(request)] = ((page._meta.label_lower, page.pk, rest), frozenset())
    keep_section(request, page, own, site)


def keep_section(request, page, own, site):
    """The parent of a routed page under its own address (its child's less the child's
    slug), so its other children are routed from it: kept once per section, when
    routing from the parent is what Wagtail does from the site's root (no page above it
    routes addresses of its own, as a RoutablePageMixin page may)."""
    if not own.endswith(f"/{page.slug}/") or page.depth is None or page.depth < 3:
        return
    above = own[: -len(page.slug) - 1]
    key = _route_key(request, above, "section")
    store = _served.get()
    if key not in store:  # (None: not a section to route from, asked once)
        store[key] = (_section(request, page, above, site), frozenset())


def _section(request, page, above, site):
    from urllib.parse import unquote

    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.models import Page

    parent = Page.objects.filter(path=page.path[: -page.steplen]).first()
    if parent is None or (site is not None and parent.pk == site.root_page_id):
        return None
    parts = parent.get_url_parts(request)
    if parts is None or unquote(parts[2]) != above:
        return None  # not served at that address (another site's page, a custom route)
    for ancestor in parent.get_ancestors().exclude(depth=1):
        if issubclass(ancestor.specific_class or Page, RoutablePageMixin):
            return None
    return (parent.specific_class._meta.label_lower, parent.pk, ())
