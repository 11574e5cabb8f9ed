"""The visitor's IP address, the same for every part of the site that needs one (sign-in
throttling, inquiry rate limits, the network stored with an inquiry).

Without a proxy in front, it is REMOTE_ADDR. Behind reverse proxies (nginx, a load
balancer, a CDN) REMOTE_ADDR is the nearest proxy and each proxy appends the address it
received the request from to X-Forwarded-For. Tell Caravan which entries to believe in one
of two ways:

- ``CARAVAN_TRUSTED_PROXIES``: the proxies' addresses or networks. The chain is read from
  the right, skipping trusted proxies; the first address that is not one is the visitor.
  Only used when REMOTE_ADDR itself is a trusted proxy.
- ``CARAVAN_TRUSTED_PROXY_COUNT``: how many proxies are in front; the visitor is that many
  entries from the right.

When both are set, the list wins. Entries further left were written by the visitor and are
never trusted, so nobody can pick their own address by sending X-Forwarded-For."""

import ipaddress

from django.conf import settings


def parse_ip(value):
    """An ip_address, IPv4-mapped IPv6 unwrapped; None for anything else."""
    try:
        ip = ipaddress.ip_address((value or "").strip().strip("[]"))
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def networks(values):
    """The address networks in `values` ("10.0.0.0/8", "127.0.0.1", ...); an entry that
    is not one is left out."""
    found = []
    for value in values:
        try:
            found.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            continue
    return found


def client_address(request):
    """The visitor's address as an ``ipaddress`` object (None if REMOTE_ADDR is junk)."""
    remote = parse_ip(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    trusted = networks(getattr(settings, "CARAVAN_TRUSTED_PROXIES", []) or [])
    if trusted:
        if not any(remote in net for net in trusted):
            return remote
        for hop in reversed([parse_ip(part) for part in forwarded]):
            if hop is None:
                break
            if not any(hop in net for net in trusted):
                return hop
        return remote
    hops = int(getattr(settings, "CARAVAN_TRUSTED_PROXY_COUNT", 0) or 0)
    entries = [part.strip() for part in forwarded if part.strip()]
    if hops <= 0 or len(entries) < hops:
        return remote
    return parse_ip(entries[-hops]) or remote


def client_ip(request):
    """The visitor's address as text ('' when unknown), for django-axes and logs."""
    address = client_address(request)
    return str(address) if address is not None else ""
