"""The task worker hands memory back after each task: a publish's re-render or a PDF
would otherwise keep the worker at its peak for as long as it runs (the footprint a
small server pays, bench/footprint.py)."""

import gc
import sys
from unittest import mock

import pytest
from django_tasks import task

from caravan.operations import memory
from caravan.operations.management.commands import run_worker
from caravan.testing.processes import run_task_worker

pytestmark = pytest.mark.django_db


@task()
def make_garbage():
    """A task that allocates and frees a few megabytes, as a render does."""
    return len([bytes(1000) for _ in range(5000)])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_glibc_s_trim_is_found_so_freed_memory_can_go_back():
    assert memory._malloc_trim() is not None
    make_garbage.call()
    assert isinstance(memory.release_freed_memory(), bool)


def run_worker_over_two_tasks(settings, release):
    """The worker (`manage.py run_worker --batch`) over two queued tasks, with `release`
    called where it would release freed memory; the collector unfrozen afterwards."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_garbage.enqueue()
    make_garbage.enqueue()
    try:
        with mock.patch.object(run_worker, "release_freed_memory", release):
            run_task_worker("run_worker", queue_name="*")
    finally:
        gc.unfreeze()


def test_the_worker_releases_memory_after_every_task(settings):
    calls = []
    run_worker_over_two_tasks(settings, lambda: calls.append(1))
    assert len(calls) == 2


def test_the_worker_collects_only_what_was_made_after_it_started(settings):
    """Startup's objects (Django, Wagtail, the apps) are frozen before the first task, so
    the collection after each task does not walk them again; garbage made later is still
    collected."""

    def release():
        cycle = []
        cycle.append(cycle)
        del cycle
        seen.append((gc.get_freeze_count(), gc.collect()))

    seen = []
    assert gc.get_freeze_count() == 0
    run_worker_over_two_tasks(settings, release)
    assert len(seen) == 2
    for frozen, collected in seen:
        assert frozen > 10_000 and collected >= 1
