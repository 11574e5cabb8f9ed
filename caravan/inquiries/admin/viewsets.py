"""The admin's viewsets for the lead inbox and the assignment rules: their menu items
and URLs. Every view answers 403, not a redirect, to a user outside the sales team."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from .. import exports, reports
from ..filters import InboxFilterSet
from ..models import AssignmentRule, Inquiry
from . import contact, lead
from .forms import AssignmentRuleForm
from .listing import InboxIndexView, InboxMenuItem, bulk_view
from .permissions import VIEW, require


class InquiryViewSet(ModelViewSet):
    model = Inquiry
    name = "inquiry_admin"
    url_prefix = "inquiries"
    menu_label = _("Inbox")
    icon = "mail"
    add_to_admin_menu = True
    menu_order = 150
    menu_item_class = InboxMenuItem
    index_view_class = InboxIndexView
    filterset_class = InboxFilterSet
    # No reference index: it would cost a background task per inquiry for nothing.
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    search_fields = ["reference", "name", "contact", "contact_phone", "company", "message"]
    list_per_page = 50
    list_export = list(exports.COLUMNS)
    export_filename = "leads"

    def construct_view(self, view_class, **kwargs):
        # Wagtail's listing views answer 403 (not a redirect) outside the sales team too.
        return require(VIEW)(super().construct_view(view_class, **kwargs))

    def get_urlpatterns(self):
        # No add or edit views: an inquiry is what the buyer wrote. Deleting is a bulk
        # action (with confirmation) or the contact's erasure.
        lead_path = f"inspect/<{self.pk_path_converter}:pk>/"
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(lead_path, lead.lead_view, name="inspect"),
            path(lead_path + "work/", lead.WorkView.as_view(), name="work"),
            path(lead_path + "status/", lead.StatusView.as_view(), name="status"),
            path(lead_path + "assign/", lead.AssignView.as_view(), name="assign"),
            path(lead_path + "note/", lead.NoteView.as_view(), name="note"),
            path(lead_path + "spam/", lead.SpamView.as_view(spam=True), name="spam"),
            path(lead_path + "not-spam/", lead.SpamView.as_view(spam=False), name="not_spam"),
            path(lead_path + "resend/", lead.ResendView.as_view(), name="resend"),
            path(lead_path + "contact-export/", contact.contact_export_view, name="contact_export"),
            path(lead_path + "contact-erase/", contact.contact_erase_view, name="contact_erase"),
            path("bulk/", bulk_view, name="bulk"),
            path(
                "reports/response-times/",
                require(VIEW)(reports.response_times_view),
                name="response",
            ),
            path("reports/sources/", require(VIEW)(reports.sources_view), name="sources"),
        ]


inquiry_viewset = InquiryViewSet()


class AssignmentRuleViewSet(ModelViewSet):
    model = AssignmentRule
    name = "lead_assignment_rules"
    url_prefix = "inquiries/assignment-rules"
    menu_label = _("Lead assignment rules")
    icon = "user"
    add_to_settings_menu = True
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

    def get_form_class(self, for_update=False):
        return AssignmentRuleForm

    def construct_view(self, view_class, **kwargs):
        # 403 (not a redirect) for anyone outside the sales team, like the inbox itself.
        view = super().construct_view(view_class, **kwargs)
        return require("inquiries.view_assignmentrule")(view)


assignment_rule_viewset = AssignmentRuleViewSet()
