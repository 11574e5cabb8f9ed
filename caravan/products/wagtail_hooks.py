"""The catalogue in the admin: product categories and certificates under Snippets,
ordered by dragging."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Certificate, ProductCategory


class ProductCategoryViewSet(SnippetViewSet):
    """Product categories: what buyers filter the catalogue by."""

    model = ProductCategory
    icon = "tag"
    menu_label = _("Product categories")
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    sort_order_field = "sort_order"


register_snippet(ProductCategoryViewSet)


class CertificateViewSet(SnippetViewSet):
    """Certificates: the trust centre a buyer checks (home page, products, certificates
    page)."""

    model = Certificate
    icon = "success"
    menu_label = _("Certificates")
    list_display = ["name", "issuer", "number", "valid_until"]
    list_filter = ["valid_until"]
    search_fields = ["name", "issuer", "number"]
    sort_order_field = "sort_order"


register_snippet(CertificateViewSet)
