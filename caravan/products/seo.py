"""Structured data of a product page: schema.org Product, with only what the supplier
states (no invented prices, offers, ratings or reviews)."""

from caravan.core import seo


def product_structured_data(request, product, company, categories=None):
    """schema.org Product for `product`: name, model number, pictures, description,
    brand and manufacturer (the company) and the specifications as additionalProperty."""
    images = [
        seo.rendition_url(request, item.image, "width-1200|format-jpeg")
        for item in product.gallery
        if item.image_id
    ]
    if not images and product.card_image is not None:
        images = [seo.rendition_url(request, product.card_image, "width-1200|format-jpeg")]
    data = {
        "@type": "Product",
        "name": product.title,
        "sku": product.sku,
        "mpn": product.sku,
        "url": product.get_full_url(request),
        "description": product.short_description,
        "image": images,
    }
    if company is not None and company.name:
        data["brand"] = {"@type": "Brand", "name": company.name}
        data["manufacturer"] = seo.organization(request, company)
    if categories is None:
        categories = product.category_list(request)
    if categories:
        data["category"] = categories[0].name
    properties = []
    for name, value, unit in product.specification_rows():
        prop = {"@type": "PropertyValue", "name": name, "value": value}
        if unit:
            prop["unitText"] = unit
        properties.append(prop)
    if properties:
        data["additionalProperty"] = properties
    return data
