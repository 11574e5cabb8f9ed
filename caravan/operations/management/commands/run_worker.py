"""The task worker (django_tasks_db's `db_worker`), logging as the settings say and, with
`--periodic`, running the periodic jobs too, so that a small server needs one process
for both (`make run` does this; production may keep `run_periodic` apart)."""

import threading
import time

from django_tasks.signals import task_finished
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from caravan.operations.memory import freeze_startup_objects, release_freed_memory


def release_memory_after_task(sender, **kwargs):
    """After each task, what it freed goes back to the system, so the worker's resident
    memory falls back after a publish or a PDF instead of staying at its peak."""
    release_freed_memory()


class Command(DbWorkerCommand):
    help = DbWorkerCommand.help + " With --periodic, also the periodic jobs (run_periodic)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--periodic", action="store_true", help="Run the periodic jobs in this process too."
        )
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between checks.")

    def configure_logging(self, verbosity):
        """db_worker sets its loggers to INFO (a line per task state) whatever LOGGING
        says; here LOG_LEVEL decides (the settings' LOGGING), and -v 2 still shows all."""
        if verbosity > 1:
            super().configure_logging(verbosity)

    def handle(self, *args, periodic, tick, **options):
        freeze_startup_objects()  # the collection after each task then costs ~0.3 ms
        task_finished.connect(release_memory_after_task, dispatch_uid="caravan_release_memory")
        if periodic:
            threading.Thread(target=self.run_periodic, args=(tick,), daemon=True).start()
        return super().handle(*args, **options)

    def run_periodic(self, tick):
        from caravan.operations import scheduler

        while True:
            scheduler.run_due()
            time.sleep(tick)
