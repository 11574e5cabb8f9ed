from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import alerts
from .admin.permissions import VIEW
from .admin.viewsets import assignment_rule_viewset, inquiry_viewset


@hooks.register("register_admin_viewset")
def register_inquiry_viewset():
    return inquiry_viewset


@hooks.register("register_admin_urls")
def register_conversation_urls():
    from .admin.conversation import admin_urls

    return admin_urls()


@hooks.register("register_admin_viewset")
def register_assignment_rule_viewset():
    return assignment_rule_viewset


class SalesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW)


@hooks.register("register_admin_menu_item")
def register_unmatched_mail_menu_item():
    return SalesMenuItem(
        _("E-mails to attach"), reverse("inquiry_mail:unmatched"), icon_name="mail", order=151
    )


@hooks.register("register_reports_menu_item")
def register_response_times_report():
    return SalesMenuItem(
        _("Lead response times"), reverse("inquiry_admin:response"), icon_name="time", order=900
    )


@hooks.register("register_reports_menu_item")
def register_sources_report():
    return SalesMenuItem(
        _("Where inquiries come from"),
        reverse("inquiry_admin:sources"),
        icon_name="globe",
        order=910,
    )


class DeliveryAlertPanel(Component):
    """On the dashboard, for the sales team: leads whose notification is failing."""

    name = "inquiry_delivery_alert"
    order = 10
    template_name = "inquiries/admin/delivery_alert_panel.html"

    def __init__(self, count):
        self.count = count

    def get_context_data(self, parent_context):
        return {
            "count": self.count,
            "url": reverse("inquiry_admin:index") + "?delivery=undelivered&spam=no",
        }


@hooks.register("construct_homepage_panels")
def add_delivery_alert_panel(request, panels):
    if request.user.has_perm(VIEW):
        count = alerts.delivery_problem()
        if count:
            panels.append(DeliveryAlertPanel(count))
