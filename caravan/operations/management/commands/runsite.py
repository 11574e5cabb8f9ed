import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def granian_command(host, port, workers=1, threads=8, python=sys.executable):
    """The app server's command line: granian serving caravan.wsgi, as in production."""
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
        "caravan.wsgi:application",
    ]


def worker_command(manage, python=sys.executable):
    """The task worker's command line: every queue, polled five times a second (a published
    page's files are re-rendered by a task, so an edit is live well within a second)."""
    return [python, manage, "db_worker", "--queue-name", "*", "--no-reload", "--interval", "0.2"]


class Command(BaseCommand):
    help = (
        "Serve the site: the web server (granian; Django's autoreloader with --dev), the "
        "task worker and the periodic-job runner, stopped together by Ctrl-C or SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "1")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "8")))
        parser.add_argument("--dev", action="store_true", help="Autoreloading development server.")
        parser.add_argument(
            "--no-worker", action="store_true", help="Serve without the task worker."
        )
        parser.add_argument(
            "--prepare", action="store_true", help="Run `prepare` first (migrate, demo, static)."
        )

    def handle(self, *args, host, port, workers, threads, dev, no_worker, prepare, **options):
        if prepare:
            call_command("prepare", verbosity=options["verbosity"])
        python = sys.executable
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        if dev:
            web = [python, manage, "runserver", f"{host}:{port}"]
        else:
            web = granian_command(host, port, workers, threads, python)
        self.commands = {"web": web}
        if not no_worker:
            self.commands["worker"] = worker_command(manage, python)
            self.commands["periodic"] = [python, manage, "run_periodic"]

        self.stopping = False
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)

        self.children = {name: self._start(name) for name in self.commands}
        self.stdout.write(
            self.style.SUCCESS(f"Caravan is serving on http://{host}:{port}/")
            + f"  (admin: http://{host}:{port}/{settings.CARAVAN_ADMIN_PATH}/; Ctrl-C stops)"
        )
        crashes = []
        while not self.stopping:
            time.sleep(0.3)
            for name, proc in list(self.children.items()):
                if self.stopping or proc.poll() is None:
                    continue
                crashes = [t for t in crashes if time.monotonic() - t < 60] + [time.monotonic()]
                if len(crashes) > 5:
                    self._shutdown()
                    raise CommandError(f"{name} keeps exiting (code {proc.returncode}); stopped.")
                self.stderr.write(f"{name} exited with code {proc.returncode}; restarting it.")
                self.children[name] = self._start(name)
        self._shutdown()
        self.stdout.write("Stopped.")

    def _start(self, name):
        # A session of its own: the terminal's Ctrl-C reaches only this supervisor, which
        # then stops the children in order.
        return subprocess.Popen(self.commands[name], start_new_session=True)  # noqa: S603

    def _stop(self, signum, frame):
        self.stopping = True

    def _shutdown(self, grace=20):
        for proc in self.children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in self.children.values():
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
