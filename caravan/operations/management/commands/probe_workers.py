import time
import uuid

from django.core.management.base import BaseCommand, CommandError

from caravan.operations.models import TaskProbe
from caravan.operations.tasks import probe


class Command(BaseCommand):
    """A smoke test for the task workers after a deploy: enqueue probe tasks and check
    that every one is run, exactly once, by the running `db_worker` processes."""

    help = (
        "Enqueue N probe tasks, wait for the workers to run them, and report which worker "
        "ran how many; fails when a probe is not run, or run twice, within --timeout."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10)
        parser.add_argument("--timeout", type=float, default=60.0, help="Seconds to wait.")
        parser.add_argument(
            "--email", default="", help="Also have each probe send an e-mail to this address."
        )

    def handle(self, *args, count, timeout, email, **options):
        run = uuid.uuid4().hex[:12]
        tokens = [f"probe-{run}-{n}" for n in range(count)]
        for token in tokens:
            probe.enqueue(token, email)
        rows = TaskProbe.objects.filter(token__startswith=f"probe-{run}-")
        deadline = time.monotonic() + timeout
        while rows.count() < count and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(1)  # let a duplicate, if any, arrive
        ran = list(rows.values_list("token", "worker_id"))
        rows.delete()
        by_token = {}
        for token, _worker in ran:
            by_token[token] = by_token.get(token, 0) + 1
        missing = [t for t in tokens if t not in by_token]
        twice = [t for t, n in by_token.items() if n > 1]
        workers = {}
        for _token, worker in ran:
            workers[worker] = workers.get(worker, 0) + 1
        for worker, n in sorted(workers.items()):
            self.stdout.write(f"  worker {worker or '?'}: {n} probe(s)")
        if missing or twice:
            raise CommandError(
                f"{len(missing)} of {count} probes not run within {timeout:.0f}s, "
                f"{len(twice)} run more than once. Are the db_worker processes running?"
            )
        self.stdout.write(self.style.SUCCESS(f"All {count} probes ran exactly once."))
