"""The lead inbox in the Wagtail admin: the list of inquiries (filters, search, bulk
actions, CSV/XLSX export), the lead view (status, assignee, notes, history, resend, the
buyer's thread), the privacy actions and the assignment rules.

Every inbox URL needs the `inquiries.view_inquiry` permission (the "Sales" group has it);
without it the answer is 403, not a redirect, so a leaked link shows nothing."""

import json
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied as django_permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BaseColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from . import leads, privacy
from .exports import neutralise
from .filters import InboxFilterSet, assignable_users
from .forms import IdMultipleChoiceField
from .models import (
    AssignmentRule,
    Channel,
    ContactKind,
    Inquiry,
    LeadEvent,
    LeadStatus,
    person_name,
)

VIEW = "inquiries.view_inquiry"
CHANGE = "inquiries.change_inquiry"
DELETE = "inquiries.delete_inquiry"


def forbidden(request):
    """A plain 403. (Raising PermissionDenied inside the admin would be turned into a
    redirect to the dashboard by Wagtail's admin access check.)"""
    return django_permission_denied(request, PermissionDenied())


def require(permission):
    """403 for a signed-in admin user without `permission` (Wagtail's own admin check has
    already sent anonymous visitors to the login page)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                return forbidden(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """For Wagtail's generic views: an inquiry is never added or edited through a form,
    so they offer no add, edit or delete buttons. The inbox's own actions (status,
    assignee, notes, bulk delete) check the model permissions themselves."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


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


def _buyer(inquiry):
    if inquiry.company:
        return f"{inquiry.name} · {inquiry.company}"
    return inquiry.name


def _status(inquiry):
    return inquiry.get_status_display()


class InboxIndexView(IndexView):
    """The inbox: newest first; export writes the filtered list (all pages)."""

    results_template_name = "inquiries/admin/index_results.html"
    template_name = "inquiries/admin/index.html"
    default_ordering = "-created_at"
    page_title = _("Lead inbox")
    export_headings = {
        "display_product": _("Product"),
        "get_status_display": _("Status"),
        "assignee_name": _("Assignee"),
    }

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
            ),
            StatusColumn("status", label=_("Status"), accessor=_status, sort_key="status"),
            Column("buyer", label=_("Buyer"), accessor=_buyer, sort_key="name"),
            Column("contact", label=_("Contact")),
            Column("country", label=_("Country"), sort_key="country"),
            Column("product", label=_("Product"), accessor="display_product"),
            Column("language", label=_("Language"), sort_key="language"),
            Column("assignee", label=_("Assignee"), accessor="assignee_name"),
            DateColumn("created_at", label=_("Age"), sort_key="created_at"),
        ]

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralise(value)
        return value

    def stream_csv(self, queryset):
        # The byte-order mark makes Excel read the file as UTF-8 (Chinese, Cyrillic, ...).
        yield "\ufeff"
        yield from super().stream_csv(queryset)

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["bulk_form"] = BulkForm(user=self.request.user)
        context["bulk_url"] = reverse("inquiry_admin:bulk")
        return context


# The lead view -----------------------------------------------------------------------


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=LeadStatus.choices)


