import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# glibc's malloc keeps up to 8 arenas per core for threaded processes; two hold the same
# work in far less resident memory (granian's threads, the worker's periodic thread).
MALLOC_ENVIRONMENT = {"MALLOC_ARENA_MAX": "2"}


def quiet():
    """Whether the console stays quiet (LOG_LEVEL not set): the servers log warnings and
    errors only, and granian no start-up lines."""
    return "LOG_LEVEL" not in os.environ


def default_threads():
    """Django's threads per granian worker where neither --threads nor WEB_THREADS says:
    one per core, at least 2 and at most 8. Only one thread runs Python at a time, so
    threads beyond the cores add no rendering speed on SQLite; they make the public files'
    answers wait on each other (bench/static_speed.py, README › Performance). With
    PostgreSQL behind the app, requests wait on the network and more threads help: set
    WEB_THREADS (docs/deploy.md)."""
    return max(2, min(8, os.cpu_count() or 1))


def granian_command(host, port, workers=1, threads=8, python=sys.executable):
    """The app server's command line: granian serving caravan.wsgi, as in production.
    HTTP/1.1 only: offering HTTP/2 as well costs on every connection (bench/static_speed.py),
    and a browser reaches the site through nginx or a CDN, which speak HTTP/2 to it."""
    return [
        python,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--http",
        "1",
        "--log-level",
        "warning" if quiet() else os.environ["LOG_LEVEL"].lower(),
        "caravan.wsgi:application",
    ]


def worker_command(manage, python=sys.executable, periodic=False):
    """The task worker's command line: every queue, polled five times a second (a published
    page's files are re-rendered by a task, so an edit is live well within a second);
    `periodic`: the periodic jobs in the same process."""
    command = [python, manage, "run_worker", "--queue-name", "*", "--no-reload"]
    return command + ["--interval", "0.2", *(["--periodic"] if periodic else [])]


class Command(BaseCommand):
    help = (
        "Serve the site: the web server (granian; Django's autoreloader with --dev), the "
        "task worker and the periodic-job runner, stopped together by Ctrl-C or SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "1")))
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("WEB_THREADS", default_threads()))
        )
        parser.add_argument("--dev", action="store_true", help="Autoreloading development server.")
        parser.add_argument(
            "--no-worker", action="store_true", help="Serve without the task worker."
        )
        parser.add_argument(
            "--prepare", action="store_true", help="Run `prepare` first (migrate, demo, static)."
        )

    def handle(self, *args, host, port, workers, threads, dev, no_worker, prepare, **options):
        python = sys.executable
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        os.environ.update({**MALLOC_ENVIRONMENT, **os.environ})
        if prepare:
            # In a process of its own: what preparing loads (the demo, the renderer, every
            # page) is given back to the system before serving starts.
            verbosity = str(options["verbosity"])
            if subprocess.run([python, manage, "prepare", "-v", verbosity]).returncode:  # noqa: S603
                raise CommandError("Preparing failed; see above.")
        if dev:
            web = [python, manage, "runserver", f"{host}:{port}"]
        else:
            web = granian_command(host, port, workers, threads, python)
        commands = {"web": web}
        if not no_worker:
            commands["worker"] = worker_command(manage, python, periodic=True)
        self.stdout.write(
            self.style.SUCCESS(f"Caravan is serving on http://{host}:{port}/")
            + f"  (admin: http://{host}:{port}/{settings.CARAVAN_ADMIN_PATH}/; Ctrl-C stops)"
        )
        self.stdout.flush()
        # Become the small supervisor (standard library only): this process's Django goes.
        supervisor = [python, "-m", "caravan.operations.supervise", json.dumps(commands)]
        os.chdir(settings.BASE_DIR)
        os.execv(python, supervisor)  # noqa: S606
