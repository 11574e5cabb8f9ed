from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from caravan.inquiries.wagtail_hooks import SalesMenuItem

from .admin import urls


@hooks.register("register_admin_urls")
def register_quotation_urls():
    return [path("quotations/", include(urls, namespace="quotations_admin"))]


@hooks.register("register_reports_menu_item")
def register_quotations_report():
    return SalesMenuItem(
        _("Quotations"), reverse("quotations_admin:report"), icon_name="doc-full", order=920
    )
