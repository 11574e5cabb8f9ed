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
