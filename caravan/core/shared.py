"""Look-ups that many public pages share — the site, the menu, the company profile, the
contact page, a section's ordered articles — computed once while a batch of files is
rendered (a full build, or the files one publish touches), instead of once per page.

Outside a batch, `shared(key, compute)` simply calls `compute()`: a page served by
Django reads everything afresh. Inside `sharing()`, the first call computes and keeps
the value together with the dependency keys its computation recorded (`tracking`);
every later call returns the kept value and records those keys again, so each file
still lists everything it showed and a later edit re-renders it.

The kept values are shared between pages: callers treat them as read-only."""

import contextvars
from contextlib import contextmanager

from . import tracking

_store = contextvars.ContextVar("caravan_static_shared", default=None)


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


def bulk():
    return _bulk.get() and active()


def shared(key, compute):
    """`compute()`, once per batch for this `key` (a tuple naming what is computed and
    everything it depends on, e.g. the language)."""
    store = _store.get()
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
