"""What the sales team does to a lead in the inbox. Every change is recorded as a LeadEvent
(who, when, from, to), which is the lead's history."""

from django.db import transaction
from django.utils import timezone

from .delivery import enqueue_delivery
from .models import (
    Channel,
    ContactKind,
    DeliveryStatus,
    Inquiry,
    LeadEvent,
    LeadStatus,
    person_name,
)


def _user_label(user):
    return person_name(user)[:200]


@transaction.atomic
def change_status(inquiry, status, user, now=None):
    """Move the lead to `status`; return False when it already had it. Leaving New the
    first time is the lead's first response; Spam and the spam flag go together."""
    now = now or timezone.now()
    status = LeadStatus(status)
    if inquiry.status == status:
        return False
    old = inquiry.status
    changes = {"status": status}
    if old == LeadStatus.NEW and status != LeadStatus.SPAM and not inquiry.first_response_at:
        changes["first_response_at"] = now
    if status == LeadStatus.SPAM:
        changes["is_spam"] = True
    elif old == LeadStatus.SPAM or inquiry.is_spam:
        changes["is_spam"] = False
    Inquiry.objects.filter(pk=inquiry.pk).update(**changes)
    for field, value in changes.items():
        setattr(inquiry, field, value)
    LeadEvent.objects.create(
        inquiry=inquiry,
        user=user,
        created_at=now,
        kind=LeadEvent.Kind.STATUS,
        old_value=old,
        new_value=status,
    )
    return True


def mark_spam(inquiry, user, spam=True):
    """Spam → the Spam status; not spam → back to New (the team has not answered yet)."""
    if spam:
        return change_status(inquiry, LeadStatus.SPAM, user)
    if inquiry.status == LeadStatus.SPAM or inquiry.is_spam:
        if inquiry.status != LeadStatus.SPAM:
            Inquiry.objects.filter(pk=inquiry.pk).update(is_spam=False)
            inquiry.is_spam = False
            return True
        return change_status(inquiry, LeadStatus.NEW, user)
    return False


@transaction.atomic
def assign(inquiry, assignee, user):
    """Give the lead to `assignee` (None: nobody); return False when nothing changed."""
    if inquiry.assignee_id == (assignee.pk if assignee else None):
        return False
    old = _user_label(inquiry.assignee) if inquiry.assignee_id else ""
    Inquiry.objects.filter(pk=inquiry.pk).update(assignee=assignee)
    inquiry.assignee = assignee
    LeadEvent.objects.create(
        inquiry=inquiry,
        user=user,
        kind=LeadEvent.Kind.ASSIGNEE,
        old_value=old,
        new_value=_user_label(assignee),
    )
    return True


def add_note(inquiry, text, user):
    return LeadEvent.objects.create(
        inquiry=inquiry, user=user, kind=LeadEvent.Kind.NOTE, text=text.strip()
    )


def can_resend(inquiry, channel):
    channel = Channel(channel)
    if channel == Channel.AUTOREPLY and inquiry.contact_kind != ContactKind.EMAIL:
        return False
    return getattr(inquiry, f"{channel}_status") != DeliveryStatus.PENDING or (
        getattr(inquiry, f"{channel}_attempts") > 0
    )


@transaction.atomic
def resend(inquiry, channel, user, now=None):
    """Send the notification or the confirmation again (now), through the task worker."""
    now = now or timezone.now()
    channel = Channel(channel)
    if not can_resend(inquiry, channel):
        return False
    Inquiry.objects.filter(pk=inquiry.pk).update(
        **{f"{channel}_status": DeliveryStatus.PENDING, f"{channel}_next_attempt_at": now}
    )
    LeadEvent.objects.create(
        inquiry=inquiry, user=user, kind=LeadEvent.Kind.RESEND, new_value=channel.label
    )
    enqueue_delivery(inquiry)
    inquiry.refresh_from_db()
    return True
