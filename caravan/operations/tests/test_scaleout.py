"""Scale-out proof: two app servers and two task workers (plus the periodic runner) on
one PostgreSQL and one Redis share everything that must be shared.

Runs in `make test-postgres` (the suite on PostgreSQL and Redis); the cluster uses the
suite's own test database, so the demo site is there, and cleans up what it adds."""

import json
import re
import time
import uuid
from collections import Counter

import pytest
from django.conf import settings

from caravan.testing import inquiry_data
from caravan.testing.processes import database_url, python

from .scaleout import Cluster

# django_db: the suite's test database must exist; the cluster writes to it (committed,
# from its own processes) and the tests read what it wrote.
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db]

LOGIN = f"/{settings.CARAVAN_ADMIN_PATH}/login/"
PROBES = 40
INQUIRY_LIMIT = 6  # inquiries per hour from one address, in the cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, django_db_setup, django_db_blocker):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from caravan.inquiries.models import Inquiry
    from caravan.operations.models import Heartbeat, TaskProbe
    from caravan.static_site.models import PublicFile

    run = uuid.uuid4().hex[:8]
    with django_db_blocker.unblock():
        last_public_file = PublicFile.objects.order_by("-pk").values_list("pk", flat=True).first()
        last_public_file = last_public_file or 0
        admin = get_user_model().objects.create_superuser(
            f"scale-admin-{run}", "", f"pw-scale-{run}"
        )
        location = settings.CACHES["default"]["LOCATION"]
        nodes = Cluster(
            tmp_path_factory.mktemp("cluster"),
            database_url=database_url(connection.settings_dict),
            cache_url=location[0] if isinstance(location, list) else location,
            extra_env={"CARAVAN_INQUIRY_RATE_LIMIT_IP": f"{INQUIRY_LIMIT}/h"},
        )
        nodes.run = run
        nodes.admin = admin
        nodes.admin_password = f"pw-scale-{run}"
        try:
            yield nodes.start()
        finally:
            nodes.stop()
            # Leave the suite's database as the other tests expect it.
            TaskProbe.objects.filter(token__startswith=f"scale-{run}-").delete()
            DBTaskResult.objects.filter(task_path__startswith="caravan.operations.tasks.").delete()
            DBTaskResult.objects.filter(task_path__startswith="caravan.inquiries.").delete()
            Inquiry.objects.filter(message__contains=f"[scale-{run}]").delete()
            # Files the cluster's worker rendered on publishing, into its own directory.
            PublicFile.objects.filter(pk__gt=last_public_file).delete()
            Heartbeat.objects.all().delete()
            get_user_model().objects.filter(pk=admin.pk).delete()


def test_both_servers_report_healthy_with_a_live_worker_heartbeat(cluster):
    for server in (0, 1):
        answer = cluster.wait_until(
            lambda server=server: (lambda r: r if r.json()["checks"]["workers"]["ok"] else None)(
                cluster.request(server, "/healthz/strict")
            ),
            message=f"a fresh worker heartbeat seen by server {server + 1}",
        )
        assert answer.status == 200
        checks = answer.json()["checks"]
        assert checks["database"]["vendor"] == "postgresql"
        assert checks["cache"]["backend"] == "RedisCache"
        assert checks["workers"]["worker"] in cluster.worker_ids
        assert checks["workers"]["periodic_runner_age_s"] < 30


def test_tasks_enqueued_through_either_server_run_exactly_once(cluster, django_db_blocker):
    from django_tasks_db.models import DBTaskResult

    from caravan.operations.models import TaskProbe

    tokens = [f"scale-{cluster.run}-{n}" for n in range(PROBES)]
    answers = cluster.post_round(
        "/scaleout/probe/", [{"token": t, "email_to": "ops@example.test"} for t in tokens]
    )
    assert [a.status for a in answers] == [202] * PROBES
    assert len({a.json()["server_pid"] for a in answers}) == 2  # both servers took part

    with django_db_blocker.unblock():
        rows = TaskProbe.objects.filter(token__in=tokens)
        cluster.wait_until(lambda: rows.count() >= PROBES, message="every probe run")
        cluster.wait_until(
            lambda: len(probe_mails(cluster, tokens)) >= PROBES, message="every probe mailed"
        )
        # Give a duplicate, if there were one, time to appear.
        cluster.wait_until(
            lambda: not DBTaskResult.objects.ready().filter(task_path__endswith=".probe").exists(),
            message="an empty queue",
        )
        ran = list(rows.values_list("token", "worker_id"))
        results = list(
            DBTaskResult.objects.filter(task_path__endswith=".probe").values_list(
                "status", "worker_ids", "args_kwargs"
            )
        )
    assert Counter(token for token, _ in ran) == Counter(tokens)  # each exactly once
    assert {worker for _, worker in ran} == set(cluster.worker_ids)  # both workers worked
    ours = [r for r in results if r[2]["args"][0] in tokens]
    assert len(ours) == PROBES
    assert all(status == "SUCCESSFUL" and len(workers) == 1 for status, workers, _ in ours)
    assert Counter(probe_mails(cluster, tokens)) == Counter(tokens)  # one e-mail each


