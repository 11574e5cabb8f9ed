"""Taking in one inquiry: score it, assemble it (the buyer's thread, its first status, its
assignee), store it and enqueue its e-mails in one transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from wagtail.models import Site

from . import attribution, conf, ratelimit, spam, tokens
from .assignment import assignee_for
from .delivery import enqueue_delivery
from .models import Inquiry, LeadStatus, contact_key, new_reference


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


def score(cleaned, data):
    """The spam verdict for a valid submission; `data` is the raw POST (token, honeypot)."""
    check = tokens.check_token(data.get("token"))
    fresh = tokens.claim_token(check) if check.valid else True
    return spam.assess(
        name=cleaned["name"],
        message=cleaned["message"],
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


def store(request, cleaned, verdict, data):
    """Insert the inquiry and, unless it is suspected spam, enqueue its e-mails: both in
    one transaction, so an inquiry is never stored without its delivery task."""
    product = cleaned.get("product")
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
        quantity=cleaned["quantity"],
        spam_score=min(verdict.score, 32767),
        spam_reasons=verdict.reasons,
        is_spam=verdict.is_spam,
        language=translation.get_language() or "",
        **attribution.from_request(request, data),
    )
    inquiry.arm_delivery(now)
    with transaction.atomic():
        add(inquiry)
        if not inquiry.is_spam:
            enqueue_delivery(inquiry)
    return inquiry
