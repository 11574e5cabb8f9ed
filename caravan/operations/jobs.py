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
