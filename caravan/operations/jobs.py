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
    page served by Django. Daily, at start-up (`prepare`) and after bulk imports; about
    0.2 s at that size. PostgreSQL's autovacuum keeps its own statistics."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