def probe_mails(cluster, tokens):
    wanted = set(tokens)
    found = []
    for message in cluster.smtp.messages():
        match = re.search(r"Caravan worker probe (\S+)", str(message["message"]["Subject"]))
        if match and match.group(1) in wanted:
            found.append(match.group(1))
    return found


def sign_in(cluster, server, username, password, client_ip):
    page = cluster.request(server, LOGIN, client_ip=client_ip)
    token = page.cookies["csrftoken"]
    return cluster.request(
        server,
        LOGIN,
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        cookies={"csrftoken": token},
        client_ip=client_ip,
    )


def test_a_session_opened_on_one_server_is_valid_on_the_other(cluster):
    signed_in = sign_in(cluster, 0, cluster.admin.username, cluster.admin_password, "198.51.100.20")
    assert signed_in.status == 302, re.findall(
        r"<li class=\"error\">(.*?)</li>", signed_in.text, re.S
    )
    session = signed_in.cookies["sessionid"]
    dashboard = cluster.request(
        1, f"/{settings.CARAVAN_ADMIN_PATH}/", cookies={"sessionid": session}
    )
    assert dashboard.status == 200
    assert "Welcome to the" in dashboard.text or "Dashboard" in dashboard.text
    # The session is in Redis, under this installation's key prefix.
    from django.core.cache.backends.redis import RedisCache

    redis = RedisCache(cluster.env["CACHE_URL"], {"KEY_PREFIX": cluster.cache_prefix})
    assert redis.get(f"django.contrib.sessions.cached_db{session}") is not None


def test_sign_in_throttling_counts_failures_on_both_servers_together(cluster):
    limit = settings.AXES_FAILURE_LIMIT
    victim = f"nobody-{cluster.run}"
    # Failures for one account from one address, alternating servers: neither server alone
    # sees the limit reached…
    for n in range(limit - 1):
        answer = sign_in(cluster, n % 2, victim, "wrong", "203.0.113.7")
        assert answer.status == 200
    # …but together they do: the next failure, on either server, pauses that pair…
    locked = sign_in(cluster, (limit - 1) % 2, victim, "wrong", "203.0.113.7")
    assert locked.status == 429
    assert "Too many failed sign-in attempts" in locked.text
    # …and only that pair: the same account from another address is not refused.
    assert sign_in(cluster, 0, victim, "wrong", "203.0.113.8").status == 200

    # Failures from one address on several accounts, alternating servers.
    address = "192.0.2.77"
    for n in range(limit):
        sign_in(cluster, n % 2, f"guess-{cluster.run}-{n}", "wrong", address)
    for server in (0, 1):
        locked = sign_in(cluster, server, f"fresh-{cluster.run}", "wrong", address)
        assert locked.status == 429


def test_every_process_logs_json_lines_with_request_ids(cluster):
    cluster.request(0, "/en/", headers={"X-Request-ID": f"scale-trace-{cluster.run}"})
    logs = cluster.logs()
    records = [
        json.loads(line)
        for line in logs["server-1"].splitlines()
        if line.startswith("{") and "caravan.access" in line
    ]
    assert any(
        r["request_id"] == f"scale-trace-{cluster.run}" and r["path"] == "/en/" for r in records
    )


INQUIRIES = 30


def subjects(cluster):
    for message in cluster.smtp.messages():
        yield str(message["message"]["Subject"] or "")


