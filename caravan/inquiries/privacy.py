"""Privacy of the buyers who wrote: retention (old spam and old leads are deleted by a
periodic job), and a contact's right to a copy of, or the erasure of, what we hold.

Apps above inquiries keep data about a lead too (quotations). They cannot be imported
from here, so each registers what it holds with `register_contact_data` in its
AppConfig.ready(): the export asks it for its part, and erasing or deleting leads asks
it to erase its part first."""

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from .delivery import deliver_inquiry
from .models import InboxSettings, Inquiry, LeadMessage, LeadStatus

# The delivery task's path, and the one it had in earlier releases (tasks.py).
DELIVER_TASKS = [deliver_inquiry.module_path, "caravan.inquiries.tasks.deliver_inquiry"]


@dataclass(frozen=True)
class ContactData:
    """What another app keeps about leads. `export(leads)` returns JSON-ready rows for a
    queryset of inquiries; `erase(lead_ids)` removes (or anonymises) them before the
    leads are deleted and returns how many records it touched."""

    name: str
    export: Callable
    erase: Callable


CONTACT_DATA = {}  # name → ContactData


def register_contact_data(name, *, export, erase):
    CONTACT_DATA[name] = ContactData(name, export, erase)


def _erase_contact_data(ids):
    return {name: part.erase(ids) for name, part in sorted(CONTACT_DATA.items())}


def months_before(moment, months):
    """The same day and time `months` calendar months earlier (clamped to month ends)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def remove_queued_emails(inquiry_ids):
    """Delete the not-yet-started delivery tasks of these inquiries from the task queue, so
    no e-mail about them goes out after they are erased. Returns how many were removed."""
    ids = {int(pk) for pk in inquiry_ids}
    if not ids or not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path__in=DELIVER_TASKS, status=TaskResultStatus.READY
    )
    doomed = [
        task.pk
        for task in waiting.only("pk", "args_kwargs")
        if (task.args_kwargs or {}).get("args", [None])[:1]
        and int(task.args_kwargs["args"][0]) in ids
    ]
    if doomed:
        DBTaskResult.objects.filter(pk__in=doomed).delete()
    return len(doomed)


@transaction.atomic
def delete_leads(queryset):
    """Delete these inquiries with their notes and history and their queued e-mails."""
    ids = list(queryset.values_list("pk", flat=True))
    remove_queued_emails(ids)
    _erase_contact_data(ids)
    deleted, _per_model = Inquiry.objects.filter(pk__in=ids).delete()
    return len(ids)


def contact_leads(inquiry):
    if inquiry.contact_key:
        return Inquiry.objects.filter(contact_key=inquiry.contact_key)
    return Inquiry.objects.filter(pk=inquiry.pk)


@transaction.atomic
def erase_contact(inquiry):
    """Erase every inquiry of this buyer (same e-mail or phone), with notes, history, the
    conversation and its attachments, their queued e-mails, and what other apps keep
    about them (CONTACT_DATA)."""
    ids = list(contact_leads(inquiry).values_list("pk", flat=True))
    tasks = remove_queued_emails(ids)
    others = _erase_contact_data(ids)
    Inquiry.objects.filter(pk__in=ids).delete()  # with their e-mails and attachments
    if inquiry.reply_email:  # and the buyer's e-mails that no lead had claimed
        LeadMessage.objects.filter(
            inquiry__isnull=True, from_address__iexact=inquiry.reply_email
        ).delete()
    return {"inquiries": len(ids), "tasks": tasks, **others}


EXPORT_EXCLUDE = {"delivery_lease_owner", "delivery_lease_until", "delivery_task_id"}


def _row(inquiry):
    data = {}
    for field in Inquiry._meta.concrete_fields:
        if field.name in EXPORT_EXCLUDE:
            continue
        data[field.name] = field.value_from_object(inquiry)
    data["product"] = inquiry.display_product
    data["lines"] = [
        {
            "product": line.display_product,
            "quantity": line.quantity,
            "unit": line.unit,
            "note": line.note,
        }
        for line in inquiry.lines.select_related("product")
    ]
    data["files"] = [
        {"name": f.filename, "type": f.content_type, "size": f.size} for f in inquiry.files.all()
    ]
    data["assignee"] = str(inquiry.assignee) if inquiry.assignee_id else ""
    data["status"] = inquiry.status
    data["history"] = [
        {
            "at": event.created_at,
            "kind": event.kind,
            "by": str(event.user) if event.user_id else "",
            "from": event.old_value,
            "to": event.new_value,
            "text": event.text,
        }
        for event in inquiry.events.select_related("user").order_by("created_at", "pk")
    ]
    return data


def export_contact(contact_key):
    """Everything stored about the buyer with this contact, for a data-access request."""
    leads = Inquiry.objects.filter(contact_key=contact_key).select_related("product", "assignee")
    data = {
        "contact": contact_key,
        "exported_at": timezone.now(),
        "inquiries": [_row(inquiry) for inquiry in leads.order_by("created_at", "pk")],
    }
    for name, part in sorted(CONTACT_DATA.items()):
        data[name] = part.export(leads)
    return data


def purge_expired(now=None):
    """Apply the retention settings; returns how many spam and other leads were deleted."""
    now = now or timezone.now()
    config = InboxSettings.load()
    spam = leads = 0
    if config.spam_retention_days:
        cutoff = now - timedelta(days=config.spam_retention_days)
        spam = delete_leads(
            Inquiry.objects.filter(created_at__lt=cutoff).filter(is_spam=True)
            | Inquiry.objects.filter(created_at__lt=cutoff, status=LeadStatus.SPAM)
        )
    if config.lead_retention_months:
        cutoff = months_before(now, config.lead_retention_months)
        leads = delete_leads(Inquiry.objects.filter(created_at__lt=cutoff))
    return {"spam": spam, "leads": leads}
