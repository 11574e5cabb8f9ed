from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Company profile, base page types, site chrome and the SEO shared by every page."""

    name = "caravan.core"
    label = "core"
    verbose_name = _("Caravan core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the periodic jobs)
        from .imaging import use_faster_avif_encoding
        from .pagecache import connect_signals

        connect_signals()
        use_faster_avif_encoding()
