import signal
import time

from django.core.management.base import BaseCommand

from caravan.operations import scheduler


class Command(BaseCommand):
    help = "Run the registered periodic jobs (e.g. publish_scheduled) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between checks.")

    def handle(self, *args, once, tick, **options):
        if once:
            count = scheduler.run_due()
            self.stdout.write(f"Ran {count} periodic job(s).")
            return
        self.running = True

        def stop(signum, frame):
            self.running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        names = ", ".join(scheduler.job_names()) or "none"
        self.stdout.write(f"Periodic jobs: {names}")
        while self.running:
            scheduler.run_due()
            deadline = time.monotonic() + tick
            while self.running and time.monotonic() < deadline:
                time.sleep(0.2)
