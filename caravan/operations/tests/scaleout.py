"""The scale-out cluster: N app servers and M task workers, with one periodic runner,
against one PostgreSQL database and one Redis, under production settings, with a
loopback SMTP server catching every e-mail.

    cluster = Cluster(tmp_path, database_url=..., cache_url=...)
    cluster.start()
    results = cluster.post_round("/scaleout/probe/", payloads)   # spread over servers
    cluster.smtp.messages()                                       # what was sent
    cluster.stop()

The app servers run exactly as `manage.py runsite` runs them (granian, see
`caravan.operations.management.commands.runsite.granian_command`); the workers are
`manage.py db_worker`. Requests carry `X-Forwarded-Proto: https` and an
`X-Forwarded-For` client address, as a TLS-terminating proxy in front would send.

Hook for the inquiries (issue 5), to add after the merge — `test_scaleout.py`,
"test_inquiries_posted_to_both_servers_are_notified_exactly_once":
1. `cluster.post_round("/en/inquiry/", payloads)` with N inquiries (each payload a dict
   of form fields, unique message text; fetch the signed time token per request first
   if the endpoint wants one, with `cluster.request(...)`), spread over both servers;
2. wait until `Inquiry` has N new rows and `cluster.smtp.messages()` holds one sales
   notification (and one auto-reply) per inquiry;
3. assert no inquiry and no e-mail appears twice (`Counter` over the reference
   numbers in subjects), and the Inquiry rows record delivery as sent;
4. post past the inquiry rate limit alternating servers, from one client address:
   the limit must trip at the same count as on one server (the counter is in Redis).
"""

import json
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from caravan.operations.management.commands.runsite import granian_command, worker_command
from caravan.testing.processes import Process, clean_environment, free_port, start_server
from caravan.testing.smtp import SmtpServer

HEALTH_TOKEN = "scale-out-monitor-" + "h" * 14 + "0123456789"


@dataclass
class Response:
    server: int
    status: int
    headers: dict
    body: bytes
    cookies: dict = field(default_factory=dict)

    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


class Cluster:
    """Processes of one production installation on this machine (see module doc)."""

    SETTINGS = "caravan.operations.tests.system_settings"

    def __init__(self, tmp_path, *, database_url, cache_url, servers=2, workers=2, extra_env=None):
        self.tmp_path = tmp_path
        self.smtp = SmtpServer()
        self.cache_prefix = f"scaleout-{uuid.uuid4().hex[:10]}"
        self.worker_ids = [f"scale-worker-{n + 1}" for n in range(workers)]
        self.ports = [free_port() for _ in range(servers)]
        self.env = clean_environment(
            DJANGO_SETTINGS_MODULE=self.SETTINGS,
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=database_url,
            CACHE_URL=cache_url,
            CACHE_KEY_PREFIX=self.cache_prefix,
            EMAIL_URL=f"smtp://127.0.0.1:{self.smtp.port}",
            CARAVAN_BASE_URL="https://127.0.0.1",
            CARAVAN_TRUSTED_PROXY_COUNT=1,
            CARAVAN_HEALTH_TOKEN=HEALTH_TOKEN,
            CARAVAN_HEARTBEAT_SECONDS=1,
            CARAVAN_VAR_DIR=tmp_path,
            MEDIA_ROOT=tmp_path / "media",
            LOG_FORMAT="json",
            **(extra_env or {}),
        )
        self.processes = []

    @property
    def urls(self):
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def start(self):
        self.smtp.start()
        for worker_id in self.worker_ids:
            command = [
                *worker_command("manage.py"),
                "--no-startup-delay",
                "--worker-id",
                worker_id,
            ]
            self.processes.append(Process(worker_id, command, self.env, self.tmp_path))
        periodic = [sys.executable, "manage.py", "run_periodic", "--tick", "0.5"]
        self.processes.append(Process("periodic", periodic, self.env, self.tmp_path))
        for n, (port, url) in enumerate(zip(self.ports, self.urls, strict=True)):
            command = granian_command("127.0.0.1", port, 1, 4)
            self.processes.append(
                start_server(
                    f"server-{n + 1}", command, self.env, self.tmp_path, f"{url}/healthz", 120
                )
            )
        return self

    def stop(self):
        for process in self.processes:
            process.stop()
        self.smtp.stop()

    def logs(self):
        return {process.name: process.output() for process in self.processes}

    def request(
        self,
        server,
        path,
        *,
        data=None,
        method=None,
        cookies=None,
        client_ip="198.51.100.10",
        headers=None,
    ):
        """One request to app server number `server`, through a pretend TLS proxy."""
        url = self.urls[server] + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        all_headers = {
            "Host": "127.0.0.1",
            # The monitor's token: /healthz shows its details only with it.
            "Authorization": f"Bearer {HEALTH_TOKEN}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": client_ip,
            "Origin": "https://127.0.0.1",
            "Referer": "https://127.0.0.1/",
            **(headers or {}),
        }
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        request = urllib.request.Request(url, data=body, headers=all_headers, method=method)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=60) as answer:
                status, raw_headers, content = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as exc:
            status, raw_headers, content = exc.code, exc.headers, exc.read()
        jar = SimpleCookie()
        for value in raw_headers.get_all("Set-Cookie") or []:
            jar.load(value)
        return Response(
            server=server,
            status=status,
            headers=dict(raw_headers.items()),
            body=content,
            cookies={name: morsel.value for name, morsel in jar.items()},
        )

    def post_round(self, path, payloads, *, threads=16, **request_options):
        """POST every payload, alternating servers, many at once; return the responses
        in payload order."""

        def send(numbered):
            n, payload = numbered
            return self.request(n % len(self.urls), path, data=payload, **request_options)

        with ThreadPoolExecutor(max_workers=threads) as pool:
            return list(pool.map(send, enumerate(payloads)))

    def wait_until(self, condition, timeout=90, interval=0.3, message="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(interval)
        logs = "\n".join(f"--- {name}\n{text[-1500:]}" for name, text in self.logs().items())
        raise AssertionError(f"{message} not reached within {timeout}s\n{logs}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
