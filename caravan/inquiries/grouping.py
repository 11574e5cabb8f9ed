"""One product, however many languages it is published in.

A buyer asks about the page in their language, so the leads about one product point at
its English, Russian, Chinese… pages. The inbox counts, filters and names them as one
product: the pages that share Wagtail's `translation_key`, named in the reader's language
(the version in the active locale, else the page the buyer asked from)."""

from django.apps import apps
from django.db.models import Q
from wagtail.models import Locale


def _product_model():
    from caravan.products.models import ProductPage

    return ProductPage


def active_locale_id():
    try:
        return Locale.get_active().pk
    except Locale.DoesNotExist:
        return None


def localized_titles(products):
    """{translation_key: title in the reader's language} for these product pages, in one
    query."""
    products = [p for p in products if p is not None]
    keys = {p.translation_key for p in products}
    titles = {p.translation_key: p.title for p in products}
    locale_id = active_locale_id()
    if keys and locale_id is not None:
        rows = (
            _product_model()
            .objects.filter(translation_key__in=keys, locale_id=locale_id)
            .values_list("translation_key", "title")
        )
        titles.update(dict(rows))
    return titles


def attach_product_names(inquiries):
    """Give each inquiry `product_name`: its product in the reader's language (the title
    kept on the inquiry when the product is gone). One query for the whole list."""
    inquiries = list(inquiries)
    titles = localized_titles(i.product for i in inquiries if i.product_id)
    for inquiry in inquiries:
        if inquiry.product_id and inquiry.product:
            inquiry.product_name = titles.get(inquiry.product.translation_key, "")
        else:
            inquiry.product_name = inquiry.product_title
    return inquiries


def product_name(inquiry):
    """The inquiry's product in the reader's language."""
    if getattr(inquiry, "product_name", None) is None:
        attach_product_names([inquiry])
    return inquiry.product_name


def attach_line_product_names(inquiries):
    """Give each inquiry `line_product_names`: every product its lines ask about, each
    once, in the reader's language (the inquiry's product for one without lines). A few
    queries for the whole list."""
    # By name, not import: the inquiry models read this module (product names).
    InquiryLine = apps.get_model("inquiries", "InquiryLine")

    inquiries = attach_product_names(list(inquiries))
    lines = list(
        InquiryLine.objects.filter(inquiry__in=[i.pk for i in inquiries])
        .select_related("product")
        .only("inquiry_id", "product_title", "product__title", "product__translation_key")
    )
    titles = localized_titles(line.product for line in lines if line.product_id)
    names = {}
    for line in lines:
        if line.product_id and line.product is not None:
            name = titles.get(line.product.translation_key, "") or line.product.title
        else:
            name = line.product_title
        if name and name not in names.setdefault(line.inquiry_id, []):
            names[line.inquiry_id].append(name)
    for inquiry in inquiries:
        fallback = [inquiry.product_name] if inquiry.product_name else []
        inquiry.line_product_names = names.get(inquiry.pk) or fallback
    return inquiries


def representatives():
    """One page per product that has leads (the version in the reader's language where
    there is one), as a queryset ordered by title: the choices of the product filter."""
    pages = _product_model().objects
    locale_id = active_locale_id()
    chosen = {}
    asked = (
        pages.filter(Q(inquiries__isnull=False) | Q(inquiry_lines__isnull=False))
        .distinct()
        .values_list("pk", "translation_key", "locale_id")
    )
    for pk, key, page_locale in asked:
        if key not in chosen or page_locale == locale_id:
            chosen[key] = pk
    translated = pages.filter(translation_key__in=list(chosen), locale_id=locale_id).values_list(
        "translation_key", "pk"
    )
    chosen.update(dict(translated))
    return pages.filter(pk__in=chosen.values()).order_by("title")


def same_product(page_id):
    """The representative of the product whose any language version has this id."""
    pages = _product_model().objects
    key = pages.filter(pk=page_id).values_list("translation_key", flat=True)
    return representatives().filter(translation_key__in=key).first()
