from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def inquiry_url(product=None):
    """The inquiry page's URL, with `product` (a ProductPage) pre-selected."""
    url = reverse("inquiries:inquiry")
    if product is not None:
        url += f"?product={product.pk}"
    return url
