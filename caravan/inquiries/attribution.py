"""Where an inquiry came from: the client's address (truncated before it is stored), the
page, the visit's landing page and referrer, UTM parameters and the browser."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from caravan.core.clientip import client_address

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


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


def from_request(request, data):
    """The attribution fields of an inquiry, from the request and the form's hidden
    fields (filled by the dialog's script from sessionStorage, or by the inquiry page)."""
    values = {
        "page_url": _http_url(data.get("page")),
        "referrer": _http_url(data.get("referrer")),
        "landing_page": _http_url(data.get("landing")),
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
