"""Start and stop the processes of an installation for system tests: app servers,
task workers, the periodic runner, nginx, management commands. One `free_port`, one
`Process` (started in a session of its own, its output in a file, stopped with its
children) and `start_server`, which starts one and waits until it answers; and
`run_task_worker`, the database task worker run in the test's own process."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_handed_out = set()


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now, chosen by the system
    among its ephemeral ports (so that test runs side by side on one machine rarely pick
    the same one), and never the same one twice in a test run, so that ports handed out
    but not yet bound cannot collide."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port


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


def copy_test_database(path):
    """Copy the suite's in-memory SQLite test database (the demo as the session loaded it)
    into the file `path`, in milliseconds; return its DATABASE_URL. Call it where database
    access is allowed (e.g. inside `django_db_blocker.unblock()`)."""
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        raise RuntimeError("only the in-memory SQLite test database can be copied")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def copy_postgres_test_database(name):
    """Copy the suite's PostgreSQL test database (the demo as the session loaded it) into
    a new database `name` (CREATE DATABASE … TEMPLATE: a file copy, about a second);
    return its DATABASE_URL; `drop_database` removes it. A process given the copy never
    waits on the locks of a test's open transaction, nor commits into the suite's
    database. Call it where database access is allowed and no test's transaction is
    open (a module or session fixture): the suite's connection is closed, as the
    template may have none."""
    from django.db import connection
    from psycopg import sql

    if connection.vendor != "postgresql":
        raise RuntimeError("only a PostgreSQL test database is copied this way")
    settings_dict = connection.settings_dict
    connection.close()
    drop_database(settings_dict, name)
    with _postgres_server(settings_dict) as server:
        server.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(settings_dict["NAME"])
            )
        )
    return database_url({**settings_dict, "NAME": name})


def drop_database(settings_dict, name):
    """Remove the PostgreSQL database `name` on the server `settings_dict` names, if any,
    closing what is still connected to it."""
    from psycopg import sql

    with _postgres_server(settings_dict) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _postgres_server(settings_dict):
    from psycopg import connect

    return connect(database_url({**settings_dict, "NAME": "postgres"}), autocommit=True)


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
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def send_signal(self, signum):
        self.popen.send_signal(signum)

    def wait(self, timeout=None):
        """Wait for the process to end; return its exit status."""
        return self.popen.wait(timeout=timeout)

    def stop(self, grace=15):
        """SIGTERM to the process and everything it started; SIGKILL after `grace` s."""
        stop_process_group(self.popen, grace)
        self._log.close()


def stop_process_group(popen, timeout=15):
    """Stop a process started with `start_new_session=True` and everything it started:
    SIGTERM to the group, SIGKILL if it has not ended after `timeout` seconds."""
    if popen.poll() is None:
        os.killpg(popen.pid, signal.SIGTERM)
        try:
            popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(popen.pid, signal.SIGKILL)
            popen.wait()


def wait_for_http(
    url, timeout=90, process=None, headers=None, *, success_only=False, ssl_context=None
):
    """Wait until `url` answers (any HTTP status; with `success_only` a 2xx one); return
    the status. Fails at once, with its output, when `process` has exited. `ssl_context`
    is for https with a test's own certificate."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers=headers or {})
    while time.monotonic() < deadline:
        if process is not None and not process.alive():
            raise AssertionError(f"{process.name} exited:\n{process.output()[-3000:]}")
        try:
            with urllib.request.urlopen(request, timeout=5, context=ssl_context) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            if not success_only:
                return exc.code
            time.sleep(0.3)
        except OSError:
            time.sleep(0.3)
    output = f":\n{process.output()[-3000:]}" if process is not None else ""
    raise AssertionError(f"{url} did not answer within {timeout}s{output}")


def start_server(name, command, env, log_dir, ready_url, timeout=90, **wait_options):
    """Start a server `Process` and wait until `ready_url` answers (see wait_for_http);
    stop it again, and fail saying why, when it does not."""
    process = Process(name, command, env, log_dir)
    try:
        wait_for_http(ready_url, timeout, process, **wait_options)
    except BaseException:
        process.stop()
        raise
    return process


def run_task_worker(command="db_worker", **options):
    """Run the database task worker (`command`: django_tasks_db's `db_worker` or our
    `run_worker`) in this process until the queue holds nothing due, as `--batch` does,
    restoring the signal handlers it installs; `options` are more of its options
    (max_tasks=1: only the next task).

    In this process the worker shares the test's connection, which is inside the test's
    transaction; the worker's housekeeping `close_old_connections()` would close it on
    PostgreSQL (autocommit differs from the settings), so it is left out here. Real worker
    processes, with their own connections, are tested in test_worker_processes.py."""
    from unittest import mock

    from django.core.management import call_command

    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        with mock.patch(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        ):
            call_command(
                command,
                batch=True,
                interval=0,
                startup_delay=False,
                reload=False,
                verbosity=0,
                **options,
            )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
