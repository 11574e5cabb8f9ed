"""Template tags that bring products into other apps' pages: the home page's featured
products, the sections of home and landing pages that show products, categories and
certificates (caravan/core/blocks.py names those models by string only), and the
suggestions of an empty search."""

from django import template
from wagtail.models import Locale, Page, Site

from caravan.core.shared import shared

from ..models import (
    Certificate,
    ProductIndexPage,
    ProductPage,
    in_editor_order,
    valid_certificates,
)

register = template.Library()

SUGGESTED_PRODUCTS = 4


def featured_product_list(home):
    """The live products the editors feature on `home`, in their order (also in a
    preview, where the rows are not saved yet)."""
    rows = getattr(home, "featured_products", None)
    if rows is None:
        return []
    ids = [row.product_id for row in in_editor_order(rows.all())]
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


def _locale_id(context):
    page = context.get("page")
    return page.locale_id if isinstance(page, Page) else Locale.get_active().pk


@register.simple_tag(takes_context=True)
def section_certificates(context, value):
    """The certificates a certificates section shows: those chosen or every valid one,
    in the page's language, expired ones left out."""
    if value.get("show") == "chosen":
        chosen = [certificate for certificate in value.get("certificates") or [] if certificate]
    else:
        chosen = list(Certificate.objects.valid())
    return valid_certificates(chosen, _locale_id(context))


@register.simple_tag(takes_context=True)
def section_categories(context, value):
    """The categories a categories section links to (those chosen, or all), among those
    that hold products in the page's language, each with its `url`."""
    index = product_index_for(_locale_id(context))
    if index is None:
        return []
    links = shared(
        ("product_categories", index.pk), lambda: index.category_links(context.get("request"))
    )
    keys = [category.translation_key for category in value.get("categories") or [] if category]
    if not keys:
        return links
    by_key = {category.translation_key: category for category in links}
    return [by_key[key] for key in dict.fromkeys(keys) if key in by_key]


@register.simple_tag(takes_context=True)
def section_products(context, value):
    """The products a products section shows: those chosen, else the products featured
    on the page (the home page's Featured products panel); else none, and no section."""
    ids = [product.pk for product in value.get("products") or [] if product]
    if ids:
        return ProductPage.objects.with_card_images().chosen(ids, _locale_id(context))
    page = context.get("page")
    return featured_product_list(page) if page is not None else []
