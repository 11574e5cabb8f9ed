"""The quotations report: per month and per assignee, how many quotations were sent,
accepted and left to expire, the acceptance rate, the median time from an inquiry to its
first quotation, and the value quoted and won per currency. A quotation counts once, with
all its revisions, in the month it was first sent."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from caravan.inquiries.models import person_name
from caravan.inquiries.reports import _bounds, period

from .models import Quotation, Status


@dataclass
class Row:
    label: str
    sent: int = 0
    accepted: int = 0
    expired: int = 0

    @property
    def rate(self):
        return round(100 * self.accepted / self.sent) if self.sent else None


@dataclass
class Summary:
    months: list = field(default_factory=list)
    assignees: list = field(default_factory=list)
    total: Row = None
    median_hours_to_first_quote: float | None = None
    values: list = field(default_factory=list)  # (currency, quoted, accepted)


def _families(start, end):
    """{(year, sequence): revisions} of quotations first sent within the period."""
    low, high = _bounds(start, end)
    keys = Quotation.objects.filter(revision=1, sent_at__gte=low, sent_at__lt=high).values_list(
        "year", "sequence"
    )
    first_sent = dict.fromkeys(keys)
    families = defaultdict(list)
    if not first_sent:
        return families
    years = {year for year, _seq in first_sent}
    revisions = (
        Quotation.objects.for_buyer()
        .filter(year__in=years)
        .select_related("inquiry__assignee")
        .order_by("revision")
    )
    for quotation in revisions:
        key = (quotation.year, quotation.sequence)
        if key in first_sent:
            families[key].append(quotation)
    return families


def summary(start, end, today=None):
    today = today or timezone.localdate()
    months = defaultdict(lambda: None)
    assignees = {}
    total = Row(_("All"))
    values = defaultdict(lambda: [Decimal(0), Decimal(0)])
    first_quote = {}
    for revisions in _families(start, end).values():
        first, latest = revisions[0], revisions[-1]
        month = timezone.localtime(first.sent_at).strftime("%Y-%m")
        if months[month] is None:
            months[month] = Row(month)
        inquiry = first.inquiry
        who = person_name(inquiry.assignee) if inquiry.assignee_id else _("nobody")
        assignees.setdefault(who, Row(who))
        accepted = any(q.status == Status.ACCEPTED for q in revisions)
        expired = not accepted and latest.valid_until < today
        for row in (months[month], assignees[who], total):
            row.sent += 1
            row.accepted += accepted
            row.expired += expired
        quoted = values[latest.currency]
        quoted[0] += latest.total
        if accepted:
            quoted[1] += next(q for q in revisions if q.status == Status.ACCEPTED).total
        delay = first.sent_at - inquiry.created_at
        if inquiry.pk not in first_quote or delay < first_quote[inquiry.pk]:
            first_quote[inquiry.pk] = delay
    hours = [delay.total_seconds() / 3600 for delay in first_quote.values()]
    return Summary(
        months=[months[key] for key in sorted(months)],
        assignees=sorted(assignees.values(), key=lambda row: (-row.sent, row.label)),
        total=total,
        median_hours_to_first_quote=round(statistics.median(hours), 1) if hours else None,
        values=[(currency, *sums) for currency, sums in sorted(values.items())],
    )


def quotations_report_view(request):
    form, start, end = period(request, default_days=365)
    return TemplateResponse(
        request,
        "quotations/admin/report.html",
        {
            "form": form,
            "summary": summary(start, end),
            "start": start,
            "end": end,
            "page_title": _("Quotations"),
            "header_title": _("Quotations"),
        },
    )
