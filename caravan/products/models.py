"""The product catalogue."""

from django.utils.translation import gettext_lazy as _

from caravan.core.models import BasePage


class ProductIndexPage(BasePage):
    """All products ("Products" in the menu)."""

    parent_page_types = ["core.HomePage"]
    subpage_types = ["products.ProductPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("product index page")


class ProductPage(BasePage):
    """One product a buyer can ask about."""

    parent_page_types = ["products.ProductIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("product page")
