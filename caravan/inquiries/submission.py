"""Taking in one inquiry: score it, store it and enqueue its e-mails in one transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from wagtail.models import Site

from . import attribution, conf, ratelimit, spam, tokens
from .delivery import enqueue_delivery
from .models import Inquiry, new_reference


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


def _save_with_reference(inquiry, tries=8):
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
        _save_with_reference(inquiry)
        if not inquiry.is_spam:
            enqueue_delivery(inquiry)
    return inquiry
