"""Sending an inquiry's e-mails exactly once, retrying until they go through.

The task worker runs `deliver_inquiry(inquiry_id)` (declared here, beside the work it
does), which calls `deliver(inquiry_id)`:

1. **Claim.** One conditional UPDATE sets a lease (owner, expiry) on the inquiry, but only
   when an e-mail of it is due and no live lease exists. The database does this atomically,
   so of two workers holding tasks for the same inquiry exactly one gets the lease; the
   other does nothing.
2. **Send** each due e-mail, recording the outcome right after each one (attempts, last
   error, delivered at, next attempt), guarded by the lease.
3. **Release** the lease and, when an e-mail still waits for a retry, enqueue the next
   task to run at that moment: both in one transaction.

A worker that dies mid-send leaves its lease behind; once it expires
(CARAVAN_INQUIRY_LEASE_SECONDS), `requeue_stalled()` (a periodic job, jobs.py) enqueues a
new task. Retries back off from 30 s, doubling to at most 6 h, for
CARAVAN_INQUIRY_RETRY_HOURS (48 h) after the inquiry arrived; then the e-mail is marked
failed (the inquiry stays in the admin, and `manage.py retry_inquiry_deliveries` tries
again)."""

import logging
import random
import smtplib
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from . import conf, ratelimit
from .emails import BUILDERS, NoRecipientsError, company_for, recipient_domain
from .models import Channel, DeliveryStatus, Inquiry

logger = logging.getLogger(__name__)

# Why an e-mail of an inquiry flagged as spam was not sent (see leads.deliver_skipped).
SPAM_REASON = "Not sent: the inquiry is marked as spam."

FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 6 * 3600


def retry_delay(failed_attempts, jitter=1.0):
    """Seconds to wait after the `failed_attempts`-th failure: 30 s, 1 min, 2 min, 4 min…
    up to 6 h, times `jitter` (0.9–1.1, drawn once per delivery run) so that a queue of
    retries does not hit a recovering server all at once."""
    delay = min(FIRST_RETRY_SECONDS * 2 ** max(failed_attempts - 1, 0), MAX_RETRY_SECONDS)
    return delay * jitter


