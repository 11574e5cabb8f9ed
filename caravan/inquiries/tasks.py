"""Background tasks of the inquiries app (django-tasks; `manage.py db_worker` runs them)."""

from django_tasks import task

from . import delivery


@task()
def deliver_inquiry(inquiry_id):
    """Send the inquiry's notification to the sales team and its confirmation to the
    buyer, whichever is due (see delivery.py for the exactly-once claim and retries)."""
    return delivery.deliver(inquiry_id)