class AssignForm(forms.Form):
    assignee = PersonChoiceField(
        label=_("Assignee"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


class ResendForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices)


def reply_links(inquiry):
    """One-click replies: mailto with the reference in the subject for an e-mail
    contact; WhatsApp and tel: for a phone number."""
    from urllib.parse import quote

    links = []
    if inquiry.contact_kind == ContactKind.EMAIL and inquiry.reply_email:
        subject = gettext("Re: your inquiry %(reference)s") % {"reference": inquiry.reference}
        if inquiry.display_product:
            subject += f" · {inquiry.display_product}"
        links.append(
            (
                gettext("Reply by e-mail"),
                f"mailto:{quote(inquiry.reply_email, safe='@')}?subject={quote(subject)}",
            )
        )
    if inquiry.contact_phone:
        digits = inquiry.contact_phone.lstrip("+")
        links.append((gettext("WhatsApp"), f"https://wa.me/{digits}"))
        links.append((gettext("Call"), f"tel:{inquiry.contact_phone}"))
    return links


def _delivery_rows(inquiry):
    rows = []
    for channel in Channel:
        rows.append(
            {
                "channel": channel,
                "label": channel.label,
                "status": getattr(inquiry, f"get_{channel}_status_display")(),
                "status_value": getattr(inquiry, f"{channel}_status"),
                "attempts": getattr(inquiry, f"{channel}_attempts"),
                "delivered_at": getattr(inquiry, f"{channel}_delivered_at"),
                "next_attempt_at": getattr(inquiry, f"{channel}_next_attempt_at"),
                "last_error": getattr(inquiry, f"{channel}_last_error"),
                "can_resend": leads.can_resend(inquiry, channel),
            }
        )
    return rows


def _product_admin_url(inquiry, user):
    if inquiry.product_id and inquiry.product.permissions_for_user(user).can_edit():
        return reverse("wagtailadmin_pages:edit", args=[inquiry.product_id])
    return ""


def _product_live_url(inquiry):
    if inquiry.product_id and inquiry.product and inquiry.product.live:
        try:
            return inquiry.product.get_url() or ""
        except Exception:  # noqa: BLE001 - a product outside every site has no URL
            return ""
    return ""


class LeadView:
    """One lead: everything the buyer typed, attribution, delivery, thread, history; and
    the forms that change it (each POST names its action)."""

    template_name = "inquiries/admin/lead.html"

    def __init__(self, viewset):
        self.viewset = viewset

    def __call__(self, request, pk):
        inquiry = get_object_or_404(
            Inquiry.objects.select_related("product", "assignee", "site", "earlier_inquiry"),
            pk=pk,
        )
        if request.method == "POST":
            return self.post(request, inquiry)
        return self.render(request, inquiry)

    def post(self, request, inquiry):
        if not request.user.has_perm(CHANGE):
            return forbidden(request)
        action = request.POST.get("action", "")
        user = request.user
        if action == "status":
            form = StatusForm(request.POST)
            if form.is_valid() and leads.change_status(inquiry, form.cleaned_data["status"], user):
                messages.success(
                    request,
                    gettext("Status changed to %(status)s.")
                    % {"status": inquiry.get_status_display()},
                )
        elif action == "assign":
            form = AssignForm(request.POST)
            if form.is_valid() and leads.assign(inquiry, form.cleaned_data["assignee"], user):
                messages.success(request, gettext("Assignee changed."))
        elif action == "note":
            form = NoteForm(request.POST)
            if not form.is_valid():
                return self.render(request, inquiry, note_form=form, status=400)
            leads.add_note(inquiry, form.cleaned_data["text"], user)
            messages.success(request, gettext("Note added."))
        elif action in ("spam", "notspam"):
            if leads.mark_spam(inquiry, user, spam=action == "spam"):
                messages.success(request, gettext("Spam flag changed."))
        elif action == "resend":
            form = ResendForm(request.POST)
            channel = form.cleaned_data["channel"] if form.is_valid() else None
            if channel and leads.resend(inquiry, channel, user):
                messages.success(
                    request,
                    gettext("%(what)s queued for sending again.")
                    % {"what": Channel(channel).label.capitalize()},
                )
            else:
                messages.error(request, gettext("This e-mail cannot be sent again."))
        else:
            messages.error(request, gettext("Unknown action."))
        return HttpResponseRedirect(reverse("inquiry_admin:inspect", args=[inquiry.pk]))

    def render(self, request, inquiry, note_form=None, status=200):
        labels = dict(LeadStatus.choices)
        history = list(inquiry.events.exclude(kind=LeadEvent.Kind.NOTE).select_related("user"))
        for event in history:
            is_status = event.kind == LeadEvent.Kind.STATUS
            event.old_label = (
                labels.get(event.old_value, event.old_value) if is_status else (event.old_value)
            )
            event.new_label = (
                labels.get(event.new_value, event.new_value) if is_status else (event.new_value)
            )
        context = {
            "inquiry": inquiry,
            "page_title": f"{inquiry.reference} · {inquiry.name}",
            "header_title": inquiry.reference,
            "can_change": request.user.has_perm(CHANGE),
            "can_delete": request.user.has_perm(DELETE),
            "status_form": StatusForm(initial={"status": inquiry.status}),
            "assign_form": AssignForm(initial={"assignee": inquiry.assignee_id}),
            "note_form": note_form or NoteForm(),
            "notes": inquiry.events.filter(kind=LeadEvent.Kind.NOTE).select_related("user"),
            "history": history,
            "thread": inquiry.thread()[:50],
            "reply_links": reply_links(inquiry),
            "delivery": _delivery_rows(inquiry),
            "product_admin_url": _product_admin_url(inquiry, request.user),
            "product_live_url": _product_live_url(inquiry),
            "index_url": reverse("inquiry_admin:index"),
        }
        return TemplateResponse(request, self.template_name, context, status=status)


# Bulk actions --------------------------------------------------------------------------


class BulkForm(forms.Form):
    ACTIONS = [
        ("assign", _("Assign to")),
        ("status", _("Change status to")),
        ("spam", _("Mark as spam")),
        ("notspam", _("Mark as not spam")),
        ("delete", _("Delete")),
    ]
    action = forms.ChoiceField(label=_("With the selected leads"), choices=ACTIONS)
    status = forms.ChoiceField(label=_("Status"), choices=LeadStatus.choices, required=False)
    assignee = PersonChoiceField(
        label=_("Assignee"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )
    id = IdMultipleChoiceField(queryset=Inquiry.objects.all(), required=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()
        if user is not None and not user.has_perm(DELETE):
            self.fields["action"].choices = [c for c in self.ACTIONS if c[0] != "delete"]

    def clean(self):
        data = super().clean()
        if data.get("action") == "status" and not data.get("status"):
            self.add_error("status", _("Choose the new status."))
        return data


@require(CHANGE)
def bulk_view(request):
    index_url = reverse("inquiry_admin:index")
    back = request.POST.get("next") or index_url
    if not back.startswith(index_url):
        back = index_url
    if request.method != "POST":
        return HttpResponseRedirect(index_url)
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


# Privacy -------------------------------------------------------------------------------


@require(VIEW)
def contact_export_view(request, pk):
    inquiry = get_object_or_404(Inquiry, pk=pk)
    data = privacy.export_contact(inquiry.contact_key)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="contact-{inquiry.reference}.json"'
    return response


@require(DELETE)
def contact_erase_view(request, pk):
    inquiry = get_object_or_404(Inquiry, pk=pk)
    matching = (
        Inquiry.objects.filter(contact_key=inquiry.contact_key)
        if inquiry.contact_key
        else (Inquiry.objects.filter(pk=inquiry.pk))
    )
    if request.method == "POST":
        counts = privacy.erase_contact(inquiry)
        messages.success(
            request,
            gettext(
                "Erased everything about %(contact)s: %(leads)d inquiries, %(tasks)d queued "
                "e-mails."
            )
            % {"contact": inquiry.contact, "leads": counts["inquiries"], "tasks": counts["tasks"]},
        )
        return HttpResponseRedirect(reverse("inquiry_admin:index"))
    return TemplateResponse(
        request,
        "inquiries/admin/contact_erase.html",
        {"inquiry": inquiry, "leads": matching, "page_title": gettext("Erase contact")},
    )


# The viewset ---------------------------------------------------------------------------


class InquiryViewSet(ModelViewSet):
    model = Inquiry
    name = "inquiry_admin"
    url_prefix = "inquiries"
    menu_label = _("Inbox")
    icon = "mail"
    add_to_admin_menu = True
    menu_order = 150
    index_view_class = InboxIndexView
    filterset_class = InboxFilterSet
    # No reference index: it would cost a background task per inquiry for nothing.
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    search_fields = ["reference", "name", "contact", "contact_phone", "company", "message"]
    list_per_page = 50
    list_export = [
        "reference",
        "created_at",
        "get_status_display",
        "name",
        "company",
        "contact",
        "contact_phone",
        "country",
        "display_product",
        "quantity",
        "language",
        "assignee_name",
        "message",
        "page_url",
        "landing_page",
        "referrer",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "first_response_at",
        "is_spam",
    ]
    export_filename = "leads"

    @cached_property
    def menu_item_class(self):
        return InboxMenuItem

    def get_urlpatterns(self):
        # No add or edit views: an inquiry is what the buyer wrote. Deleting is a bulk
        # action (with confirmation) or the contact's erasure.
        conv = self.pk_path_converter
        view = require(VIEW)
        return [
            path("", view(self.index_view), name="index"),
            path("results/", view(self.index_results_view), name="index_results"),
            path(f"inspect/<{conv}:pk>/", view(LeadView(self)), name="inspect"),
            path("bulk/", bulk_view, name="bulk"),
            path(
                f"inspect/<{conv}:pk>/contact-export/", contact_export_view, name="contact_export"
            ),
            path(f"inspect/<{conv}:pk>/contact-erase/", contact_erase_view, name="contact_erase"),
            path("reports/response-times/", view(_report("response_times")), name="response"),
            path("reports/sources/", view(_report("sources")), name="sources"),
        ]


def _report(name):
    def report_view(request):
        from . import reports

        return getattr(reports, f"{name}_view")(request)

    report_view.__name__ = f"{name}_view"
    return report_view


inquiry_viewset = InquiryViewSet()


# Assignment rules ----------------------------------------------------------------------


class AssignmentRuleForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), required=False)

    class Meta:
        model = AssignmentRule
        fields = ["sort_order", "category", "country", "language", "assignee", "is_active"]

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Any")), *settings.LANGUAGES]
        self.fields["assignee"].queryset = get_user_model().objects.filter(is_active=True)


class AssignmentRuleViewSet(ModelViewSet):
    model = AssignmentRule
    name = "lead_assignment_rules"
    url_prefix = "inquiries/assignment-rules"
    menu_label = _("Lead assignment rules")
    icon = "user"
    add_to_settings_menu = True

    def get_form_class(self, for_update=False):
        return AssignmentRuleForm

    add_to_reference_index = False
    copy_view_enabled = False
    list_display = [
        "__str__",
        "sort_order",
        "category",
        "country",
        "language",
        "assignee",
        "is_active",
    ]

    def get_urlpatterns(self):
        # 403 (not a redirect) for anyone outside the sales team, like the inbox itself.
        view = require("inquiries.view_assignmentrule")
        return [
            path(p.pattern._route, view(p.callback), name=p.name) for p in super().get_urlpatterns()
        ]


assignment_rule_viewset = AssignmentRuleViewSet()
