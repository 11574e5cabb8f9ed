"""Look-ups that many public pages share — the site, the menu, the company profile, the
contact page, a section's ordered articles — computed once while a batch of files is
rendered (a full build, or the files one publish touches), instead of once per page.

Outside a batch, a page Django serves to an anonymous visitor (no cookie: a preview or
a signed-in editor never) keeps its look-ups in this process for the next pages asked of
the same host, until public content changes (the page cache's generation, advanced by
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
    """Middleware: an anonymous GET or HEAD (no cookie, no credentials) is answered with
    `serving()`, so the menu, the company profile, the contact page's address and the
    other look-ups pages share are computed once per content change, not per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        if (
            settings.CARAVAN_KEEP_LOOKUPS
            and request.method in ("GET", "HEAD")
            and not request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and not active()
        ):
            try:
                generation = pagecache.generation()
            except Exception:  # the cache is down: serve without keeping anything
                logger.warning("Serving without shared look-ups", exc_info=True)
            else:
                with serving(request.META.get("HTTP_HOST", ""), generation):
                    keep_site(request)
                    return self.get_response(request)
        return self.get_response(request)


def keep_site(request):
    """The Wagtail site of a request served alone, found once per host and port (and
    content change: saving a site advances the generation) instead of one query per
    request; Wagtail reads it from `request._wagtail_site`, where Site.find_for_request
    keeps what it found."""
    from wagtail.models import Site

    request._wagtail_site = shared(
        ("site", request.get_port()), lambda: Site.find_for_request(request)
    )
