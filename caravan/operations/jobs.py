"""Periodic jobs of the operations side (run by `manage.py run_periodic`)."""

from django.conf import settings
from django.utils import timezone

from caravan.core.periodic import periodic

from .models import Heartbeat


@periodic(seconds=settings.CARAVAN_HEARTBEAT_SECONDS)
def worker_heartbeat():
    """Note that the periodic runner is alive, and ask a worker to prove it is too."""
    from .tasks import heartbeat

    Heartbeat.objects.update_or_create(
        name=Heartbeat.PERIODIC, defaults={"beat_at": timezone.now(), "detail": {}}
    )
    heartbeat.enqueue()


@periodic(seconds=24 * 3600)
def refresh_query_statistics():
    """SQLite chooses how to run a query from statistics that only ANALYZE gathers.
    Without them it may read every page of a language to find one section page (the
    catalogue, the contact page: 4 ms each at 20,000 pages, 0.01 ms with them) on every
    page served by Django. An empty table gets no statistics and is then taken for a
    large one: Wagtail's look-up of view restrictions (none on most sites, asked several
    times per page) read all 20,000 pages to join them; it is recorded as small.
    Daily, at start-up (`prepare`) and after bulk imports; about 0.2 s at that size.
    PostgreSQL's autovacuum keeps its own statistics."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            "INSERT INTO sqlite_stat1 (tbl, idx, stat) SELECT name, NULL, '1' "
            "FROM sqlite_master AS m WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 AS s WHERE s.tbl = m.name)"
        )
        cursor.execute("ANALYZE sqlite_master")  # the planner reads them again
