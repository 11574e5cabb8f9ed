"""Start and stop the processes of an installation for system tests: app servers,
task workers, the periodic runner, management commands."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PORT_RANGE = range(8400, 8500)  # this project's ports on shared machines


_handed_out = set()


def free_port():
    """A free TCP port on 127.0.0.1 from PORT_RANGE (any free port if all are taken),
    never the same one twice in a test run, so ports handed out but not yet bound
    cannot collide."""
    for port in PORT_RANGE:
        if port in _handed_out:
            continue
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            _handed_out.add(port)
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(settings_dict):
    """A DATABASE_URL for the database a Django connection's settings describe."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    auth = settings_dict["USER"] or ""
    if settings_dict["PASSWORD"]:
        auth += f":{settings_dict['PASSWORD']}"
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}"


def clean_environment(**overrides):
    """The test process's environment without the suite's own configuration."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DATABASE_URL",
            "CACHE_URL",
            "EMAIL_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "CARAVAN_BASE_URL",
            "DJANGO_SETTINGS_MODULE",
            "SENTRY_DSN",
        )
    }
    env.update({k: str(v) for k, v in overrides.items()})
    return env


def manage(*args, env, timeout=300, check=True):
    """Run `manage.py args…`; return the CompletedProcess (stdout and stderr as text)."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def python(code, *, env, timeout=120):
    """Run Python `code` in a fresh interpreter at the project root."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Process:
    """A long-running child process in its own session, its output kept in a file."""

    def __init__(self, name, command, env, log_dir):
        self.name = name
        self.log_path = Path(log_dir) / f"{name}.log"
        self._log = self.log_path.open("w")
        self.popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def output(self):
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self, grace=15):
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
        self._log.close()


def wait_for_http(url, timeout=90, process=None, headers=None):
    """Wait until `url` answers (any HTTP status); return the status."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers=headers or {})
    while time.monotonic() < deadline:
        if process is not None and not process.alive():
            raise AssertionError(f"{process.name} exited:\n{process.output()[-3000:]}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {timeout}s")
