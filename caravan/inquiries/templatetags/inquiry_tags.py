from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def inquiry_url(product=None):
    """The inquiry page's URL, with `product` (a ProductPage) pre-selected."""
    url = reverse("inquiries:inquiry")
    if product:
        url += f"?product={product.pk}"
    return url


@register.simple_tag
def inquiry_product(page=None):
    """The product an inquiry from `page` is about: `page.inquiry_product` where the page
    type defines it (a product page is its own, a news page names its first related
    product), else None. Works for any page, and for views that have no page."""
    value = getattr(page, "inquiry_product", None) if page else None
    if callable(value):
        value = value()
    return value or None
