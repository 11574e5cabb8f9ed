"""/healthz as a load balancer and a monitor see it."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from caravan.operations import jobs
from caravan.operations.models import Heartbeat
from caravan.operations.tasks import probe
from caravan.testing.processes import clean_environment, free_port, python

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def health(client, path="/healthz", **extra):
    response = client.get(path, **extra)
    return response, json.loads(response.content)


def test_healthz_answers_json_outside_the_language_prefix_without_cookie_or_cache(client):
    response, body = health(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert body["mode"] == "serving"
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    assert response["X-Content-Type-Options"] == "nosniff"
    # Not redirected to /en/healthz, and not the page tree's 404.
    assert client.get("/healthz/").status_code == 200


def test_healthz_answers_a_probe_by_private_address(client):
    # Load balancers probe app servers by IP; ALLOWED_HOSTS does not list it.
    response, body = health(client, HTTP_HOST="10.0.4.17:8000")
    assert response.status_code == 200 and body["checks"]["database"]["ok"]
    assert client.get("/en/", HTTP_HOST="10.0.4.17:8000").status_code == 400


@override_settings(TASKS=DB_TASKS)
def test_queue_depth_counts_the_tasks_waiting_for_a_worker(client):
    _, before = health(client)
    for n in range(3):
        probe.enqueue(f"depth-{n}")
    _, body = health(client)
    queue = body["checks"]["queue"]
    assert queue["ready"] == before["checks"]["queue"]["ready"] + 3
    assert queue["oldest_ready_age_s"] is not None and queue["oldest_ready_age_s"] >= 0
    with override_settings(CARAVAN_HEALTH_QUEUE_MAX=queue["ready"] - 1):
        response, body = health(client, "/healthz/strict")
        assert body["checks"]["queue"]["ok"] is False
        assert response.status_code == 503


@override_settings(TASKS=DB_TASKS)
def test_worker_heartbeat_comes_from_a_worker_running_the_periodic_heartbeat(client, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    # The worker closes "old" connections between tasks; inside this test's transaction
    # that would close the test's own connection (PostgreSQL).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    Heartbeat.objects.all().delete()
    response, body = health(client, "/healthz/strict")
    assert response.status_code == 503
    assert body["checks"]["workers"] == {**body["checks"]["workers"], "heartbeat_age_s": None}
    # The periodic runner's job: note itself, enqueue the heartbeat task…
    jobs.worker_heartbeat()
    response, body = health(client, "/healthz/strict")
    assert response.status_code == 503  # …which no worker has run yet
    assert body["checks"]["workers"]["periodic_runner_age_s"] < 5
    # …until a worker runs it.
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--queue-name",
        "*",
        "--worker-id",
        "health-test-worker",
        verbosity=0,
    )
    response, body = health(client, "/healthz/strict")
    workers = body["checks"]["workers"]
    assert response.status_code == 200, body
    assert workers["ok"] and workers["heartbeat_age_s"] < 5
    assert workers["worker"] == "health-test-worker"
    assert body["status"] == "ok"


def test_a_stale_heartbeat_fails_strict_but_not_the_load_balancer_check(client):
    Heartbeat.objects.update_or_create(
        name=Heartbeat.WORKER, defaults={"beat_at": timezone.now() - timedelta(minutes=10)}
    )
    response, body = health(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["workers"]["ok"] is False
    assert body["checks"]["workers"]["heartbeat_age_s"] >= 600
    response, body = health(client, "/healthz/strict")
    assert response.status_code == 503 and body["mode"] == "strict"


# Who sees what ----------------------------------------------------------------------------

VISITOR = "203.0.113.9"
TOKEN = "health-" + "t0k3n" * 8


def test_the_public_gets_only_ok_or_failing(client):
    response, body = health(client, REMOTE_ADDR=VISITOR)
    assert response.status_code == 200
    assert body == {"status": "ok"}
    Heartbeat.objects.all().delete()
    response, body = health(client, "/healthz/strict", REMOTE_ADDR=VISITOR)
    assert response.status_code == 503
    assert body == {"status": "failing"}
    for secret in ("sqlite", "postgresql", "Cache", "worker", "ready"):
        assert secret not in response.content.decode()
    # The machine itself (loopback) still reads the whole report.
    response, body = health(client, "/healthz/strict")
    assert body["checks"]["workers"]["ok"] is False and body["mode"] == "strict"


@override_settings(CARAVAN_HEALTH_TOKEN=TOKEN)
def test_the_report_is_shown_with_the_token_from_anywhere(client):
    _, body = health(client, REMOTE_ADDR=VISITOR, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert body["checks"]["database"]["vendor"]
    for wrong in (f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", "Bearer ", TOKEN):
        _, body = health(client, REMOTE_ADDR=VISITOR, HTTP_AUTHORIZATION=wrong)
        assert body == {"status": "ok"}, wrong


@override_settings(CARAVAN_HEALTH_TOKEN="")
def test_no_token_configured_means_no_token_works(client):
    _, body = health(client, REMOTE_ADDR=VISITOR, HTTP_AUTHORIZATION="Bearer ")
    assert body == {"status": "ok"}


@override_settings(CARAVAN_HEALTH_DETAIL_IPS=["10.0.0.0/8"])
def test_the_report_is_shown_to_the_configured_networks_only(client):
    _, body = health(client, REMOTE_ADDR="10.4.0.17")
    assert "checks" in body
    _, body = health(client, REMOTE_ADDR="127.0.0.1")
    assert body == {"status": "ok"}


def test_visitors_behind_a_local_proxy_do_not_look_local(client):
    """nginx on the same machine connects from 127.0.0.1: with no proxy trusted, the
    address proves nothing; with the proxy trusted, the visitor's own address counts."""
    through_nginx = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": VISITOR}
    with override_settings(CARAVAN_TRUSTED_PROXY_COUNT=0, CARAVAN_TRUSTED_PROXIES=[]):
        assert health(client, **through_nginx)[1] == {"status": "ok"}
    with override_settings(CARAVAN_TRUSTED_PROXY_COUNT=1):
        assert health(client, **through_nginx)[1] == {"status": "ok"}
        local = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}
        assert "checks" in health(client, **local)[1]