def inquiry_payload(cluster, server, n, client_ip):
    """A valid inquiry with a form token issued by the cluster (its own secret key)."""
    token = cluster.request(server, "/en/inquiry/token/", client_ip=client_ip).json()["token"]
    return inquiry_data(
        name=f"Buyer {n}",
        # A domain of its own per buyer: the confirmations per recipient domain are limited
        # (CARAVAN_INQUIRY_AUTOREPLY_RATE_LIMIT_DOMAIN), and these are 30 different buyers.
        contact=f"buyer@{cluster.run}-{n}.example.com",
        message=f"[scale-{cluster.run}] Please quote {n + 10} DN100 gate valves, PN16.",
        quantity=str(n + 10),
        token=token,
        page="https://127.0.0.1/en/",
    )


def test_inquiries_posted_to_both_servers_are_notified_exactly_once(cluster, django_db_blocker):
    from caravan.inquiries.models import Inquiry

    # One buyer address per inquiry (through the proxy), so no rate limit is involved here.
    payloads = [
        inquiry_payload(cluster, n % 2, n, f"198.51.100.{100 + n}") for n in range(INQUIRIES)
    ]
    time.sleep(settings.CARAVAN_INQUIRY_MIN_SECONDS + 0.5)  # a person takes that long
    answers = [
        cluster.request(
            n % 2,
            "/en/inquiry/",
            data=payload,
            client_ip=f"198.51.100.{100 + n}",
            headers={"Accept": "application/json"},
        )
        for n, payload in enumerate(payloads)
    ]
    assert [a.status for a in answers] == [201] * INQUIRIES, answers[0].text[:500]
    references = [a.json()["reference"] for a in answers]
    assert len(set(references)) == INQUIRIES

    def mailed():
        counts = Counter()
        for subject in subjects(cluster):
            for reference in references:
                if reference in subject:
                    counts[reference] += 1
        return counts

    cluster.wait_until(
        lambda: sum(mailed().values()) >= 2 * INQUIRIES,
        message="a notification and a confirmation for every inquiry",
    )
    with django_db_blocker.unblock():
        rows = Inquiry.objects.filter(reference__in=references)
        cluster.wait_until(
            lambda: (
                rows.filter(notification_status="sent", autoreply_status="sent").count()
                == INQUIRIES
            ),
            message="every inquiry recorded as delivered",
        )
        assert rows.count() == INQUIRIES
    time.sleep(2)  # a duplicate, if a second worker also sent one, would arrive by now
    assert mailed() == Counter(dict.fromkeys(references, 2))


def test_the_inquiry_rate_limit_counts_on_both_servers_together(cluster):
    count = INQUIRY_LIMIT
    address = "192.0.2.150"
    payloads = [inquiry_payload(cluster, n % 2, 1000 + n, address) for n in range(count + 2)]
    time.sleep(settings.CARAVAN_INQUIRY_MIN_SECONDS + 0.5)
    statuses = [
        cluster.request(
            n % 2,
            "/en/inquiry/",
            data=payload,
            client_ip=address,
            headers={"Accept": "application/json"},
        ).status
        for n, payload in enumerate(payloads)
    ]
    # Alternating servers, the limit trips after exactly `count`, as on one server.
    assert statuses == [201] * count + [429, 429]


PUBLISH = """
import django, sys
django.setup()
from caravan.core.models import StandardPage
page = StandardPage.objects.get(slug="about", locale__language_code="en")
page.title = sys.argv[1]
page.save_revision().publish()
"""


def test_a_page_cached_by_one_server_is_fresh_on_both_after_publishing(cluster):
    about = "/en/about/"
    first = cluster.request(0, about)
    assert first.status == 200 and first.headers.get("x-caravan-cache") == "miss"
    second = cluster.request(1, about)
    assert second.headers["x-caravan-cache"] == "hit"  # stored in Redis by the other server
    assert second.body == first.body
    original = re.search(r"<h1[^>]*>(.*?)</h1>", first.text, re.S).group(1).strip()

    def publish(title):
        # Another process publishes, as an editor's app server or the scheduler would.
        code = PUBLISH.replace("sys.argv[1]", repr(title))
        done = python(code, env=cluster.env)
        assert done.returncode == 0, done.stderr[-2000:]

    publish(f"About us {cluster.run}")
    try:
        for server in (0, 1):
            fresh = cluster.request(server, about)
            assert f"About us {cluster.run}" in fresh.text
    finally:
        publish(original)
