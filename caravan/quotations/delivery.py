"""Sending a quotation's e-mails through the task worker, the way inquiry notifications
go (caravan/inquiries/delivery.py): each e-mail is a stored row first; a task claims it
with a lease (one conditional UPDATE, so two workers never both send it), sends it,
records the outcome, and when it failed enqueues its own retry (back-off from 30 s to
6 h, for CARAVAN_INQUIRY_RETRY_HOURS) unless the buyer's mail server refused the address
outright; a periodic job re-enqueues e-mails whose worker died."""

import logging
import random
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from caravan.inquiries import conf
from caravan.inquiries.delivery import describe_error, refused_for_good, retry_delay
from caravan.inquiries.models import DeliveryStatus

from .models import QuotationEmail

logger = logging.getLogger(__name__)


def _due(now):
    return QuotationEmail.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))


def deliver(email_id):
    """Send the e-mail if it is due and no other worker holds it; returns a summary."""
    from .emails import build_email

    now = timezone.now()
    owner = uuid.uuid4().hex
    lease = now + timedelta(seconds=conf.lease_seconds())
    if not _due(now).filter(pk=email_id).update(lease_owner=owner, lease_until=lease):
        return {"email": email_id, "claimed": False}
    email = QuotationEmail.objects.select_related(
        "quotation__inquiry__assignee", "quotation__inquiry__site"
    ).get(pk=email_id)
    mine = QuotationEmail.objects.filter(pk=email_id, lease_owner=owner)
    try:
        build_email(email).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried
        attempts = email.attempts + 1
        delay = retry_delay(attempts, random.uniform(0.9, 1.1))
        # A buyer's address the server refuses outright will not start working.
        give_up = refused_for_good(exc) or now + timedelta(seconds=delay) > (
            email.created_at + timedelta(seconds=conf.retry_seconds())
        )
        error = describe_error(exc)
        with transaction.atomic():
            mine.update(
                status=DeliveryStatus.FAILED if give_up else DeliveryStatus.PENDING,
                attempts=attempts,
                last_error=error,
                next_attempt_at=None if give_up else now + timedelta(seconds=delay),
                lease_owner="",
                lease_until=None,
            )
            if not give_up:
                _enqueue_retry(email_id, now + timedelta(seconds=delay))
        logger.warning("Quotation e-mail %s failed (%s)", email_id, error)
        return {"email": email_id, "claimed": True, "result": "failed" if give_up else "retry"}
    mine.update(
        status=DeliveryStatus.SENT,
        attempts=F("attempts") + 1,
        delivered_at=timezone.now(),
        last_error="",
        next_attempt_at=None,
        lease_owner="",
        lease_until=None,
    )
    return {"email": email_id, "claimed": True, "result": "sent"}


@task()
def deliver_quotation_email(email_id):
    """The background task (`manage.py db_worker` runs it): send one quotation e-mail."""
    return deliver(email_id)


def _enqueue_retry(email_id, when):
    backend = deliver_quotation_email.get_backend()
    if backend.supports_defer:
        result = deliver_quotation_email.using(run_after=when).enqueue(email_id)
        QuotationEmail.objects.filter(pk=email_id).update(task_id=str(result.id))
    # Without a deferring backend (the tests' immediate one), requeue_stalled() retries.


def enqueue_email(email):
    """Enqueue the task that sends this stored e-mail (call inside the transaction that
    stored it)."""
    result = deliver_quotation_email.enqueue(email.pk)
    QuotationEmail.objects.filter(pk=email.pk).update(task_id=str(result.id))
    return result


def requeue_stalled(now=None, limit=500):
    """Enqueue a task for e-mails overdue by more than a lease (their worker died or
    their task was lost). A spare task finds nothing to claim; returns how many."""
    now = now or timezone.now()
    overdue = now - timedelta(seconds=conf.lease_seconds())
    stalled = QuotationEmail.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=overdue
    ).filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))[:limit]
    count = 0
    for email in stalled:
        with transaction.atomic():
            enqueue_email(email)
        count += 1
    return count
