"""Taking in one inquiry: score it, assemble it (the buyer's thread, its first status, its
assignee), store it and enqueue its e-mails in one transaction."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from wagtail.models import Site

from . import attribution, conf, ratelimit, spam, tokens, uploads
from .assignment import assignee_for
from .delivery import enqueue_delivery
from .models import (
    Inquiry,
    InquiryAttachment,
    InquiryLine,
    LeadStatus,
    Unit,
    contact_key,
    new_reference,
    private_storage,
)


class RateLimitedError(Exception):
    """Too many inquiries from one address or for one contact; nothing was stored."""

    def __init__(self, decision):
        super().__init__(decision.scope)
        self.retry_after = decision.retry_after
        self.scope = decision.scope


def check_rate_limits(request, cleaned):
    """Count this inquiry against the per-IP and per-contact limits; raise RateLimitedError
    (before anything is stored) when one is used up."""
    ip = attribution.client_ip(request)
    contact = cleaned["contact_phone"] or cleaned["contact"].strip().lower()
    for scope, identity, limit in (
        ("ip", str(ip or ""), conf.rate_limit_ip()),
        ("contact", contact, conf.rate_limit_contact()),
    ):
        decision = ratelimit.hit(scope, identity, limit)
        if not decision.allowed:
            raise RateLimitedError(decision)


def score(cleaned, data, lines=()):
    """The spam verdict for a valid submission; `data` is the raw POST (token, honeypot).
    The lines' notes are read with the message (a link hidden in a note counts)."""
    check = tokens.check_token(data.get("token"))
    fresh = tokens.claim_token(check) if check.valid else True
    notes = [line["note"] for line in lines if line.get("note")]
    return spam.assess(
        name=cleaned["name"],
        message="\n".join([cleaned["message"], *notes]),
        company=cleaned["company"],
        honeypot=data.get("website", ""),
        token_check=check,
        token_fresh=fresh,
    )


def assemble(inquiry):
    """Make a new inquiry a lead before it is stored: it joins its buyer's thread (the
    buyer's latest earlier inquiry), starts as New (or Spam when flagged) and goes to the
    salesperson of the first matching assignment rule (spam goes to nobody)."""
    inquiry.contact_key = inquiry.contact_key or contact_key(
        inquiry.contact_kind, inquiry.contact, inquiry.contact_phone
    )
    if inquiry.is_spam and inquiry.status == LeadStatus.NEW:
        inquiry.status = LeadStatus.SPAM
    if inquiry.contact_key and inquiry.earlier_inquiry_id is None:
        inquiry.earlier_inquiry = (
            Inquiry.objects.filter(contact_key=inquiry.contact_key).order_by("-created_at").first()
        )
    if not inquiry.is_spam and inquiry.assignee_id is None:
        inquiry.assignee = assignee_for(inquiry)
    return inquiry


def _insert_with_new_reference(inquiry, tries=8):
    for attempt in range(tries):
        inquiry.reference = new_reference()
        try:
            with transaction.atomic():
                inquiry.save(force_insert=True)
            return inquiry
        except IntegrityError:
            taken = Inquiry.objects.filter(reference=inquiry.reference).exists()
            if attempt == tries - 1 or not taken:
                raise
            inquiry.pk = None
    return inquiry


def add(inquiry):
    """Assemble a new inquiry and insert it, under a new reference unless it has one. Every
    inquiry is created through here (the form's `store`, tests' factories)."""
    assemble(inquiry)
    if inquiry.reference:
        inquiry.save(force_insert=True)
        return inquiry
    return _insert_with_new_reference(inquiry)


def _first_quantity(line):
    """The first line's quantity as the inquiry's whole-number quantity (lists, filters)."""
    quantity = line.get("quantity") if line else None
    if quantity is None or quantity != quantity.to_integral_value():
        return None
    return int(quantity)


def _add_lines(inquiry, lines):
    InquiryLine.objects.bulk_create(
        InquiryLine(
            inquiry=inquiry,
            position=position,
            product=line.get("product"),
            product_title=line["product"].title[:255] if line.get("product") else "",
            quantity=line.get("quantity"),
            unit=line.get("unit") or Unit.PIECE,
            note=line.get("note") or "",
        )
        for position, line in enumerate(lines)
    )


def _add_files(inquiry, files, saved):
    """Save the accepted files in the private storage; `saved` collects their names."""
    for upload, kind in files:
        attachment = InquiryAttachment(
            inquiry=inquiry,
            filename=uploads.clean_filename(upload.name),
            content_type=kind.content_type,
            size=upload.size,
        )
        upload.seek(0)
        attachment.file.save(f"{secrets.token_hex(16)}{kind.extension}", upload, save=False)
        saved.append(attachment.file.name)
        attachment.save()


def store(request, cleaned, verdict, data, *, lines=(), files=()):
    """Insert the inquiry with its lines and files and, unless it is suspected spam,
    enqueue its e-mails: all in one transaction, so an inquiry is never stored without
    its delivery task (a file saved for a transaction that failed is removed)."""
    lines = list(lines)
    first = lines[0] if lines else None
    product = first.get("product") if first else cleaned.get("product")
    now = timezone.now()
    inquiry = Inquiry(
        created_at=now,
        site=Site.find_for_request(request),
        name=cleaned["name"],
        contact=cleaned["contact"],
        contact_kind=cleaned["contact_kind"],
        contact_phone=cleaned["contact_phone"],
        message=cleaned["message"],
        company=cleaned["company"],
        country=cleaned["country"],
        product=product,
        product_title=product.title[:255] if product else "",
        quantity=_first_quantity(first) if first else cleaned.get("quantity"),
        destination_country=cleaned.get("destination_country", ""),
        destination_place=cleaned.get("destination_place", ""),
        incoterm=cleaned.get("incoterm", ""),
        target_price=cleaned.get("target_price"),
        currency=cleaned.get("currency", ""),
        samples_wanted=cleaned.get("samples_wanted", False),
        needed_by=cleaned.get("needed_by"),
        spam_score=min(verdict.score, 32767),
        spam_reasons=verdict.reasons,
        is_spam=verdict.is_spam,
        language=translation.get_language() or "",
        **attribution.from_request(request, data),
    )
    inquiry.arm_delivery(now)
    # The assignment rules read every line's product; the lines are stored after the
    # inquiry, so they are handed over here.
    inquiry.pending_products = [line["product"] for line in lines if line.get("product")]
    saved = []
    try:
        with transaction.atomic():
            add(inquiry)
            _add_lines(inquiry, lines)
            _add_files(inquiry, files, saved)
            if not inquiry.is_spam:
                enqueue_delivery(inquiry)
    except BaseException:
        storage = private_storage()
        for name in saved:
            storage.delete(name)
        raise
    return inquiry