def refused_for_good(exc):
    """Whether the mail server refused every recipient outright (5xx): a buyer's mailbox
    that does not exist will not start working, so an e-mail to it is given up at once;
    everything else (server down, our own relay's errors) may pass later, and is
    retried. Only e-mails to a buyer ask this: our own sales address is retried always."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return False


def describe_error(exc):
    """The failure as stored on the row and shown to the sales team."""
    text = f"{type(exc).__name__}: {exc}"
    return text[:1000]


def deliver(inquiry_id):
    """Send whatever e-mail of the inquiry is due; returns a summary for the task result."""
    now = timezone.now()
    owner = uuid.uuid4().hex
    claimed = (
        Inquiry.objects.filter(pk=inquiry_id)
        .due_for_delivery(now)
        .unleased(now)
        .update(
            delivery_lease_owner=owner,
            delivery_lease_until=now + timedelta(seconds=conf.lease_seconds()),
        )
    )
    if not claimed:
        return {"inquiry": inquiry_id, "claimed": False}
    outcome = {"inquiry": inquiry_id, "claimed": True}
    # One jitter for the run: both e-mails of an inquiry that failed together are retried
    # together, by one task.
    jitter = random.uniform(0.9, 1.1)
    try:
        inquiry = Inquiry.objects.select_related("product", "site", "assignee").get(pk=inquiry_id)
        company = company_for(inquiry)
        for channel in Channel:
            status = getattr(inquiry, f"{channel}_status")
            due = getattr(inquiry, f"{channel}_next_attempt_at")
            if status == DeliveryStatus.PENDING and due is not None and due <= now:
                reason = _reason_not_to_send(inquiry, channel)
                if reason:
                    outcome[channel.value] = _skip(inquiry, channel, owner, reason)
                else:
                    outcome[channel.value] = _attempt(inquiry, channel, company, owner, now, jitter)
    finally:
        outcome["next_task"] = _release(inquiry_id, owner)
    return outcome


@task(priority=20)
def deliver_inquiry(inquiry_id):
    """The background task (django-tasks; `manage.py db_worker` runs it): send the
    inquiry's notification to the sales team and its confirmation to the buyer, whichever
    is due. Ahead of every other task (the highest priority): a fresh installation, an
    import or a large publish queues hundreds of search-index and rendering tasks, and an
    inquiry must not wait behind them."""
    return deliver(inquiry_id)


def _reason_not_to_send(inquiry, channel):
    """Why a due e-mail must not go out after all, or "": the inquiry was marked as spam
    since it arrived, or (for the buyer's confirmation, counted once per inquiry) its
    recipient domain has had CARAVAN_INQUIRY_AUTOREPLY_RATE_LIMIT_DOMAIN confirmations
    already, which is what rotating addresses at one domain look like."""
    if inquiry.is_spam:
        return SPAM_REASON
    if channel == Channel.AUTOREPLY and inquiry.autoreply_attempts == 0:
        limit = conf.rate_limit_autoreply_domain()
        domain = recipient_domain(inquiry.reply_email)
        if not ratelimit.hit("autoreply-domain", domain, limit).allowed:
            return (
                f"Not sent: more than {limit.count} confirmations to {domain} "
                f"within {limit.seconds} s (CARAVAN_INQUIRY_AUTOREPLY_RATE_LIMIT_DOMAIN)."
            )
    return ""


def _skip(inquiry, channel, owner, reason):
    Inquiry.objects.filter(pk=inquiry.pk, delivery_lease_owner=owner).update(
        **{
            f"{channel}_status": DeliveryStatus.SKIPPED,
            f"{channel}_last_error": reason,
            f"{channel}_next_attempt_at": None,
        }
    )
    logger.warning("Inquiry %s: %s skipped. %s", inquiry.reference, channel.value, reason)
    return "skipped"


def _attempt(inquiry, channel, company, owner, started, jitter=1.0):
    try:
        message = BUILDERS[channel](inquiry, company)
        message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried
        return _record_failure(inquiry, channel, exc, owner, started, jitter)
    now = timezone.now()
    updated = Inquiry.objects.filter(pk=inquiry.pk, delivery_lease_owner=owner).update(
        **{
            f"{channel}_status": DeliveryStatus.SENT,
            f"{channel}_attempts": F(f"{channel}_attempts") + 1,
            f"{channel}_delivered_at": now,
            f"{channel}_last_error": "",
            f"{channel}_next_attempt_at": None,
        }
    )
    if not updated:
        logger.warning(
            "Inquiry %s: %s sent after the lease expired; another worker may send it too.",
            inquiry.reference,
            channel.value,
        )
    return "sent"


def _record_failure(inquiry, channel, exc, owner, started, jitter=1.0):
    """Record a failed attempt; the next one is due `retry_delay` after the run started
    (the same moment for both e-mails of the inquiry, so one task retries both)."""
    now = started
    attempts = getattr(inquiry, f"{channel}_attempts") + 1
    delay = retry_delay(attempts, jitter)
    give_up = (channel == Channel.AUTOREPLY and refused_for_good(exc)) or (
        now + timedelta(seconds=delay)
        > inquiry.created_at + timedelta(seconds=conf.retry_seconds())
    )
    error = describe_error(exc)
    Inquiry.objects.filter(pk=inquiry.pk, delivery_lease_owner=owner).update(
        **{
            f"{channel}_status": DeliveryStatus.FAILED if give_up else DeliveryStatus.PENDING,
            f"{channel}_attempts": attempts,
            f"{channel}_last_error": error,
            f"{channel}_next_attempt_at": None if give_up else now + timedelta(seconds=delay),
        }
    )
    level = logging.ERROR if give_up or isinstance(exc, NoRecipientsError) else logging.WARNING
    logger.log(
        level,
        "Inquiry %s: %s attempt %d failed (%s); %s",
        inquiry.reference,
        channel.value,
        attempts,
        error,
        "giving up" if give_up else f"retrying in {delay:.0f}s",
    )
    return "failed" if give_up else "retry"


def _release(inquiry_id, owner):
    """Drop the lease; if an e-mail waits for a retry, enqueue the task that will send it.
    One transaction, so a retry is never scheduled without the lease being released or
    the other way round."""
    with transaction.atomic():
        inquiry = (
            Inquiry.objects.select_for_update()
            .filter(pk=inquiry_id, delivery_lease_owner=owner)
            .only(
                "pk",
                "notification_status",
                "notification_next_attempt_at",
                "autoreply_status",
                "autoreply_next_attempt_at",
            )
            .first()
        )
        if inquiry is None:  # the lease expired and another worker took over
            return None
        due = [
            getattr(inquiry, f"{channel}_next_attempt_at")
            for channel in Channel
            if getattr(inquiry, f"{channel}_status") == DeliveryStatus.PENDING
        ]
        due = [moment for moment in due if moment is not None]
        task_id = ""
        backend = deliver_inquiry.get_backend()
        if due and backend.supports_defer:
            task_id = str(deliver_inquiry.using(run_after=min(due)).enqueue(inquiry_id).id)
        # Without a deferring backend (tests' immediate one), requeue_stalled() retries.
        Inquiry.objects.filter(pk=inquiry_id, delivery_lease_owner=owner).update(
            delivery_lease_owner="", delivery_lease_until=None, delivery_task_id=task_id
        )
    return task_id or None


def enqueue_delivery(inquiry):
    """Enqueue the task that sends the inquiry's e-mails and remember its id. Called inside
    the transaction that stores the inquiry: with the database task backend the task is a
    row in that same transaction, so both exist or neither does."""
    result = deliver_inquiry.enqueue(inquiry.pk)
    Inquiry.objects.filter(pk=inquiry.pk).update(delivery_task_id=str(result.id))
    inquiry.delivery_task_id = str(result.id)
    return result


def _task_is_waiting(task_id):
    """True when the task with this id sits in the queue, not yet started."""
    if not task_id or not deliver_inquiry.get_backend().supports_get_result:
        return False
    try:
        return deliver_inquiry.get_result(task_id).status == TaskResultStatus.READY
    except Exception:  # noqa: BLE001 - unknown or pruned task: not waiting
        return False


def requeue_stalled(now=None, limit=500):
    """Enqueue a new task for every inquiry whose delivery stalled: its worker died
    mid-send (the lease expired) or before it took the lease (overdue, no lease, its task
    no longer waiting in the queue). Safe to run any time, anywhere: a spare task finds
    nothing to claim and does nothing. Returns how many were enqueued."""
    now = now or timezone.now()
    grace = timedelta(seconds=conf.lease_seconds())
    stalled = Inquiry.objects.delivery_stalled(now, grace).only(
        "pk", "reference", "delivery_task_id", "delivery_lease_until"
    )[:limit]
    count = 0
    for inquiry in stalled:
        lease_expired = inquiry.delivery_lease_until is not None
        if _task_is_waiting(inquiry.delivery_task_id):
            continue  # a busy queue (or a task enqueued here already), not a dead worker
        with transaction.atomic():
            enqueue_delivery(inquiry)
        logger.warning(
            "Inquiry %s: delivery stalled (%s); enqueued it again.",
            inquiry.reference,
            "lease expired" if lease_expired else "task lost",
        )
        count += 1
    return count


def rearm(queryset, now=None):
    """Make the undelivered e-mails of these inquiries due now (failed ones included) and
    enqueue their delivery; for an operator after fixing the mail settings."""
    now = now or timezone.now()
    open_states = [DeliveryStatus.PENDING, DeliveryStatus.FAILED]
    count = 0
    for inquiry in queryset.not_spam().filter(
        Q(notification_status__in=open_states) | Q(autoreply_status__in=open_states)
    ):
        changes = {}
        for channel in Channel:
            status = getattr(inquiry, f"{channel}_status")
            if status in (DeliveryStatus.PENDING, DeliveryStatus.FAILED):
                changes[f"{channel}_status"] = DeliveryStatus.PENDING
                changes[f"{channel}_next_attempt_at"] = now
        if not changes:
            continue
        with transaction.atomic():
            Inquiry.objects.filter(pk=inquiry.pk).update(**changes)
            enqueue_delivery(inquiry)
        count += 1
    return count
