"""The inquiry settings, read at the moment they are needed (so tests can override them).

Every value comes from ``caravan/settings/base.py``, which reads it from the environment;
README.md ("Inquiries") describes each one."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class RateLimit:
    """At most `count` inquiries per `seconds`."""

    count: int
    seconds: int


def parse_rate(value):
    """'20/h', '5/10m', '100/3600' → RateLimit. '0' or '' turns the limit off (None)."""
    value = str(value or "").strip().lower()
    if value in ("", "0", "off", "none"):
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*(\d*)\s*([smhd]?)", value)
    if not match:
        raise ImproperlyConfigured(
            f"Rate limit {value!r}: write it as count/period, e.g. '20/h', '5/10m' or '100/3600'."
        )
    count, number, unit = match.groups()
    if not unit and not number:
        raise ImproperlyConfigured(f"Rate limit {value!r} has no period.")
    return RateLimit(int(count), int(number or 1) * _UNITS[unit or "s"])


def _get(name, default):
    return getattr(settings, name, default)


def rate_limit_ip():
    return parse_rate(_get("CARAVAN_INQUIRY_RATE_LIMIT_IP", "20/h"))


def rate_limit_contact():
    return parse_rate(_get("CARAVAN_INQUIRY_RATE_LIMIT_CONTACT", "5/h"))


def rate_limit_autoreply_domain():
    """At most this many confirmations to one recipient domain (the buyer's address)."""
    return parse_rate(_get("CARAVAN_INQUIRY_AUTOREPLY_RATE_LIMIT_DOMAIN", "20/h"))


def min_seconds():
    return float(_get("CARAVAN_INQUIRY_MIN_SECONDS", 3.0))


def token_max_age():
    return int(_get("CARAVAN_INQUIRY_TOKEN_MAX_AGE", 24 * 3600))


def max_links():
    return int(_get("CARAVAN_INQUIRY_MAX_LINKS", 2))


def spam_threshold():
    return int(_get("CARAVAN_INQUIRY_SPAM_THRESHOLD", 50))


def blocked_words():
    return [w.strip() for w in _get("CARAVAN_INQUIRY_BLOCKED_WORDS", []) if w.strip()]


def lease_seconds():
    return int(_get("CARAVAN_INQUIRY_LEASE_SECONDS", 300))


def retry_seconds():
    """How long after an inquiry arrived its e-mails are still retried."""
    return float(_get("CARAVAN_INQUIRY_RETRY_HOURS", 48.0)) * 3600
