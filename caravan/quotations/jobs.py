"""Periodic jobs of the quotations app (run by `manage.py run_periodic`)."""

from caravan.core.periodic import periodic

from . import delivery


@periodic(seconds=60)
def requeue_stalled_quotation_emails():
    """Give a quotation e-mail whose worker died, or whose task was lost, a new task."""
    delivery.requeue_stalled()
