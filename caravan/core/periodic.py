"""Jobs that run on a schedule (publishing scheduled pages, housekeeping).

Apps register a job with ``@periodic(seconds=...)``; ``manage.py run_periodic`` (started
by ``make run`` beside the web server and the task worker) calls each when it is due.
Jobs must be safe to run twice: two schedulers on two machines may overlap."""

import logging
import time
from dataclasses import dataclass, field

from django.db import close_old_connections

logger = logging.getLogger(__name__)


@dataclass
class PeriodicJob:
    name: str
    seconds: float
    func: object
    next_run: float = field(default=0.0)

    def run(self):
        close_old_connections()
        try:
            self.func()
        except Exception:
            logger.exception("Periodic job %s failed", self.name)
        finally:
            close_old_connections()


REGISTRY: dict[str, PeriodicJob] = {}


def periodic(seconds):
    """Register the decorated function to run every `seconds`."""

    def decorator(func):
        name = f"{func.__module__}.{func.__qualname__}"
        REGISTRY[name] = PeriodicJob(name=name, seconds=seconds, func=func)
        return func

    return decorator


def run_due(now=None):
    """Run every job whose time has come; return how many ran."""
    now = time.monotonic() if now is None else now
    ran = 0
    for job in REGISTRY.values():
        if now >= job.next_run:
            job.run()
            job.next_run = now + job.seconds
            ran += 1
    return ran
