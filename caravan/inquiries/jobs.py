"""Periodic jobs of the inquiries app (run by `manage.py run_periodic`)."""

from caravan.core.periodic import periodic

from . import delivery


@periodic(seconds=60)
def requeue_stalled_inquiry_deliveries():
    """Give the e-mails of an inquiry whose worker died mid-send (its lease expired) or
    whose task was lost a new task. Running it twice, or on two machines, is harmless."""
    delivery.requeue_stalled()
