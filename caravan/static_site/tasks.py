"""The background tasks that bring the public files up to date after a change.

The changed pages, the files that show them and the listings above them come first, at a
high priority, so that an edit is live at once; the site-wide files (the sitemap of a
large site takes seconds) follow in a task of their own at a low priority, behind any
other edit waiting.

A change that shows on every page (a site setting, the site) re-renders the whole tree
in many small low-priority tasks, so that an edit made meanwhile still goes first and is
live within a second, however large the site."""

from django_tasks import task

REBUILD_CHUNK = 40  # addresses per task of a whole-tree refresh: well under a second


@task(priority=10)
def refresh_public_files(page_ids=(), keys=(), parent_ids=(), everything=False):
    """Re-render the files a committed change touched (see build.Publisher.refresh)."""
    from .build import Publisher, rebuild_plan

    if everything:
        if page_ids:
            # The changed pages themselves first, live at once; the rest of the tree
            # follows behind any other edit.
            publisher = Publisher()
            publisher.refresh(page_ids=page_ids, keys=keys, parent_ids=parent_ids, site_wide=False)
            publisher.purge()
        plan = rebuild_plan()
        for start in range(0, len(plan), REBUILD_CHUNK):
            rebuild_public_files.enqueue(items=plan[start : start + REBUILD_CHUNK])
        finish_public_rebuild.enqueue()
        return len(plan)
    publisher = Publisher()
    count = publisher.refresh(
        page_ids=page_ids,
        keys=keys,
        parent_ids=parent_ids,
        site_wide=False,
    )
    publisher.purge()  # every front-end cache forgets what the files no longer say
    refresh_site_wide_files.enqueue()
    return count


@task(priority=-5)
def rebuild_public_files(items):
    """One part of a whole-tree refresh: [page id, address or None for all of its own]."""
    from .build import Publisher

    publisher = Publisher()
    count = publisher.publish_items(items)
    publisher.purge()
    return count


@task(priority=-8)
def finish_public_rebuild():
    """After a whole-tree refresh: remove the files of addresses that are no longer
    public, then the site-wide files."""
    from .build import Publisher

    publisher = Publisher()
    publisher.remove_unwanted()
    publisher.refresh_site_wide()
    publisher.purge()


@task(priority=-10)
def refresh_site_wide_files():
    """robots.txt, sitemap.xml and its sections (once for any number of edits queued
    meanwhile: a refresh already waiting makes this one unnecessary)."""
    from .build import Publisher

    if _another_waiting("refresh_site_wide_files"):
        return
    publisher = Publisher()
    publisher.refresh_site_wide()
    publisher.purge()


def _another_waiting(name):
    """Whether a task of this name is queued in the database and not started yet (a
    later one will do the same work). Only the database backend has a queue to ask."""
    from django.conf import settings

    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db"):
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=f"{__name__}.{name}").exists()
