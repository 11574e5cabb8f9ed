from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaticSiteConfig(AppConfig):
    """Public pages rendered to files when they are published, so that the web server
    (nginx, a CDN, or the embedded fast path in caravan.wsgi) sends them without entering
    Django: the fastest layer of the read path (docs/deploy.md)."""

    name = "caravan.static_site"
    label = "static_site"
    verbose_name = _("Static public pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from caravan.core import tracking

        from . import signals

        tracking.connect()
        signals.connect()
