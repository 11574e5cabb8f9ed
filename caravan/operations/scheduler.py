"""The scheduler of periodic jobs: the apps declare them (``@periodic`` of
caravan/core/periodic.py); ``manage.py run_periodic`` calls `run_due` every few seconds,
which runs each job whose time has come."""

import logging
import time

from django.db import close_old_connections

from caravan.core.periodic import REGISTRY

logger = logging.getLogger(__name__)

_next_run: dict[str, float] = {}  # job name → monotonic time it is due next


def run(job):
    close_old_connections()
    try:
        job.func()
    except Exception:
        logger.exception("Periodic job %s failed", job.name)
    finally:
        close_old_connections()


def run_due(now=None):
    """Run every job whose time has come; return how many ran."""
    now = time.monotonic() if now is None else now
    ran = 0
    for job in REGISTRY.values():
        if now >= _next_run.get(job.name, 0.0):
            run(job)
            _next_run[job.name] = now + job.seconds
            ran += 1
    return ran


def job_names():
    return sorted(REGISTRY)
