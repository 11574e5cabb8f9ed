"""Where an inquiry came from: the client's address (truncated before it is stored), the
page, the visit's landing page and referrer, UTM parameters and the browser."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from . import conf

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


def _networks(values):
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            continue
    return networks


def _parse_ip(value):
    try:
        ip = ipaddress.ip_address((value or "").strip().strip("[]"))
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def client_ip(request):
    """The visitor's IP address.

    REMOTE_ADDR, unless it belongs to a proxy listed in CARAVAN_TRUSTED_PROXIES: then the
    X-Forwarded-For chain is read from the right, skipping the trusted proxies, and the
    first address not among them is the client. A client cannot forge its way past this:
    whatever it puts in X-Forwarded-For ends up left of the address our proxy appended."""
    remote = _parse_ip(request.META.get("REMOTE_ADDR"))
    trusted = _networks(conf.trusted_proxies())
    if remote is None or not trusted or not any(remote in net for net in trusted):
        return remote
    chain = [_parse_ip(part) for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(chain):
        if hop is None:
            break
        if not any(hop in net for net in trusted):
            return hop
    return remote


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
