from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    """The product catalogue: index, categories and product pages."""

    name = "caravan.products"
    label = "products"
    verbose_name = _("Products")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the periodic jobs)
