"""A minimal, read-only view of inquiries in the Wagtail admin, so that the link in the
sales notification ("Open the lead") lands on the inquiry. The lead inbox (statuses,
assignees, notes) replaces it."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Inquiry


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Inquiries are what buyers wrote: nobody adds, edits or deletes them here."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class InquiryViewSet(ModelViewSet):
    model = Inquiry
    name = "inquiry_admin"
    url_prefix = "inquiries"
    menu_label = _("Inquiries")
    icon = "mail"
    add_to_admin_menu = True
    menu_order = 150
    inspect_view_enabled = True
    # No reference index: it would cost a background task per inquiry for nothing.
    add_to_reference_index = False
    copy_view_enabled = False
    list_display = ["reference", "created_at", "name", "contact", "company", "product_title",
                    "is_spam", "notification_status"]  # fmt: skip
    list_filter = ["is_spam", "notification_status", "autoreply_status", "language"]
    search_fields = ["reference", "name", "contact", "company", "message"]
    inspect_view_fields = [
        "reference", "created_at", "name", "contact", "contact_kind", "contact_phone",
        "company", "country", "product_title", "quantity", "message",
        "is_spam", "spam_score", "spam_reasons",
        "language", "page_url", "referrer", "landing_page",
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
        "user_agent", "ip_network",
        "notification_status", "notification_attempts", "notification_delivered_at",
        "notification_next_attempt_at", "notification_last_error",
        "autoreply_status", "autoreply_attempts", "autoreply_delivered_at",
        "autoreply_next_attempt_at", "autoreply_last_error",
    ]  # fmt: skip

    def get_urlpatterns(self):
        # Listing and inspecting only: no add, edit, delete, history or usage views.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{self.pk_path_converter}:pk>/", self.inspect_view, name="inspect"),
        ]


inquiry_viewset = InquiryViewSet()
