"""The health report that load balancers and monitoring read from /healthz.

Two questions, two answers:

- ``/healthz`` — can this app server serve requests? 503 only when the database or
  the cache cannot be reached. The task queue and the workers are reported but do not
  fail it: taking every app server out of the load balancer because a worker died
  would turn delayed e-mails into a full outage, while inquiries are still stored.
- ``/healthz/strict`` — is the whole installation well? Also 503 when the newest
  worker heartbeat is older than ``CARAVAN_HEALTH_HEARTBEAT_MAX_AGE`` seconds or more
  than ``CARAVAN_HEALTH_QUEUE_MAX`` tasks wait. Point monitoring and alerts here.

Anyone may ask, so the public answer is only ``{"status": "ok"}`` (200) or
``{"status": "failing"}`` (503). The report behind it (database vendor, cache backend,
queue depth, worker id, error messages) tells an attacker what runs where, so it goes
only to a client whose address is in ``CARAVAN_HEALTH_DETAIL_IPS`` (default: loopback)
or that sends ``Authorization: Bearer <CARAVAN_HEALTH_TOKEN>``.
"""

import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from caravan.core.clientip import client_address, networks


def _timed(check):
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # noqa: BLE001 - any failure of a dependency is a finding, not a crash
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def check_cache():
    key = f"caravan:healthz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    try:
        read = cache.get(key)
    finally:
        cache.delete(key)
    if read != value:
        return {"ok": False, "error": "a value written to the cache could not be read back"}
    return {"ok": True, "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _age(moment, now):
    return round((now - moment).total_seconds(), 1) if moment else None


def check_queue():
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    depth = ready.count()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    limit = settings.CARAVAN_HEALTH_QUEUE_MAX
    return {
        "ok": depth <= limit,
        "ready": depth,
        "max_ready": limit,
        "oldest_ready_age_s": _age(oldest, now),
    }


def check_workers():
    from .models import Heartbeat

    now = timezone.now()
    beats = {beat.name: beat for beat in Heartbeat.objects.all()}
    worker = beats.get(Heartbeat.WORKER)
    periodic = beats.get(Heartbeat.PERIODIC)
    worker_age = _age(worker.beat_at if worker else None, now)
    limit = settings.CARAVAN_HEALTH_HEARTBEAT_MAX_AGE
    return {
        "ok": worker_age is not None and worker_age <= limit,
        "heartbeat_age_s": worker_age,
        "max_age_s": limit,
        "worker": (worker.detail or {}).get("worker_id") if worker else None,
        "periodic_runner_age_s": _age(periodic.beat_at if periodic else None, now),
    }


def report(strict=False):
    """Run every check; return (HTTP status, JSON-able report)."""
    checks = {
        "database": _timed(check_database),
        "cache": _timed(check_cache),
    }
    if checks["database"]["ok"]:
        checks["queue"] = _timed(check_queue)
        checks["workers"] = _timed(check_workers)
    else:
        checks["queue"] = {"ok": False, "error": "database unreachable"}
        checks["workers"] = {"ok": False, "error": "database unreachable"}
    serving = checks["database"]["ok"] and checks["cache"]["ok"]
    healthy = serving and checks["queue"]["ok"] and checks["workers"]["ok"]
    passed = healthy if strict else serving
    body = {
        "status": "ok" if healthy else ("degraded" if serving else "fail"),
        "mode": "strict" if strict else "serving",
        "checks": checks,
    }
    return (200 if passed else 503), body


def public_body(status):
    """What anyone may see: whether the check passed, nothing about what runs here."""
    return {"status": "ok" if status == 200 else "failing"}


def _has_token(request):
    token = getattr(settings, "CARAVAN_HEALTH_TOKEN", "") or ""
    scheme, _space, sent = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and constant_time_compare(sent.strip(), token)


def shows_details(request):
    """True for a client allowed to read the whole report: the token, or an address in
    CARAVAN_HEALTH_DETAIL_IPS. A request that came through a proxy nobody told us to
    trust (X-Forwarded-For without CARAVAN_TRUSTED_PROXY_COUNT/_PROXIES) has the proxy's
    address, often loopback, so its address proves nothing."""
    if _has_token(request):
        return True
    proxies_trusted = bool(getattr(settings, "CARAVAN_TRUSTED_PROXIES", None)) or (
        int(getattr(settings, "CARAVAN_TRUSTED_PROXY_COUNT", 0) or 0) > 0
    )
    if "HTTP_X_FORWARDED_FOR" in request.META and not proxies_trusted:
        return False
    address = client_address(request)
    return address is not None and any(
        address in net for net in networks(getattr(settings, "CARAVAN_HEALTH_DETAIL_IPS", []) or [])
    )
