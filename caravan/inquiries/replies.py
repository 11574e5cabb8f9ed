"""Replying to the buyer from the lead: the e-mail is stored first, then sent by the task
worker with the same retries as the inquiry's own e-mails (delivery.py).

`queue_reply` stores the reply (its Message-ID made here, so a repeated send is the same
message to mail systems), records it in the lead's history, counts it as the lead's first
response, and enqueues `send_lead_reply` in the same transaction. The reply answers the
buyer's last e-mail (In-Reply-To, References), or our confirmation when the buyer has not
written since, so the buyer's mail client shows one thread. Its subject carries the lead's
reference, and the buyer's answer comes back to the sales mailbox (mailbox.py)."""

import logging
import random
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import punycode
from django_tasks import task

from . import conf, leads
from .delivery import describe_error, refused_for_good, retry_delay
from .emails import _from_address, company_for, header_text, mailbox, message_id
from .mailbox import message_ids, record_event
from .models import (
    Channel,
    DeliveryStatus,
    Inquiry,
    LeadEvent,
    LeadMessage,
    LeadStatus,
    person_name,
)

logger = logging.getLogger(__name__)

MAX_REFERENCES = 10


def new_message_id():
    domain = _from_address().rpartition("@")[2] or "localhost"
    return f"<lead-reply-{uuid.uuid4().hex}@{punycode(domain)}>"


