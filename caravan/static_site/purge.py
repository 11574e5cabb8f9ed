"""Purging a front-end cache (a CDN, Varnish) of the addresses whose files changed: every
time the public file tree changes, the addresses of the files written or removed are
handed to Wagtail's frontend cache (wagtail.contrib.frontend_cache: Cloudflare,
CloudFront, Azure Front Door or CDN, or an HTTP PURGE for Varnish and the like), which
purges them in a background task.

Configured from the environment in the settings (WAGTAILFRONTENDCACHE; docs/deploy.md,
"Caching, CDNs and purging"); nothing is done when no front-end cache is configured."""

from django.conf import settings

from .files import INDEX_NAMES

INDEX_FILE_NAMES = frozenset(INDEX_NAMES.values())


def address_of(path):
    """The site-relative address of a file of the tree ("en/news/index.html" is
    "/en/news/", "sitemap.xml" "/sitemap.xml")."""
    head, _, name = path.rpartition("/")
    if name in INDEX_FILE_NAMES:
        return f"/{head}/" if head else "/"
    return f"/{path}"


def configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_paths(paths):
    """Purge the addresses of these files of the tree (written or removed)."""
    if not paths or not configured():
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    base = settings.CARAVAN_BASE_URL.rstrip("/")
    purge_urls_from_cache(sorted({base + address_of(path) for path in paths}))
