"""The quotation flow as Python functions; the admin views and the buyer's page call these,
and a script can too:

    quotation = create_quotation(inquiry, lines=initial_lines(inquiry) priced, currency="USD",
                                 incoterm="FOB", valid_until=date(2026, 12, 31),
                                 incoterm_place="Shanghai", payment_terms="30 % T/T ...")
    send_quotation(quotation)
    quotation.pdf(); quotation.buyer_url()

Every change that the lead's history should show is a LeadEvent; every e-mail is stored
first (QuotationEmail) and sent by the task worker (delivery.py)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caravan.inquiries import leads
from caravan.inquiries.models import DeliveryStatus, LeadEvent, LeadStatus

from .delivery import enqueue_email
from .models import Quotation, QuotationCounter, QuotationEmail, QuotationLine, Status
from .wording import Unit

TERMS = (
    "incoterm_place",
    "payment_terms",
    "lead_time",
    "packaging",
    "notes",
    "discount_percent",
    "language",
)
LINE_FIELDS = ("product", "description", "quantity", "unit", "unit_price", "discount_percent")


# The buyer's units (inquiries.models.Unit) in the quotation's units; the others (pairs,
# boxes, "other") are quoted in pieces with the buyer's unit named in the description.
UNIT_FROM_INQUIRY = {
    "piece": Unit.PIECES,
    "set": Unit.SETS,
    "carton": Unit.CARTONS,
    "metre": Unit.METRES,
    "square_metre": Unit.SQUARE_METRES,
    "kilogram": Unit.KILOGRAMS,
    "tonne": Unit.TONNES,
    "litre": Unit.LITRES,
    "container_20": Unit.CONTAINERS,
    "container_40": Unit.CONTAINERS,
}


def _from_request_line(line):
    unit = UNIT_FROM_INQUIRY.get(line.unit)
    parts = [line.display_product or ""]
    if unit is None or line.unit.startswith("container_"):
        parts.append(f"({line.get_unit_display()})")
    if line.note:
        parts.append(f"– {line.note}")
    return {
        "product": line.product if line.product_id else None,
        "description": " ".join(p for p in parts if p).strip(),
        "quantity": line.quantity,
        "unit": unit or Unit.PIECES,
    }


def initial_lines(inquiry):
    """The lines a new quotation for this lead starts with: what the buyer asked for, line
    by line (product, description, quantity, unit), prices left to fill in; one empty
    line when the inquiry names nothing."""
    request_lines = list(inquiry.lines.select_related("product")) if inquiry.pk else []
    if request_lines:
        return [_from_request_line(line) for line in request_lines]
    product = inquiry.product if inquiry.product_id else None
    title = inquiry.display_product
    if not (product or title or inquiry.quantity):
        return [{"product": None, "description": "", "quantity": None, "unit": Unit.PIECES}]
    return [
        {
            "product": product,
            "description": title or "",
            "quantity": Decimal(inquiry.quantity) if inquiry.quantity else None,
            "unit": Unit.PIECES,
        }
    ]


def next_sequence(year):
    """The next number of `year`, taken under a lock on the year's counter row (call it in
    a transaction: the lock and the number are given back if the transaction fails)."""
    QuotationCounter.objects.bulk_create([QuotationCounter(year=year)], ignore_conflicts=True)
    counter = QuotationCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _build_lines(quotation, lines):
    built = []
    for index, data in enumerate(lines):
        values = {key: data.get(key) for key in LINE_FIELDS if data.get(key) is not None}
        values.setdefault("discount_percent", Decimal(0))
        values.setdefault("unit", Unit.PIECES)
        line = QuotationLine(quotation=quotation, sort_order=index, **values)
        line.full_clean(exclude=["quotation"])
        built.append(line)
    if not built:
        raise ValidationError("A quotation needs at least one line.")
    return built


def _apply_terms(quotation, currency, incoterm, valid_until, terms):
    unknown = set(terms) - set(TERMS)
    if unknown:
        raise TypeError(f"Unknown quotation terms: {', '.join(sorted(unknown))}")
    quotation.currency = currency
    quotation.incoterm = incoterm
    quotation.valid_until = valid_until
    for key, value in terms.items():
        setattr(quotation, key, value if value is not None else "")


def _save_with_lines(quotation, lines):
    built = _build_lines(quotation, lines)
    quotation.compute_totals(built)
    quotation.full_clean(exclude=["inquiry", "created_by"])
    quotation.save()
    quotation.lines.all().delete()
    for line in built:
        line.quotation = quotation
    QuotationLine.objects.bulk_create(built)
    return quotation


@transaction.atomic
def create_quotation(inquiry, *, lines, currency, incoterm, valid_until, user=None, **terms):
    """A new quotation (a draft) for the lead, numbered QT-<year>-<NNNN>. `lines` are
    dicts with product, description, quantity, unit, unit_price, discount_percent; terms
    are incoterm_place, payment_terms, lead_time, packaging, notes, discount_percent (on
    the whole quotation) and language (default: the inquiry's). Raises ValidationError."""
    now = timezone.now()
    quotation = Quotation(inquiry=inquiry, created_by=user, created_at=now)
    terms.setdefault("language", inquiry.language or "en")
    _apply_terms(quotation, currency, incoterm, valid_until, terms)
    _build_lines(quotation, lines)  # refuse bad lines before a number is taken
    quotation.year = timezone.localdate(now).year
    quotation.sequence = next_sequence(quotation.year)
    return _save_with_lines(quotation, lines)


@transaction.atomic
def revise_quotation(quotation, *, lines, currency, incoterm, valid_until, user=None, **terms):
    """Change a quotation. A draft is changed in place; a sent one gets a new revision
    (QT-2026-0001-R2, a draft until sent) and the sent one is kept as it was. An accepted
    quotation is not changed: quote again instead."""
    quotation = Quotation.objects.select_for_update().get(pk=quotation.pk)
    if quotation.status == Status.ACCEPTED:
        raise ValidationError("An accepted quotation cannot be changed; make a new one.")
    latest = quotation.revisions().first()
    if latest.pk != quotation.pk:
        raise ValidationError(f"{quotation.number} has a newer revision, {latest.number}.")
    if quotation.status != Status.DRAFT:
        quotation = Quotation(
            inquiry=quotation.inquiry,
            year=quotation.year,
            sequence=quotation.sequence,
            revision=quotation.revision + 1,
            public_id=quotation.public_id,
            language=quotation.language,
            discount_percent=quotation.discount_percent,
            incoterm_place=quotation.incoterm_place,
            payment_terms=quotation.payment_terms,
            lead_time=quotation.lead_time,
            packaging=quotation.packaging,
            notes=quotation.notes,
            created_by=user,
        )
    _apply_terms(quotation, currency, incoterm, valid_until, terms)
    return _save_with_lines(quotation, lines)


def _event(quotation, kind, user=None, text="", now=None):
    return LeadEvent.objects.create(
        inquiry=quotation.inquiry,
        user=user,
        created_at=now or timezone.now(),
        kind=kind,
        new_value=quotation.number,
        text=text,
    )


def _queue_email(quotation, kind, text="", skip_reason=""):
    """Store the e-mail and, unless there is a reason not to send it, enqueue its task
    (in the caller's transaction: with the database task backend both exist or neither)."""
    email = QuotationEmail.objects.create(
        quotation=quotation,
        kind=kind,
        text=text,
        status=DeliveryStatus.SKIPPED if skip_reason else DeliveryStatus.PENDING,
        last_error=skip_reason,
        next_attempt_at=None if skip_reason else timezone.now(),
    )
    if not skip_reason:
        enqueue_email(email)
    return email


@transaction.atomic
def send_quotation(quotation, user=None):
    """Send the quotation to the buyer: e-mailed in their language with the PDF and the
    link (through the task worker); earlier revisions are marked as replaced; the lead
    moves to Quoted. A buyer who gave a phone number only gets no e-mail: the link is
    shared by hand (the quotation's page shows it)."""
    quotation = Quotation.objects.select_for_update().select_related("inquiry").get(pk=quotation.pk)
    if quotation.status != Status.DRAFT:
        raise ValidationError(f"{quotation.number} was sent already; change it to send a revision.")
    now = timezone.now()
    quotation.status = Status.SENT
    quotation.sent_at = now
    quotation.save(update_fields=["status", "sent_at"])
    quotation.revisions().filter(revision__lt=quotation.revision).exclude(
        status=Status.ACCEPTED
    ).update(status=Status.REVISED)
    inquiry = quotation.inquiry
    reason = "" if inquiry.reply_email else "The buyer gave no e-mail address."
    _queue_email(quotation, QuotationEmail.Kind.TO_BUYER, skip_reason=reason)
    _event(quotation, LeadEvent.Kind.QUOTE_SENT, user=user, now=now)
    if inquiry.status in (LeadStatus.NEW, LeadStatus.CONTACTED):
        leads.change_status(inquiry, LeadStatus.QUOTED, user, now=now)
    return quotation


def resend_quotation(quotation, user=None):
    """E-mail the (sent) quotation to the buyer again."""
    with transaction.atomic():
        email = _queue_email(quotation, QuotationEmail.Kind.TO_BUYER)
        LeadEvent.objects.create(
            inquiry=quotation.inquiry,
            user=user,
            kind=LeadEvent.Kind.RESEND,
            new_value=quotation.number,
        )
    return email


def buyer_quotation(public_id):
    """The revision a buyer's link shows: the latest one that was sent, or None."""
    return (
        Quotation.objects.for_buyer()
        .filter(public_id=public_id)
        .select_related("inquiry")
        .order_by("-revision")
        .first()
    )


class NotOpenError(Exception):
    """The quotation can no longer be accepted (expired, accepted, or replaced)."""


@transaction.atomic
def accept_quotation(quotation, *, name, purchase_order=""):
    """The buyer accepts: recorded on the quotation and the lead's history, the assignee
    is told by e-mail, the lead moves to Won."""
    quotation = Quotation.objects.select_for_update().select_related("inquiry").get(pk=quotation.pk)
    if not quotation.is_open:
        raise NotOpenError(quotation.number)
    now = timezone.now()
    quotation.status = Status.ACCEPTED
    quotation.accepted_at = now
    quotation.accepted_by_name = name.strip()[:200]
    quotation.purchase_order = purchase_order.strip()[:100]
    quotation.save(update_fields=["status", "accepted_at", "accepted_by_name", "purchase_order"])
    text = quotation.accepted_by_name
    if quotation.purchase_order:
        text += f" · PO {quotation.purchase_order}"
    _event(quotation, LeadEvent.Kind.QUOTE_ACCEPTED, text=text, now=now)
    _queue_email(quotation, QuotationEmail.Kind.ACCEPTED, text=text)
    leads.change_status(quotation.inquiry, LeadStatus.WON, None, now=now)
    return quotation


@transaction.atomic
def ask_for_changes(quotation, *, message):
    """The buyer asks for changes (or, once expired, for a new quotation): recorded on
    the lead's history and e-mailed to the assignee."""
    quotation = Quotation.objects.select_for_update().select_related("inquiry").get(pk=quotation.pk)
    if quotation.status == Status.ACCEPTED:
        raise NotOpenError(quotation.number)
    if quotation.status == Status.SENT:
        quotation.status = Status.CHANGES
        quotation.save(update_fields=["status"])
    text = message.strip()[:5000]
    _event(quotation, LeadEvent.Kind.QUOTE_CHANGES, text=text)
    _queue_email(quotation, QuotationEmail.Kind.CHANGES, text=text)
    return quotation
