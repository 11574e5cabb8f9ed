"""Where an inquiry came from: the client's address (truncated before it is stored), the
page, the visit's landing page and referrer, UTM parameters and the browser."""

import ipaddress
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from caravan.core.clientip import client_address

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")

# The pages of the visit the dialog's script sends: at most this many, the newest kept.
MAX_PAGES = 20
MAX_PAGE_LENGTH = 300
MAX_PAGES_INPUT = 20_000


def client_ip(request):
    """The visitor's address (an ``ipaddress`` object): see caravan.core.clientip."""
    return client_address(request)


def truncate_ip(ip):
    """The network an address belongs to, as stored: IPv4 /24, IPv6 /48."""
    if ip is None:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _clean(value, limit):
    text = "".join(ch for ch in str(value or "") if ch >= " " and ch != "\x7f")
    return text.strip()[:limit]


def _http_url(value, limit=2000):
    text = _clean(value, limit)
    return text if urlsplit(text).scheme in ("http", "https") else ""


def site_path(value):
    """`value` as a path on this site ('/en/products/'), or '' when it is anything else:
    another site's address, a scheme, '//host', a backslash, control characters. The
    query and fragment are dropped: only which pages were seen is kept."""
    text = str(value) if isinstance(value, str) else ""
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return ""
    if any(ch < " " or ch == "\x7f" for ch in text):
        return ""
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        return ""
    return parts.path[:MAX_PAGE_LENGTH]


def pages_viewed(raw):
    """The pages the visitor viewed in this visit, oldest first, from the form's `pages`
    field (a JSON list of paths kept by the script in sessionStorage): only paths on this
    site, repeats in a row folded, at most MAX_PAGES (the newest). Anything else is
    dropped, never an error: the inquiry matters more than its attribution."""
    if not isinstance(raw, str) or not raw or len(raw) > MAX_PAGES_INPUT:
        return []
    try:
        values = json.loads(raw)
    except ValueError:
        return []
    if not isinstance(values, list):
        return []
    paths = []
    for value in values:
        path = site_path(value)
        if path and (not paths or paths[-1] != path):
            paths.append(path)
    return paths[-MAX_PAGES:]


def from_request(request, data):
    """The attribution fields of an inquiry, from the request and the form's hidden
    fields (filled by the dialog's script from sessionStorage, or by the inquiry page)."""
    values = {
        "page_url": _http_url(data.get("page")),
        "referrer": _http_url(data.get("referrer")),
        "landing_page": _http_url(data.get("landing")),
        "pages_viewed": pages_viewed(data.get("pages")),
        "user_agent": _clean(request.META.get("HTTP_USER_AGENT"), 500),
        "ip_network": truncate_ip(client_ip(request)),
    }
    for name in UTM_FIELDS:
        values[name] = _clean(data.get(name), 200)
    return values


def host_is_ours(request, url):
    """True when `url` points at this site: the request's own host, one of
    ALLOWED_HOSTS (never by a '*' wildcard) or a CSRF_TRUSTED_ORIGINS entry."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    if f"{parts.scheme}://{parts.netloc}" in getattr(settings, "CSRF_TRUSTED_ORIGINS", []):
        return True
    domain, _port = split_domain_port(parts.netloc)
    if not domain:
        return False
    try:
        if parts.netloc == request.get_host():
            return True
    except Exception:  # noqa: BLE001 - DisallowedHost: the request's host is not ours
        return False
    allowed = [host for host in settings.ALLOWED_HOSTS if host != "*"]
    return validate_host(domain, allowed)


def same_site_url(request, url):
    """`url` if it is an address on this site (to link back to), else ''."""
    return url if url and host_is_ours(request, url) else ""
