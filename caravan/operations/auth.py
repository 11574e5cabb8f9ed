"""Admin sign-in throttling (django-axes) and the visitor's address behind proxies."""

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings


def client_ip(request):
    """The visitor's IP address.

    Behind CARAVAN_TRUSTED_PROXY_COUNT reverse proxies (nginx, a load balancer, a CDN)
    REMOTE_ADDR is the nearest proxy; each proxy appends the address it received the
    request from to X-Forwarded-For, so the visitor is that many entries from the right.
    Entries further left were written by the visitor and are never trusted."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.CARAVAN_TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses sign-in while an account or an address is locked out (django-axes).

    Authentication without a request (management commands, `Client.login` in tests)
    is not a sign-in attempt over the web and is left to the other backends."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
