"""Which models' rows can show on a public page, besides pages themselves."""

from caravan.core import pagecache

_tracked = None


def tracked_models():
    """Snippets, images, documents, site settings and sites: the page cache's list
    without the page types (pages are recorded by id, see tracking.py)."""
    global _tracked
    if _tracked is None:
        from wagtail.models import Page

        _tracked = frozenset(m for m in pagecache.watched_models() if not issubclass(m, Page))
    return _tracked


def affects_everything(model):
    """A change to a site setting or a site shows on every page (header, footer, host)."""
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.models import Site

    return issubclass(model, (BaseSiteSetting, Site))
