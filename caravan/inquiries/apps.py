from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    """Inquiries from buyers: the form, spam checks, durable notification, lead inbox."""

    name = "caravan.inquiries"
    label = "inquiries"
    verbose_name = _("Inquiries")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from . import jobs  # noqa: F401  (registers the periodic jobs)
        from .admin.permissions import ReadOnlyPermissionPolicy
        from .models import Inquiry

        register_permission_policy(Inquiry, ReadOnlyPermissionPolicy(Inquiry))
