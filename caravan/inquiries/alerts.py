"""Delivery alerts: when notifications to the sales team have been failing for more than
15 minutes, the dashboard says so and the site admins get an e-mail (at most hourly)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import InboxSettings, Inquiry

logger = logging.getLogger(__name__)

FAILING_FOR = timedelta(minutes=15)
ALERT_EVERY = timedelta(hours=1)


def delivery_problem(now=None):
    """The number of leads whose notification has not reached the sales team, when at
    least one of them has been waiting for more than 15 minutes; else 0."""
    now = now or timezone.now()
    undelivered = Inquiry.objects.undelivered()
    if not undelivered.filter(created_at__lte=now - FAILING_FOR).exists():
        return 0
    return undelivered.count()


def admin_addresses():
    users = get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(email="")
    addresses = [address for _name, address in settings.ADMINS]
    addresses += list(users.values_list("email", flat=True))
    return sorted(set(addresses))


def send_delivery_alert(now=None):
    """E-mail the site admins about failing notifications, unless they were e-mailed in
    the last hour. Returns the number of undelivered leads reported (0: no e-mail)."""
    now = now or timezone.now()
    count = delivery_problem(now)
    recipients = admin_addresses()
    if not count or not recipients:
        return 0
    config = InboxSettings.load()
    # A conditional update claims the hour, so two schedulers never both send.
    claimed = (
        InboxSettings.objects.filter(pk=config.pk)
        .filter(
            Q(last_delivery_alert_at__isnull=True)
            | Q(last_delivery_alert_at__lte=now - ALERT_EVERY)
        )
        .update(last_delivery_alert_at=now)
    )
    if not claimed:
        return 0
    base = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    link = base + reverse("inquiry_admin:index") + "?delivery=undelivered"
    subject = ngettext(
        "Caravan: %(count)d lead not delivered to the sales team",
        "Caravan: %(count)d leads not delivered to the sales team",
        count,
    ) % {"count": count}
    body = _(
        "Notifications of new inquiries have been failing for more than 15 minutes.\n\n"
        "Leads not delivered: %(count)d\n\n"
        "They are all kept in the lead inbox: %(link)s\n"
        "Check the mail settings (EMAIL_URL) and the task worker; the notifications are "
        "retried automatically, and 'Resend' on a lead sends one again."
    ) % {"count": count, "link": link}
    try:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients).send()
    except Exception:
        logger.exception("Could not e-mail the delivery alert")
        InboxSettings.objects.filter(pk=config.pk).update(last_delivery_alert_at=None)
        return 0
    logger.warning("Delivery alert sent: %d leads undelivered", count)
    return count
