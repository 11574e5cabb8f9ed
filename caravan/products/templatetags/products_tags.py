"""Template tags that bring products into other apps' pages: the home page's featured
products and the suggestions of an empty search."""

from django import template
from wagtail.models import Locale, Page, Site

from caravan.core.shared import shared

from ..models import ProductIndexPage, ProductPage

register = template.Library()

SUGGESTED_PRODUCTS = 4


def featured_product_list(home):
    """The live products the editors feature on `home`, in their order (also in a
    preview, where the rows are not saved yet)."""
    rows = getattr(home, "featured_products", None)
    if rows is None:
        return []
    ids = [row.product_id for row in rows.all()]
    return ProductPage.objects.with_card_images().chosen(ids, home.locale_id)


def product_index_for(locale_id):
    return shared(
        ("product_index", locale_id),
        lambda: ProductIndexPage.objects.live().public().filter(locale_id=locale_id).first(),
    )


@register.simple_tag
def featured_products(home):
    return featured_product_list(home)


@register.simple_tag(takes_context=True)
def product_index(context, page=None):
    """The live product index in the language of `page` (or the visitor's)."""
    locale_id = page.locale_id if isinstance(page, Page) else Locale.get_active().pk
    return product_index_for(locale_id)


@register.simple_tag(takes_context=True)
def product_suggestions(context):
    """What to offer when a search finds nothing: the catalogue's categories and the
    featured products of the home page (the newest products when none are featured)."""
    request = context["request"]
    locale = Locale.get_active()
    index = product_index_for(locale.pk)
    if index is None:
        return {"categories": [], "products": [], "index": None}
    products = []
    site = Site.find_for_request(request)
    if site is not None:
        home = site.root_page.localized.specific
        products = featured_product_list(home)[:SUGGESTED_PRODUCTS]
    if not products:
        products = list(
            index.products().order_by("-first_published_at").with_card_images()[:SUGGESTED_PRODUCTS]
        )
    return {"categories": index.category_links(request), "products": products, "index": index}
