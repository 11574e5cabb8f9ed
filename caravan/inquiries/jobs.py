"""Periodic jobs of the inquiries app (run by `manage.py run_periodic`)."""

from caravan.core.periodic import periodic

from . import alerts, delivery, mailbox, privacy, replies


@periodic(seconds=60)
def requeue_stalled_inquiry_deliveries():
    """Give the e-mails of an inquiry whose worker died mid-send (its lease expired) or
    whose task was lost a new task. Running it twice, or on two machines, is harmless."""
    delivery.requeue_stalled()


@periodic(seconds=60)
def alert_admins_about_failing_notifications():
    """E-mail the site admins (at most hourly) when notifications fail for 15 minutes."""
    alerts.send_delivery_alert()


@periodic(seconds=3600)
def purge_expired_leads():
    """Delete spam and leads older than the retention settings (Settings › Lead inbox)."""
    privacy.purge_expired()


@periodic(seconds=60)
def read_sales_mailbox():
    """Attach the buyers' e-mails in the sales mailbox (INBOUND_IMAP_URL) to their leads.
    Nothing when no mailbox is configured; a message is never attached twice."""
    mailbox.poll()


@periodic(seconds=60)
def requeue_stalled_lead_replies():
    """Give a reply whose worker died or whose task was lost a new task."""
    replies.requeue_stalled()
