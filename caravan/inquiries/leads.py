"""What the sales team does to a lead in the inbox. Every change is recorded as a LeadEvent
(who, when, from, to), which is the lead's history."""

from django.db import transaction
from django.utils import timezone

from .delivery import SPAM_REASON, enqueue_delivery
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
    if changes.get("is_spam") is False:
        deliver_skipped(inquiry, user, now)
    return True


@transaction.atomic
def mark_spam(inquiry, user, spam=True):
    """Spam → the Spam status; not spam → back to New (the team has not answered yet),
    and the e-mails the spam flag held back are sent after all."""
    if spam:
        return change_status(inquiry, LeadStatus.SPAM, user)
    if inquiry.status == LeadStatus.SPAM or inquiry.is_spam:
        if inquiry.status != LeadStatus.SPAM:
            Inquiry.objects.filter(pk=inquiry.pk).update(is_spam=False)
            inquiry.is_spam = False
            deliver_skipped(inquiry, user)
            return True
        return change_status(inquiry, LeadStatus.NEW, user)
    return False


def _held_back_by_spam(inquiry, channel):
    """True when this e-mail was never sent because the lead was flagged as spam: skipped
    without an attempt, either on arrival or by the worker, and one the lead gets at all."""
    if channel == Channel.AUTOREPLY and inquiry.contact_kind != ContactKind.EMAIL:
        return False
    return (
        getattr(inquiry, f"{channel}_status") == DeliveryStatus.SKIPPED
        and getattr(inquiry, f"{channel}_attempts") == 0
        and getattr(inquiry, f"{channel}_last_error") in ("", SPAM_REASON)
    )


def deliver_skipped(inquiry, user, now=None):
    """Queue, once, the notification and the buyer's confirmation that the spam flag held
    back, through the durable delivery path, and record it in the lead's history. An
    e-mail that was sent, or skipped for another reason, is left alone."""
    now = now or timezone.now()
    inquiry.refresh_from_db()
    channels = [channel for channel in Channel if _held_back_by_spam(inquiry, channel)]
    if not channels:
        return []
    changes = {}
    for channel in channels:
        changes[f"{channel}_status"] = DeliveryStatus.PENDING
        changes[f"{channel}_next_attempt_at"] = now
        changes[f"{channel}_last_error"] = ""
    Inquiry.objects.filter(pk=inquiry.pk).update(**changes)
    record(
        inquiry,
        LeadEvent.Kind.DELIVERY,
        user,
        text=", ".join(str(channel.label) for channel in channels),
        created_at=now,
    )
    enqueue_delivery(inquiry)
    inquiry.refresh_from_db()
    return channels


def record(inquiry, kind, user=None, text="", old_value="", new_value="", created_at=None):
    """Add an entry to the lead's history: anything that happened to it (an import, an
    e-mail exchanged with the buyer, ...), by whom (None: the system) and when."""
    return LeadEvent.objects.create(
        inquiry=inquiry,
        user=user,
        kind=kind,
        text=text,
        old_value=old_value[:200],
        new_value=new_value[:200],
        created_at=created_at or timezone.now(),
    )


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


UNCHANGED = object()


@transaction.atomic
def work(inquiry, user, status=None, assignee=UNCHANGED, note=""):
    """What the lead page's one form saves together: a note, the status and the assignee
    (None: nobody; UNCHANGED: leave as is), so that nothing typed is lost whichever
    button was pressed. Returns the names of what changed."""
    changed = []
    if note and note.strip():
        add_note(inquiry, note, user)
        changed.append("note")
    if status and change_status(inquiry, status, user):
        changed.append("status")
    if assignee is not UNCHANGED and assign(inquiry, assignee, user):
        changed.append("assignee")
    return changed
