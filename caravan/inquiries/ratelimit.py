"""Per-IP and per-contact limits on stored inquiries, counted in the Django cache.

Fixed windows: the first inquiry of a window creates the counter with the window's
lifetime; later ones increment it. With the local-memory cache each server process counts
for itself; with Redis (CACHE_URL) all processes share one count."""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0
    scope: str = ""


def _key(scope, identity, window):
    digest = hashlib.sha256(f"{scope}\0{identity}".encode()).hexdigest()[:32]
    return f"caravan:inquiry-rate:{scope}:{digest}:{window}"


def hit(scope, identity, limit, now=None):
    """Count one inquiry for `identity`; refuse it when `limit` (conf.RateLimit) is
    already used up in the current window."""
    if limit is None or not identity:
        return Decision(True)
    now = time.time() if now is None else now
    window = int(now // limit.seconds)
    key = _key(scope, identity, window)
    retry_after = max(int((window + 1) * limit.seconds - now), 1)
    cache.add(key, 0, timeout=limit.seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.seconds + 5)
        count = 1
    if count > limit.count:
        return Decision(False, retry_after, scope)
    return Decision(True)
