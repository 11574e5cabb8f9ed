"""What a page read while it was rendered: every model instance created from the
database inside `recording()` is recorded as a dependency key of what is being rendered
(the public file tree, caravan/static_site, keeps them to know which files an edit
changes; `connect()` is called by that app).

Keys are ``"<app_label>.<model>:<pk>"`` for one row and ``"<app_label>.<model>:*"`` for
"some row of this model" (a new row of that model may show where another was shown).
Pages are recorded under ``"page:<pk>"`` whatever their specific type, so a generic and
a specific instance of one page are the same dependency."""

import contextvars

from django.db.models.signals import post_init

_reads = contextvars.ContextVar("caravan_static_reads", default=None)


def page_key(page_id):
    return f"page:{page_id}"


def object_keys(model, pk):
    label = model._meta.label_lower
    return (f"{label}:{pk}", f"{label}:*")


class recording:  # noqa: N801 — used as a context manager, like a function
    """Collect the dependency keys of what is loaded inside the `with` block."""

    def __enter__(self):
        self.keys = set()
        self._token = _reads.set(self.keys)
        return self.keys

    def __exit__(self, *exc):
        _reads.reset(self._token)
        record(self.keys)  # a recording inside another one: the outer file read it too
        return False


class not_recording:  # noqa: N801 — used as a context manager, like a function
    """Load rows inside the `with` block without recording them (the caller records
    those it shows, with `record`)."""

    def __enter__(self):
        self._token = _reads.set(None)

    def __exit__(self, *exc):
        _reads.reset(self._token)
        return False


def record(keys):
    """Add keys to the file being rendered (if one is)."""
    current = _reads.get()
    if current is not None:
        current.update(keys)


def _loaded(sender, instance, **kwargs):
    keys = _reads.get()
    if keys is None:
        return
    pk = instance.__dict__.get(instance._meta.pk.attname)
    if pk is None:
        return
    from wagtail.models import Page

    if isinstance(instance, Page):
        keys.add(page_key(pk))
        return
    if sender in tracked_models():
        keys.update(object_keys(sender, pk))


_tracked = None


def tracked_models():
    """Snippets, images, documents, site settings and sites: the page cache's list
    without the page types (pages are recorded by id, see `page_key`)."""
    global _tracked
    if _tracked is None:
        from wagtail.models import Page

        from .pagecache import watched_models

        _tracked = frozenset(m for m in watched_models() if not issubclass(m, Page))
    return _tracked


def connect():
    post_init.connect(_loaded, dispatch_uid="static-site-reads")
