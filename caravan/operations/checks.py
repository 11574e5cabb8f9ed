"""System checks of a production installation (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


def check_proxy_addresses(app_configs=None, **kwargs):
    """Behind a reverse proxy (the settings trust its X-Forwarded-Proto) with no proxy
    trusted for X-Forwarded-For, every visitor has the proxy's address: the inquiry rate
    limits and the sign-in throttling then count the whole world as one visitor, so a
    few failed sign-ins pause sign-in for everyone and one busy buyer blocks the rest."""
    behind_proxy = bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None))
    proxies = getattr(settings, "CARAVAN_TRUSTED_PROXIES", []) or []
    count = int(getattr(settings, "CARAVAN_TRUSTED_PROXY_COUNT", 0) or 0)
    if not behind_proxy or proxies or count > 0:
        return []
    return [
        checks.Warning(
            "A reverse proxy is in front (SECURE_PROXY_SSL_HEADER is set) but none is "
            "trusted for the visitor's address (CARAVAN_TRUSTED_PROXY_COUNT=0, "
            "CARAVAN_TRUSTED_PROXIES empty): every visitor would have the proxy's address, "
            "and the inquiry rate limits and sign-in throttling would apply to everyone "
            "at once.",
            hint=(
                "Set CARAVAN_TRUSTED_PROXY_COUNT=1 behind one nginx (2 with a CDN in front "
                "of it), or list the proxies in CARAVAN_TRUSTED_PROXIES (e.g. 10.0.0.0/8); "
                "see docs/deploy.md, 'nginx in front'."
            ),
            id="operations.W001",
        )
    ]
