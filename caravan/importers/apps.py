from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    """Moving in from other systems: WordPress export files (posts, pages, WooCommerce
    products, media, SEO fields, languages, old addresses) and Flamingo's inquiries."""

    name = "caravan.importers"
    label = "importers"
    verbose_name = _("Importers")
    default_auto_field = "django.db.models.BigAutoField"
