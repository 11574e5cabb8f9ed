"""Query strings that do not change a public page: the parameters that ad platforms,
newsletters and search engines add to links (campaign tags, click ids). A page answers
the same with or without them — the inquiry dialog's script reads the campaign tags in
the browser (static/js/inquiry.js) — so such a request is served the page's public file
(deploy/nginx/caravan.conf, the embedded fast path) or the page cache, instead of a
fresh rendering for every click of a campaign. Any other parameter (search, the sitemap's
sections, ?page=) still goes to Django.

deploy/nginx/caravan.conf repeats TRACKING_ONLY in its `map $args`: keep the two alike
(caravan/static_site/tests/test_nginx.py checks the shipped file against this one)."""

import re

TRACKING_PARAMETERS = (
    "utm_[A-Za-z0-9_]+",  # campaign tags (Google Analytics and everyone since)
    "gclid", "gbraid", "wbraid", "dclid", "srsltid",  # Google Ads, Merchant Center
    "fbclid", "igshid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
    "mc_cid", "mc_eid", "_ga", "_gl",  # Mailchimp, Google's cross-domain linker
)  # fmt: skip
TRACKING_ONLY = r"^(?:(?:%s)(?:=[^&]*)?(?:&|$))+$" % "|".join(TRACKING_PARAMETERS)  # noqa: UP031
_tracking_only = re.compile(TRACKING_ONLY)


def ignorable(query_string):
    """True when a page answers a request with this query string exactly as without it:
    none at all, or tracking parameters only."""
    return not query_string or _tracking_only.match(query_string) is not None
