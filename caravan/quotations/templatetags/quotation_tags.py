"""Amounts and quantities as a quotation prints them, and the lead's quotations for the
panel on the lead's page."""

from decimal import Decimal

from django import template

from ..wording import CURRENCY_DECIMALS, Unit

register = template.Library()


@register.filter
def money(amount, currency):
    """12345.6 in USD → '12,345.60'; in JPY → '12,346'."""
    if amount is None or amount == "":
        return ""
    places = CURRENCY_DECIMALS.get(currency, 2)
    return f"{Decimal(amount):,.{places}f}"


@register.filter
def qty(amount):
    """A quantity without trailing zeros: 100.000 → '100', 2.500 → '2.5'."""
    if amount is None or amount == "":
        return ""
    text = f"{Decimal(amount):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def unit_label(code):
    try:
        return Unit(code).label
    except ValueError:
        return code


@register.filter
def percent(value):
    return qty(value)


@register.simple_tag
def buyer_answers(inquiry):
    """What the buyer answered to the lead's quotations (accepted, asked for changes),
    newest first, with their words."""
    from caravan.inquiries.models import LeadEvent

    kinds = [LeadEvent.Kind.QUOTE_ACCEPTED, LeadEvent.Kind.QUOTE_CHANGES]
    return list(inquiry.events.filter(kind__in=kinds))


@register.simple_tag
def lead_quotations(inquiry):
    """The lead's quotations, every revision, newest number first (a read, no writes)."""
    return list(
        inquiry.quotations.select_related("created_by").order_by("-year", "-sequence", "-revision")
    )


@register.filter
def text_dir(value):
    """'rtl' when the text's first strong character is right-to-left (Arabic, Hebrew),
    else 'ltr': what dir="auto" does in a browser, for the PDF renderer, which lacks it."""
    import unicodedata

    for ch in str(value or ""):
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"
