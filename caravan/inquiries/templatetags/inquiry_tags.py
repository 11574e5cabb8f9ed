from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def inquiry_url(product=None):
    """The inquiry page's URL, with `product` (a ProductPage) pre-selected."""
    url = reverse("inquiries:inquiry")
    if product:
        url += f"?product={product.pk}"
    return url


@register.simple_tag
def inquiry_link(product=None, heading=None):
    """The attributes of an inquiry action, the same wherever it stands: `href` to the
    inquiry page (what a visitor without JavaScript follows) and what inquiry.js needs to
    open the dialog instead, about `product` when one is given."""
    return format_html(
        'href="{}" data-inquiry-open data-inquiry-heading="{}"{}',
        inquiry_url(product),
        heading or _("Send an inquiry"),
        format_html(' data-product-id="{}" data-product-title="{}"', product.pk, product.title)
        if product
        else "",
    )


@register.simple_tag
def inquiry_product(page=None):
    """The product an inquiry from `page` is about: `page.inquiry_product` where the page
    type defines it (a product page is its own, a news page names its first related
    product), else None. Works for any page, and for views that have no page."""
    value = getattr(page, "inquiry_product", None) if page else None
    if callable(value):
        value = value()
    return value or None