def thread_parent(inquiry):
    """(In-Reply-To, References) for a new reply: the buyer's last e-mail on the lead (not
    an automatic one), or else our confirmation (when it went out) or notification."""
    last = (
        inquiry.messages.filter(direction=LeadMessage.Direction.IN, automatic=False)
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is not None:
        chain = message_ids(last.references) + [last.message_id]
    else:
        channel = (
            Channel.AUTOREPLY
            if inquiry.autoreply_status == DeliveryStatus.SENT
            else Channel.NOTIFICATION
        )
        chain = [message_id(inquiry, channel)]
    chain = list(dict.fromkeys(chain))[-MAX_REFERENCES:]
    return chain[-1], " ".join(chain)


def default_subject(inquiry):
    last = (
        inquiry.messages.filter(direction=LeadMessage.Direction.IN, automatic=False)
        .exclude(subject="")
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is not None:
        subject = last.subject
        return subject if subject.lower().startswith("re:") else f"Re: {subject}"
    return f"Re: {inquiry.reference}"


def with_reference(subject, inquiry):
    subject = header_text(subject, 200) or default_subject(inquiry)
    if inquiry.reference.lower() not in subject.lower():
        subject = f"{subject} [{inquiry.reference}]"
    return subject


def can_reply(inquiry):
    return bool(inquiry.reply_email)


@transaction.atomic
def queue_reply(inquiry, subject, text, user, now=None):
    """Store a reply to the buyer and enqueue its sending; return the LeadMessage."""
    now = now or timezone.now()
    in_reply_to, references = thread_parent(inquiry)
    reply = LeadMessage.objects.create(
        inquiry=inquiry,
        direction=LeadMessage.Direction.OUT,
        matched_by=LeadMessage.Match.REPLY,
        created_at=now,
        message_id=new_message_id(),
        in_reply_to=in_reply_to,
        references=references,
        from_address=_from_address(),
        to=inquiry.reply_email,
        subject=with_reference(subject, inquiry),
        text=text.strip(),
        user=user,
        status=DeliveryStatus.PENDING,
        next_attempt_at=now,
    )
    record_event(reply, user=user)
    # Answering the buyer is the lead's first response (the response-time report).
    if inquiry.status == LeadStatus.NEW:
        leads.change_status(inquiry, LeadStatus.CONTACTED, user, now=now)
    elif not inquiry.first_response_at:
        Inquiry.objects.filter(pk=inquiry.pk).update(first_response_at=now)
        inquiry.first_response_at = now
    send_lead_reply.enqueue(reply.pk)
    return reply


def build_reply(reply):
    """The e-mail of a stored reply, from the person who wrote it at the company."""
    inquiry = reply.inquiry
    company = company_for(inquiry)
    name = company.localized(inquiry.language or settings.LANGUAGE_CODE).name or ""
    # The buyer sees who answers: "Anna Berg, Silkline Flow".
    author = person_name(reply.user) if reply.user_id else ""
    name = ", ".join(part for part in (author, name) if part)
    return EmailMessage(
        subject=reply.subject,
        body=reply.text,
        from_email=mailbox(name, _from_address()) if name else settings.DEFAULT_FROM_EMAIL,
        to=[reply.to],
        reply_to=[company.public_email] if company.public_email else [],
        headers={
            "Message-ID": reply.message_id,
            "In-Reply-To": reply.in_reply_to,
            "References": reply.references,
        },
    )


@task()
def send_lead_reply(reply_id):
    """The background task: send a stored reply, whenever it is due."""
    return deliver_reply(reply_id)


def deliver_reply(reply_id):
    """Send the reply if it is due and no other worker holds it; record the outcome."""
    now = timezone.now()
    claimed = (
        LeadMessage.objects.due(now)
        .filter(pk=reply_id)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + timedelta(seconds=conf.lease_seconds()))
    )
    if not claimed:
        return {"reply": reply_id, "claimed": False}
    reply = LeadMessage.objects.select_related("inquiry", "user").get(pk=reply_id)
    try:
        build_reply(reply).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried
        return {"reply": reply_id, "claimed": True, "outcome": _failed(reply, exc, now)}
    LeadMessage.objects.filter(pk=reply_id).update(
        status=DeliveryStatus.SENT,
        attempts=reply.attempts + 1,
        delivered_at=timezone.now(),
        last_error="",
        next_attempt_at=None,
        lease_until=None,
    )
    return {"reply": reply_id, "claimed": True, "outcome": "sent"}


def _failed(reply, exc, now):
    attempts = reply.attempts + 1
    delay = retry_delay(attempts, random.uniform(0.9, 1.1))
    give_up = refused_for_good(exc) or (
        now + timedelta(seconds=delay) > reply.created_at + timedelta(seconds=conf.retry_seconds())
    )
    error = describe_error(exc)
    with transaction.atomic():
        LeadMessage.objects.filter(pk=reply.pk).update(
            status=DeliveryStatus.FAILED if give_up else DeliveryStatus.PENDING,
            attempts=attempts,
            last_error=error,
            next_attempt_at=None if give_up else now + timedelta(seconds=delay),
            lease_until=None,
        )
        backend = send_lead_reply.get_backend()
        if not give_up and backend.supports_defer:
            send_lead_reply.using(run_after=now + timedelta(seconds=delay)).enqueue(reply.pk)
    logger.log(
        logging.ERROR if give_up else logging.WARNING,
        "Reply %s on %s: attempt %d failed (%s); %s",
        reply.message_id,
        reply.inquiry.reference,
        attempts,
        error,
        "giving up" if give_up else f"retrying in {delay:.0f}s",
    )
    return "failed" if give_up else "retry"


def requeue_stalled(now=None, limit=500):
    """Enqueue a task for every reply whose attempt is overdue by more than the lease
    (its worker died, or its task was lost); a spare task finds nothing and does nothing."""
    now = now or timezone.now()
    overdue = now - timedelta(seconds=conf.lease_seconds())
    stalled = (
        LeadMessage.objects.due(overdue)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .values_list("pk", flat=True)[:limit]
    )
    count = 0
    for pk in stalled:
        send_lead_reply.enqueue(pk)
        count += 1
    return count


@transaction.atomic
def resend(reply, user):
    """Send a reply that was given up on again, now (one more attempt, as Resend does for
    the inquiry's own e-mails); return False when it had not failed."""
    updated = LeadMessage.objects.filter(
        pk=reply.pk, direction=LeadMessage.Direction.OUT, status=DeliveryStatus.FAILED
    ).update(status=DeliveryStatus.PENDING, next_attempt_at=timezone.now())
    if not updated:
        return False
    LeadEvent.objects.create(
        inquiry_id=reply.inquiry_id,
        user=user,
        kind=LeadEvent.Kind.RESEND,
        new_value=reply.subject[:200],
    )
    send_lead_reply.enqueue(reply.pk)
    return True
