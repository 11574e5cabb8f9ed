"""Spreadsheet exports of leads that a person can read and that cannot run formulas.

One row per lead (or, as an option, one row per line of the request, the lead's columns
repeated on each), with headings in the reader's language, times in the site's time zone
(ISO 8601 without fractions in CSV; real date cells in XLSX), country and product names
in the reader's language, the internal notes and the last e-mail exchanged with the
buyer."""

from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .grouping import attach_product_names, localized_titles
from .models import InquiryLine, LeadEvent, person_name

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Column key → heading. The keys are the viewset's `list_export`.
COLUMNS = {
    "reference": _("Reference"),
    "created_at": _("Received"),
    "status": _("Status"),
    "name": _("Name"),
    "company": _("Company"),
    "contact": _("E-mail or phone"),
    "contact_phone": _("Phone (international format)"),
    "country": _("Country"),
    "product": _("Product"),
    "quantity": _("Quantity"),
    "language": _("Language"),
    "assignee": _("Assignee"),
    "message": _("Message"),
    "notes": _("Internal notes"),
    "last_reply": _("Last reply"),
    "last_reply_at": _("Last reply at"),
    "pages_viewed": _("Pages viewed before asking"),
    "page_url": _("Sent from page"),
    "landing_page": _("Landing page of the visit"),
    "referrer": _("Referrer"),
    "utm_source": _("Campaign source (utm_source)"),
    "utm_medium": _("Campaign medium (utm_medium)"),
    "utm_campaign": _("Campaign name (utm_campaign)"),
    "first_response_at": _("First response"),
    "is_spam": _("Suspected spam"),
}

# The columns added by the "one row per line" export.
LINE_COLUMNS = {
    "line": _("Line"),
    "line_product": _("Line: product"),
    "line_quantity": _("Line: quantity"),
    "line_unit": _("Line: unit"),
    "line_note": _("Line: note"),
}

CHUNK = 500


def neutralise(value):
    """Text a spreadsheet would read as a formula ('=HYPERLINK(…)', '+7 …', '@SUM') gets a
    leading apostrophe, so it is shown as the text the buyer typed and never evaluated."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def local_iso(value):
    """A moment as the site's local time in ISO 8601, to the second: 2026-12-06T10:32:26+06:00."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def local_naive(value):
    """A moment as the site's local wall-clock time, for a spreadsheet's date cell."""
    return timezone.localtime(value).replace(microsecond=0, tzinfo=None)


def with_history(queryset):
    """The queryset with the notes and e-mail events each row needs, prefetched."""
    return queryset.select_related("product", "assignee").prefetch_related(
        Prefetch(
            "events",
            queryset=LeadEvent.objects.filter(kind=LeadEvent.Kind.NOTE)
            .select_related("user")
            .order_by("created_at", "pk"),
            to_attr="export_notes",
        ),
        Prefetch(
            "events",
            queryset=LeadEvent.objects.filter(kind__in=LeadEvent.EMAIL_KINDS)
            .select_related("user")
            .order_by("-created_at", "-pk"),
            to_attr="export_emails",
        ),
    )


class LineRow:
    """One line of a lead's request, a row of the "one row per line" export."""

    def __init__(self, inquiry, line, number):
        self.inquiry, self.line, self.number = inquiry, line, number


class Rows:
    """The leads of an export, read in chunks (each chunk's product names in one query);
    `model` is what Wagtail's export reads its headings from. With `per_line`, a lead
    gives one LineRow per line of its request (one row when it has none)."""

    def __init__(self, queryset, per_line=False):
        self.queryset = with_history(queryset)
        if per_line:
            self.queryset = self.queryset.prefetch_related(
                Prefetch("lines", queryset=InquiryLine.objects.select_related("product"))
            )
        self.per_line = per_line
        self.model = queryset.model

    def _rows(self, chunk):
        for inquiry in attach_product_names(chunk):
            if not self.per_line:
                yield inquiry
                continue
            lines = list(inquiry.lines.all())
            titles = localized_titles(line.product for line in lines if line.product_id)
            for number, line in enumerate(lines, 1):
                line.export_title = (
                    titles.get(line.product.translation_key, "") if line.product_id else ""
                ) or line.product_title
                yield LineRow(inquiry, line, number)
            if not lines:
                yield LineRow(inquiry, None, None)

    def __iter__(self):
        chunk = []
        for inquiry in self.queryset.iterator(chunk_size=CHUNK):
            chunk.append(inquiry)
            if len(chunk) == CHUNK:
                yield from self._rows(chunk)
                chunk = []
        yield from self._rows(chunk)


def line_values(item):
    line = item.line
    if line is None:
        return dict.fromkeys(LINE_COLUMNS, "")
    return {
        "line": item.number,
        "line_product": getattr(line, "export_title", line.product_title),
        "line_quantity": Decimal(line.quantity_display) if line.quantity is not None else None,
        "line_unit": line.get_unit_display(),
        "line_note": line.note,
    }


def _event_line(event):
    who = person_name(event.user) if event.user_id else ""
    moment = timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M")
    return f"{moment} {who}: {event.text}" if who else f"{moment}: {event.text}"


def last_reply(inquiry):
    """The newest e-mail exchanged with the buyer (a LeadEvent of an e-mail kind), or None."""
    emails = getattr(inquiry, "export_emails", None)
    if emails is None:
        emails = list(
            inquiry.events.filter(kind__in=LeadEvent.EMAIL_KINDS).order_by("-created_at", "-pk")
        )
    return emails[0] if emails else None


def row(inquiry):
    """The export's values for one lead (or one line of its request), by column key."""
    if isinstance(inquiry, LineRow):
        return row(inquiry.inquiry) | line_values(inquiry)
    notes = getattr(inquiry, "export_notes", None)
    if notes is None:
        notes = list(inquiry.events.filter(kind=LeadEvent.Kind.NOTE).order_by("created_at"))
    reply = last_reply(inquiry)
    values = {
        "reference": inquiry.reference,
        "created_at": inquiry.created_at,
        "status": inquiry.get_status_display(),
        "name": inquiry.name,
        "company": inquiry.company,
        "contact": inquiry.contact,
        "contact_phone": inquiry.contact_phone,
        "country": inquiry.country_name,
        "product": inquiry.display_product,
        "quantity": inquiry.quantity,
        "language": inquiry.language,
        "assignee": inquiry.assignee_name,
        "message": inquiry.message,
        "notes": "\n\n".join(_event_line(note) for note in notes),
        "last_reply": reply.text if reply else "",
        "last_reply_at": reply.created_at if reply else None,
        "pages_viewed": "\n".join(inquiry.pages_viewed or []),
        "page_url": inquiry.page_url,
        "landing_page": inquiry.landing_page,
        "referrer": inquiry.referrer,
        "utm_source": inquiry.utm_source,
        "utm_medium": inquiry.utm_medium,
        "utm_campaign": inquiry.utm_campaign,
        "first_response_at": inquiry.first_response_at,
        "is_spam": gettext("yes") if inquiry.is_spam else "",
    }
    return {key: values[key] for key in COLUMNS}


def csv_value(value):
    if isinstance(value, datetime):
        return local_iso(value)
    if value is None:
        return ""
    return neutralise(value)


def xlsx_value(value):
    if isinstance(value, datetime):
        return local_naive(value)
    return value