HEALTH_IN_SUBPROCESS = """
import django, json
django.setup()
from django.test import Client
r = Client().get("/healthz")
print(json.dumps({"status": r.status_code, "body": json.loads(r.content)}))
"""


def unreachable_health(**env):
    result = python(
        HEALTH_IN_SUBPROCESS,
        env=clean_environment(DJANGO_SETTINGS_MODULE="caravan.settings.test", **env),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_an_unreachable_database_gives_503():
    closed = free_port()  # nothing listens there
    answer = unreachable_health(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed}/caravan",
    )
    assert answer["status"] == 503
    checks = answer["body"]["checks"]
    assert checks["database"]["ok"] is False and "OperationalError" in checks["database"]["error"]
    assert checks["cache"]["ok"] is True
    assert answer["body"]["status"] == "fail"


def test_an_unreachable_cache_gives_503():
    closed = free_port()
    answer = unreachable_health(CACHE_URL=f"redis://127.0.0.1:{closed}/0")
    assert answer["status"] == 503
    checks = answer["body"]["checks"]
    assert checks["cache"]["ok"] is False and "ConnectionError" in checks["cache"]["error"]
    assert checks["database"]["ok"] is True


@pytest.mark.redis
def test_healthz_checks_the_real_redis(client):
    _, body = health(client)
    assert body["checks"]["cache"] == {
        **body["checks"]["cache"],
        "ok": True,
        "backend": "RedisCache",
    }


@pytest.mark.postgres
def test_healthz_checks_the_real_postgresql(client):
    _, body = health(client)
    assert body["checks"]["database"]["vendor"] == "postgresql"
