"""The background tasks that bring the public files up to date after a change.

The changed pages, the files that show them and the listings above them come first, at a
high priority, so that an edit is live at once; the site-wide files (the sitemap of a
large site takes seconds) follow in a task of their own at a low priority, behind any
other edit waiting."""

from django_tasks import task


@task(priority=10)
def refresh_public_files(page_ids=(), keys=(), parent_ids=(), everything=False):
    """Re-render the files a committed change touched (see build.Publisher.refresh)."""
    from .build import Publisher

    count = Publisher().refresh(
        page_ids=page_ids,
        keys=keys,
        parent_ids=parent_ids,
        everything=everything,
        site_wide=False,
    )
    if not everything:
        refresh_site_wide_files.enqueue()
    return count


@task(priority=-10)
def refresh_site_wide_files():
    """robots.txt, sitemap.xml and its sections."""
    from .build import Publisher

    Publisher().refresh_site_wide()
