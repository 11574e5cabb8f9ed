"""Helpers that build objects and read pages in tests; every app's tests use these."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def phone_patterns(number):
    """Ways a phone number can be written in HTML: as typed, digits only, with +."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return {number, digits, "+" + digits, number.replace(" ", "-"), number.replace(" ", "")}


class LinkCollector(HTMLParser):
    """Collects href/src values of a page."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def internal_links(html, base_url):
    """The same-site paths a page links to (no fragments, no external hosts)."""
    parser = LinkCollector()
    parser.feed(html)
    paths = set()
    for link in parser.links:
        absolute = urljoin(base_url, link)
        parts = urlsplit(absolute)
        if parts.scheme in ("http", "https") and parts.netloc in ("", "testserver"):
            paths.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def crawl(client, start="/en/", *, skip_prefixes=("/admin/", "/static/", "/media/", "/documents/")):
    """Follow every internal link from `start`; return {path: response}."""
    seen = {}
    queue = [start]
    while queue:
        path = queue.pop()
        if path in seen or path.startswith(skip_prefixes):
            continue
        response = client.get(path)
        seen[path] = response
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            html = response.content.decode()
            queue.extend(
                p for p in internal_links(html, f"http://testserver{path}") if p not in seen
            )
    return seen


# Products


def make_image(title="Test picture", alt="A test picture of a valve", size=(400, 300)):
    """A small CaravanImage (reused when one with `title` exists, so that many products
    can share one picture and its renditions)."""
    from PIL import Image

    from caravan.demo.images import save_image

    return save_image(title, Image.new("RGB", size, (11, 92, 140)), alt)


def spec_rows(*rows):
    """Specification StreamField data from (name, value, unit) rows and group headings
    given as plain strings."""
    import json
    import uuid

    data = []
    for row in rows:
        if isinstance(row, str):
            data.append({"type": "group", "value": row, "id": str(uuid.uuid4())})
        else:
            name, value, unit = row
            data.append(
                {
                    "type": "spec",
                    "value": {"name": name, "value": value, "unit": unit},
                    "id": str(uuid.uuid4()),
                }
            )
    return json.dumps(data)


def make_product(
    title="Test valve",
    *,
    index=None,
    slug=None,
    sku=None,
    images=1,
    specs=(("Nominal pressure", "1.6", "MPa"),),
    categories=(),
    related=(),
    documents=(),
    publish=True,
    **fields,
):
    """A ProductPage under the demo's product index (or `index`), published unless
    `publish` is false, with `images` gallery rows sharing one picture."""
    from django.utils.text import slugify

    from caravan.products.models import (
        ProductIndexPage,
        ProductPage,
        ProductPageDocument,
        ProductPageGalleryImage,
        ProductPageRelatedProduct,
    )

    index = index or ProductIndexPage.objects.get(locale__language_code="en")
    slug = slug or slugify(title)
    fields.setdefault("short_description", f"The {title.lower()}, made for the tests.")
    product = ProductPage(
        title=title,
        slug=slug,
        sku=sku or f"T-{slug}"[:64].upper(),
        specifications=spec_rows(*specs),
        **fields,
    )
    picture = make_image() if images else None
    product.gallery_images = [ProductPageGalleryImage(image=picture) for _ in range(images)]
    product.categories = list(categories)
    product.related_products = [ProductPageRelatedProduct(product=p) for p in related]
    product.documents = [ProductPageDocument(document=d) for d in documents]
    index.add_child(instance=product)
    if publish:
        product.save_revision().publish()
    else:
        product.unpublish()
    return product


def make_document(title="Test datasheet", filename="test-datasheet.pdf", data=None):
    """A Wagtail document; a one-page PDF unless `data` is given."""
    from caravan.demo.documents import datasheet_pdf, save_document

    if data is None:
        data = datasheet_pdf(title, "For the tests", [("Data", [("Size", "DN50")])])
    return save_document(title, filename, data)
