"""The two lead reports: response times (median first response per week and per
assignee) and "where do inquiries come from" (per page, product, country, language and
UTM source), each over a chosen period, as a table and a server-rendered SVG chart."""

import statistics
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .countries import country_name
from .grouping import attach_line_product_names, localized_titles
from .models import ChatClick, Inquiry

# A period the reports can count in: the day after the end must still be a date (and a
# time zone's offset must not push it past the calendar's ends).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2999, 12, 31)
_DAY_IN_RANGE = format_lazy(
    _("Choose a day between {first} and {last}."),
    first=FIRST_DAY.isoformat(),
    last=LAST_DAY.isoformat(),
)


def _day_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[
            MinValueValidator(FIRST_DAY, message=_DAY_IN_RANGE),
            MaxValueValidator(LAST_DAY, message=_DAY_IN_RANGE),
        ],
    )


class PeriodForm(forms.Form):
    start = _day_field(_("From"))
    end = _day_field(_("To"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data


def period(request, default_days):
    """The period asked for (inclusive dates), or the last `default_days` days."""
    today = timezone.localdate()
    default = (today - timedelta(days=default_days - 1), today)
    form = PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return PeriodForm(initial={"start": default[0], "end": default[1]}), *default
    data = form.cleaned_data if form.is_bound else {}
    start = data.get("start") or default[0]
    end = data.get("end") or default[1]
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    return form, start, end


def _bounds(start, end):
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def _hours(delta):
    return round(delta.total_seconds() / 3600, 1)


def response_rows(leads, key):
    """Per group (by `key(lead)`): leads, answered, median first response in hours."""
    groups = defaultdict(list)
    for lead in leads:
        groups[key(lead)].append(lead)
    rows = []
    for label, members in groups.items():
        times = [lead.response_time for lead in members if lead.response_time is not None]
        rows.append(
            {
                "label": label,
                "leads": len(members),
                "answered": len(times),
                "median_hours": _hours(statistics.median(times)) if times else None,
            }
        )
    return rows


def response_times_view(request):
    form, start, end = period(request, 12 * 7)
    since, until = _bounds(start, end)
    leads = list(
        Inquiry.objects.not_spam()
        .filter(created_at__gte=since, created_at__lt=until)
        .select_related("assignee")
        .only("created_at", "first_response_at", "assignee")
    )

    def week(lead):
        day = timezone.localtime(lead.created_at).date()
        return day - timedelta(days=day.weekday())

    weeks = sorted(response_rows(leads, week), key=lambda r: r["label"])
    for row in weeks:
        row["label"] = gettext("Week of %(day)s") % {"day": row["label"].isoformat()}
    nobody = gettext("Unassigned")
    assignees = sorted(
        response_rows(leads, lambda lead: lead.assignee_name or nobody),
        key=lambda r: r["label"],
    )
    chart = bar_chart(
        [(row["label"], row["median_hours"] or 0) for row in weeks], unit=gettext("h")
    )
    return TemplateResponse(
        request,
        "inquiries/admin/report_response_times.html",
        {
            "page_title": gettext("Lead response times"),
            "form": form,
            "weeks": weeks,
            "assignees": assignees,
            "chart": chart,
            "total": len(leads),
        },
    )


def _page_path(url):
    return urlsplit(url).path or url if url else ""


SOURCE_DIMENSIONS = [
    ("page", _("Page"), lambda lead: _page_path(lead.page_url)),
    ("product", _("Product"), lambda lead: lead.line_product_names),
    ("country", _("Country"), lambda lead: lead.country),
    ("language", _("Language"), lambda lead: lead.language),
    ("utm_source", _("UTM source"), lambda lead: lead.utm_source),
]


def source_tables(leads, limit=20):
    tables = []
    unknown = gettext("(none)")
    for key, label, get in SOURCE_DIMENSIONS:
        counts = Counter()
        for lead in leads:
            value = get(lead)
            # A request for several products counts once for each of them.
            values = (value or [""]) if isinstance(value, list) else [value]
            counts.update(v or "" for v in values)
        rows = []
        for value, count in counts.most_common(limit):
            shown = value
            if key == "country" and value:
                shown = f"{country_name(value)} ({value})"
            rows.append({"label": shown or unknown, "count": count})
        tables.append(
            {
                "key": key,
                "label": label,
                "rows": rows,
                "chart": bar_chart([(r["label"], r["count"]) for r in rows]),
            }
        )
    return tables


def chat_rows(start, end, inquiries_by_product, limit=20):
    """Per product, in the reader's language: the inquiries about it beside the clicks on
    its "Chat on WhatsApp" (from `start` to `end`, inclusive days), most clicked first."""
    clicks = list(
        ChatClick.objects.filter(day__gte=start, day__lte=end, product__isnull=False)
        .select_related("product")
        .only("count", "product__title", "product__translation_key")
    )
    titles = localized_titles(click.product for click in clicks)
    counts = Counter()
    for click in clicks:
        counts[titles[click.product.translation_key]] += click.count
    return [
        {"label": label, "chats": chats, "inquiries": inquiries_by_product.get(label, 0)}
        for label, chats in counts.most_common(limit)
    ]


def sources_view(request):
    form, start, end = period(request, 30)
    since, until = _bounds(start, end)
    # Products by translation: a lead from the Russian page counts for the product, named
    # in the reader's language.
    leads = attach_line_product_names(
        Inquiry.objects.not_spam()
        .filter(created_at__gte=since, created_at__lt=until)
        .select_related("product")
        .only(
            "page_url",
            "product__title",
            "product__translation_key",
            "product_title",
            "country",
            "language",
            "utm_source",
            "created_at",
        )
    )
    tables = source_tables(leads)
    return TemplateResponse(
        request,
        "inquiries/admin/report_sources.html",
        {
            "page_title": gettext("Where inquiries come from"),
            "form": form,
            "tables": tables,
            "chats": chat_rows(
                start, end, Counter(name for lead in leads for name in lead.line_product_names)
            ),
            "total": len(leads),
            "start": start,
            "end": end,
        },
    )


FONT_PX = 12


def text_width(text, font_px=FONT_PX):
    """A generous estimate of the width of `text` in pixels in the admin's sans-serif
    font: wide (CJK) characters take a full em, capitals and others up to 0.7 em."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 1.0
        elif unicodedata.combining(ch):
            continue
        elif ch.isupper() or ch in "mwMW@%":
            width += 0.75
        else:
            width += 0.6
    return width * font_px


def fit_label(label, room, font_px=FONT_PX):
    """`label` shortened with '…' so that it fits in `room` pixels (never clipped by the
    chart's edge); the full label stays in the tooltip and the table."""
    if text_width(label, font_px) <= room:
        return label
    cut = len(label)
    while cut > 0 and text_width(label[:cut].rstrip() + "…", font_px) > room:
        cut -= 1
    return label[:cut].rstrip() + "…"


def bar_chart(pairs, width=560, bar=18, gap=6, label_width=200, unit=""):
    """A horizontal bar chart as plain data for the SVG template (no JavaScript)."""
    pairs = [(str(label), value) for label, value in pairs]
    top = max((value for _label, value in pairs), default=0) or 1
    room = width - label_width - 60
    bars = []
    for index, (label, value) in enumerate(pairs):
        y = index * (bar + gap)
        bars.append(
            {
                "label": fit_label(label, label_width - 8 - 4),
                "full_label": label,
                "value": value,
                "y": y,
                "text_y": y + bar - 5,
                "width": max(round(room * value / top), 1 if value else 0),
                "value_x": label_width + max(round(room * value / top), 0) + 6,
            }
        )
    return {
        "bars": bars,
        "width": width,
        "height": max(len(pairs) * (bar + gap), bar),
        "bar": bar,
        "label_width": label_width,
        "label_x": label_width - 8,
        "unit": unit,
    }


__all__ = ["response_times_view", "sources_view"]
