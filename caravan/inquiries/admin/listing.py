"""The inbox listing: newest leads first, with filters, search, CSV/XLSX export, the
'Inbox (n new)' menu item, and the bulk actions on the selected leads."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BaseColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets import Button

from .. import exports, leads, privacy
from ..grouping import attach_line_product_names
from ..models import Inquiry, LeadStatus
from .forms import BulkForm
from .permissions import CHANGE, DELETE, VIEW, forbidden, require


def new_leads_count():
    return Inquiry.objects.filter(status=LeadStatus.NEW, is_spam=False).count()


class InboxMenuItem(MenuItem):
    """'Inbox' in the admin menu, with the number of new leads."""

    def is_shown(self, request):
        return request.user.has_perm(VIEW)

    def render_component(self, request):
        count = new_leads_count()
        label = self.label
        if count:
            label = gettext("%(label)s (%(count)s new)") % {"label": self.label, "count": count}
        component = super().render_component(request)
        component.label = label
        return component


class CheckboxColumn(BaseColumn):
    """A checkbox per lead, belonging to the bulk-action form below the listing."""

    cell_template_name = "inquiries/admin/checkbox_cell.html"
    header_template_name = "inquiries/admin/checkbox_header.html"


class StatusColumn(Column):
    """The lead's status as a tag; New ones stand out."""

    cell_template_name = "inquiries/admin/status_cell.html"


class TextColumn(Column):
    """Text a buyer typed (or a product's name in any script), set `dir="auto"` so an
    Arabic name reads right to left inside the left-to-right list."""

    cell_template_name = "inquiries/admin/text_cell.html"


def _buyer(inquiry):
    """Name and company, each isolated (<bdi>): an Arabic name beside a Latin company name
    keeps each in its own direction instead of the two being reordered into each other."""
    if inquiry.company:
        return format_html("<bdi>{}</bdi> · <bdi>{}</bdi>", inquiry.name, inquiry.company)
    return inquiry.name


def _products(inquiry):
    """Every product a request asks about, in the reader's language: the first two by
    name and how many more, so a request for several products reads as one."""
    names = inquiry.line_product_names
    shown = ", ".join(names[:2])
    more = len(names) - 2
    if more <= 0:
        return shown
    return ngettext("%(products)s and %(count)s more", "%(products)s and %(count)s more", more) % {
        "products": shown,
        "count": more,
    }


def _status(inquiry):
    return inquiry.get_status_display()


class InboxIndexView(IndexView):
    """The inbox: newest first; export writes the filtered list (all pages), see
    caravan.inquiries.exports."""

    results_template_name = "inquiries/admin/index_results.html"
    template_name = "inquiries/admin/index.html"
    default_ordering = "-created_at"
    page_title = _("Lead inbox")
    export_headings = exports.COLUMNS

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("product", "assignee")

    @cached_property
    def columns(self):
        return [
            CheckboxColumn("select", label=_("Select")),
            TitleColumn(
                "reference",
                label=_("Reference"),
                get_url=lambda lead: reverse("inquiry_admin:inspect", args=[lead.pk]),
                sort_key="reference",
                classname="inbox-reference",
            ),
            StatusColumn("status", label=_("Status"), accessor=_status, sort_key="status"),
            TextColumn("buyer", label=_("Buyer"), accessor=_buyer, sort_key="name"),
            Column("contact", label=_("Contact")),
            Column("country", label=_("Country"), accessor="country_name", sort_key="country"),
            TextColumn("product", label=_("Product"), accessor=_products),
            Column("language", label=_("Language"), sort_key="language"),
            Column("assignee", label=_("Assignee"), accessor="assignee_name"),
            DateColumn("created_at", label=_("Age"), sort_key="created_at"),
        ]

    def get_table(self, object_list, **kwargs):
        # Every product of every request named in the reader's language, in a few
        # queries for the page.
        return super().get_table(attach_line_product_names(object_list), **kwargs)

    def to_row_dict(self, item):
        return exports.row(item)

    def preprocess_field_value(self, field, value, export_format):
        if export_format == self.FORMAT_CSV:
            return exports.csv_value(value)
        return super().preprocess_field_value(field, exports.xlsx_value(value), export_format)

    @property
    def per_line(self):
        return self.request.GET.get("rows") == "lines"

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if self.per_line:
            self.list_export = [*exports.COLUMNS, *exports.LINE_COLUMNS]
            self.export_headings = exports.COLUMNS | exports.LINE_COLUMNS
        return super().as_spreadsheet(exports.Rows(queryset, self.per_line), spreadsheet_format)

    def _per_line_url(self, export_format):
        params = self.request.GET.copy()
        params["export"] = export_format
        params["rows"] = "lines"
        return self.request.path + "?" + params.urlencode()

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons.copy()
        if self.show_export_buttons:
            for label, export_format, priority in (
                (_("Download XLSX, one row per product line"), "xlsx", 95),
                (_("Download CSV, one row per product line"), "csv", 105),
            ):
                buttons.append(
                    Button(
                        label,
                        url=self._per_line_url(export_format),
                        icon_name="download",
                        priority=priority,
                    )
                )
        return buttons

    def stream_csv(self, queryset):
        # The file is written after the view returns (streaming), when the reader's
        # language and time zone are no longer active: take them along.
        language, zone = translation.get_language(), timezone.get_current_timezone()
        rows = super().stream_csv(queryset)

        def stream():
            with translation.override(language), timezone.override(zone):
                # The byte-order mark makes Excel read the file as UTF-8 (Chinese, …).
                yield "\ufeff"
                yield from rows

        return stream()

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["bulk_form"] = BulkForm(user=self.request.user)
        context["bulk_url"] = reverse("inquiry_admin:bulk")
        return context


def _back_to_listing(request):
    """Where the listing was (its filters and page), never anywhere else."""
    index_url = reverse("inquiry_admin:index")
    back = request.POST.get("next") or index_url
    return back if back.startswith(index_url) else index_url


@require(CHANGE)
def bulk_view(request):
    if request.method != "POST":
        return HttpResponseRedirect(reverse("inquiry_admin:index"))
    back = _back_to_listing(request)
    form = BulkForm(request.POST, user=request.user)
    if not form.is_valid():
        if "id" in form.errors:
            messages.error(request, gettext("Select at least one lead first."))
        else:
            errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
            messages.error(request, errors)
        return HttpResponseRedirect(back)
    action = form.cleaned_data["action"]
    selected = list(form.cleaned_data["id"].select_related("assignee"))
    user = request.user
    changed = 0
    if action == "delete":
        if not user.has_perm(DELETE):
            return forbidden(request)
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "inquiries/admin/bulk_delete.html",
                {"leads": selected, "page_title": gettext("Delete leads"), "next": back},
            )
        changed = privacy.delete_leads(Inquiry.objects.filter(pk__in=[i.pk for i in selected]))
    else:
        for inquiry in selected:
            if action == "assign":
                changed += leads.assign(inquiry, form.cleaned_data["assignee"], user)
            elif action == "status":
                changed += leads.change_status(inquiry, form.cleaned_data["status"], user)
            else:
                changed += leads.mark_spam(inquiry, user, spam=action == "spam")
    messages.success(
        request,
        ngettext("%(count)d lead changed.", "%(count)d leads changed.", changed)
        % {"count": changed},
    )
    return HttpResponseRedirect(back)
