from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What keeps a production installation observable and recoverable: health checks,
    worker heartbeats, request ids and structured logs, security headers, login
    throttling, and backup/restore."""

    name = "caravan.operations"
    label = "operations"
    verbose_name = _("Operations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the periodic jobs)
        from .checks import check_proxy_addresses

        checks.register(check_proxy_addresses, checks.Tags.security, deploy=True)
