"""The caching policy browsers, crawlers and CDNs are told to follow (Cache-Control), the
same whichever server answers: the embedded fast path (serve.py), Django (the middleware
below) or nginx (deploy/nginx/caravan.conf repeats these values; a test compares them).

- Public pages and feeds: a short lifetime in the browser, a long one in shared caches
  (a CDN), which may also serve a stale copy while it fetches a fresh one. Publishing
  purges the CDN's copies of the changed addresses (purge.py), so the long shared
  lifetime does not show old content there.
- An address with a query string that still gives a public page (?page=2, a tag
  filter): the same, but a short shared lifetime too, since no purge names it.
- Hashed static files (their name changes with their content): immutable for a year.
- Uploaded media (images and their renditions, which get new names when changed):
  long-lived.
- Everything that depends on the visitor (the inquiry form, search, the admin, a page
  for a signed-in editor, anything setting a cookie): private, never stored."""

from whitenoise.middleware import WhiteNoiseMiddleware

from caravan.core.pagecache import CACHEABLE_TYPES, shareable
from caravan.core.querystrings import ignorable

PUBLIC_PAGE = "public, max-age=60, s-maxage=86400, stale-while-revalidate=600, stale-if-error=86400"
PUBLIC_QUERY = "public, max-age=60, s-maxage=300, stale-while-revalidate=60"
YEAR = 365 * 24 * 3600
STATIC_HASHED = f"max-age={YEAR}, public, immutable"  # WhiteNoise's wording
MEDIA = "public, max-age=2592000"
PRIVATE = "private, no-store"

PUBLIC_TYPES = (*CACHEABLE_TYPES, "text/plain")
PRIVATE_URL_NAMES = frozenset(("search",))


def policy(request, response):
    """The Cache-Control a Django response without one gets."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return PRIVATE
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in PRIVATE_URL_NAMES:
        return PRIVATE
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return PRIVATE
    kind = response.get("Content-Type", "").split(";")[0].strip().lower()
    if kind not in PUBLIC_TYPES or not shareable(response):
        return PRIVATE
    return PUBLIC_PAGE if ignorable(request.META.get("QUERY_STRING")) else PUBLIC_QUERY


class CachePolicyMiddleware:
    """Gives every response that has no Cache-Control of its own the policy above (static
    files, media, the health check and Wagtail's private pages set theirs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = policy(request, response)
        return response


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with hashed static files immutable for a year (its own default is ten),
    as nginx sends them.

    Without autorefresh WhiteNoise reads the whole static tree when it is created. The
    tree is collected before the process starts and WhiteNoise never reads it again, so
    the first reading serves every later instance of this process: Wagtail creates the
    middleware anew for each preview, which otherwise walked the tree every time
    (about 20 ms of each preview)."""

    FOREVER = YEAR
    _read = {}  # (directory, prefix) → the files its first reading found in this process

    def update_files_dictionary(self, root, prefix):
        found = self._read.get((root, prefix))
        if found is None:
            kept, self.files = self.files, {}
            try:
                super().update_files_dictionary(root, prefix)
                found = StaticFilesMiddleware._read[(root, prefix)] = self.files
            finally:
                self.files = kept
        self.files.update(found)
