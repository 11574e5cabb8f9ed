"""The background task that brings the public files up to date after a change."""

from django_tasks import task


@task()
def refresh_public_files(page_ids=(), keys=(), parent_ids=(), everything=False):
    """Re-render the files a committed change touched (see build.Publisher.refresh)."""
    from .build import Publisher

    return Publisher().refresh(
        page_ids=page_ids, keys=keys, parent_ids=parent_ids, everything=everything
    )
