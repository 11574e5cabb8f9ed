"""A buyer's quotations in the inbox's privacy actions (caravan.inquiries.privacy):
"Export everything about this contact" includes every revision of every quotation made
for the contact's leads, with its lines, totals, terms, the buyer's answers and the
e-mails it caused; erasing the contact erases them.

Why erased and not kept anonymised: a quotation here is an offer written from a lead;
it is not an accounting record (the invoice, and the order it follows, live in the
supplier's accounting system, which keeps them for as long as the law requires), and
the buyer's page, PDF and e-mails of a quotation all show the buyer. So the
quotations, their lines and their e-mails go with the leads, in the same transaction;
their numbers are never given out again (the year's counter only grows), so the gap
they leave is visible, not reused."""

from .models import Quotation, QuotationEmail


def export_quotations(leads):
    quotations = (
        Quotation.objects.filter(inquiry__in=leads)
        .select_related("inquiry")
        .prefetch_related("lines", "emails")
        .order_by("year", "sequence", "revision")
    )
    return [_row(quotation) for quotation in quotations]


def _row(quotation):
    return {
        "number": quotation.number,
        "inquiry": quotation.inquiry.reference,
        "revision": quotation.revision,
        "status": quotation.status,
        "language": quotation.language,
        "created_at": quotation.created_at,
        "sent_at": quotation.sent_at,
        "valid_until": quotation.valid_until,
        "currency": quotation.currency,
        "lines": [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_price": line.unit_price,
                "discount_percent": line.discount_percent,
                "amount": line.amount(quotation.currency),
            }
            for line in quotation.lines.all()
        ],
        "subtotal": quotation.subtotal,
        "discount_percent": quotation.discount_percent,
        "discount": quotation.discount_amount,
        "total": quotation.total,
        "incoterm": f"{quotation.incoterm} {quotation.incoterm_place}".strip(),
        "payment_terms": quotation.payment_terms,
        "lead_time": quotation.lead_time,
        "packaging": quotation.packaging,
        "notes": quotation.notes,
        "accepted_at": quotation.accepted_at,
        "accepted_by": quotation.accepted_by_name,
        "purchase_order": quotation.purchase_order,
        "emails": [
            {
                "kind": email.kind,
                "at": email.created_at,
                "state": email.status,
                "delivered_at": email.delivered_at,
                "text": email.text,
            }
            for email in sorted(quotation.emails.all(), key=lambda e: (e.created_at, e.pk))
        ],
    }


def erase_quotations(lead_ids):
    """Delete the quotations of these leads with their lines and e-mails (see the
    module's docstring for why); returns how many quotation revisions went."""
    QuotationEmail.objects.filter(quotation__inquiry__in=lead_ids).delete()
    deleted = Quotation.objects.filter(inquiry__in=lead_ids)
    count = deleted.count()
    deleted.delete()
    return count
