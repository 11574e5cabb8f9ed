"""Objects for tests: pages, products, images, documents and inquiries, made the way an
editor or a buyer makes them (pages are added and published as an editor's “Publish”
does)."""


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
    from caravan.demo.steps import stream

    return stream(
        *(
            ("group", row)
            if isinstance(row, str)
            else ("spec", dict(zip(("name", "value", "unit"), row, strict=True)))
            for row in rows
        )
    )


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


# News


def publish(parent, page):
    """Add `page` under `parent` and publish it; return the live page."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_news_index(parent=None, title="Press room", slug="press-room", **fields):
    """A published NewsIndexPage (by default under the home page)."""
    from caravan.core.models import HomePage
    from caravan.news.models import NewsIndexPage

    parent = parent or HomePage.objects.live().first()
    return publish(parent, NewsIndexPage(title=title, slug=slug, **fields))


def make_article(index, title="Test article", *, publish_now=True, tags=(), products=(), **fields):
    """A NewsPage under `index`, published unless `publish_now` is false (then it stays a
    draft). `tags` are tag names; `products` are ProductPages to relate."""
    from caravan.news.models import NewsPage, NewsPageRelatedProduct

    fields.setdefault("slug", slugify_title(title))
    fields.setdefault("summary", f"Summary of {title}.")
    article = NewsPage(title=title, **fields)
    if tags:
        article.tags.add(*tags)
    if products:
        article.related_products = [NewsPageRelatedProduct(product=p) for p in products]
    if publish_now:
        return publish(index, article)
    article.live = False
    index.add_child(instance=article)
    article.save_revision()
    return article


def slugify_title(title):
    from django.utils.text import slugify

    return slugify(title)[:80] or "page"


# Inquiries: posting the form as a browser would, or one stored as if it had arrived.


def inquiry_token(age=30):
    """A valid form token issued `age` seconds ago (a person takes longer than 3 s)."""
    import time

    from caravan.inquiries.tokens import issue_token

    return issue_token(issued_at=time.time() - age)


def inquiry_data(**fields):
    """A valid inquiry as the form posts it; keyword arguments replace or add fields."""
    data = {
        "name": "Aigerim Nurlanova",
        "contact": "aigerim@steppe-water.example",
        "message": "Please quote 40 DN100 gate valves, PN16, delivered to Almaty.",
        "company": "Steppe Water LLP",
        "country": "KZ",
        "product": "",
        "quantity": "40",
        "website": "",
        "token": inquiry_token(),
        "page": "http://testserver/en/about/",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def make_inquiry(**fields):
    """A stored inquiry (as if it had just arrived, e-mails already delivered) without
    going through the form; keyword arguments replace fields."""
    from django.utils import timezone

    from caravan.inquiries.models import Inquiry, new_reference
    from caravan.inquiries.submission import add

    values = {
        "reference": new_reference(),
        "name": "Aigerim Nurlanova",
        "contact": "aigerim@steppe-water.example",
        "contact_kind": "email",
        "message": "Please quote 40 DN100 gate valves, PN16, delivered to Almaty.",
        "company": "Steppe Water LLP",
        "country": "KZ",
        "language": "en",
        "page_url": "http://testserver/en/about/",
        "notification_status": "sent",
        "autoreply_status": "sent",
        "created_at": timezone.now(),
    }
    values.update(fields)
    if values.get("contact_kind") == "phone":
        values.setdefault("contact_phone", values["contact"].replace(" ", ""))
    return add(Inquiry(**values))  # threaded and assigned like every new inquiry


def post_inquiry(
    client, data=None, *, as_json=False, origin="http://testserver", lang="en", **headers
):
    """POST `data` (default: inquiry_data()) to the inquiry endpoint from our own origin,
    as the dialog (as_json) or the plain form does."""
    if origin:
        headers.setdefault("HTTP_ORIGIN", origin)
    if as_json:
        headers.setdefault("HTTP_ACCEPT", "application/json")
    return client.post(f"/{lang}/inquiry/", inquiry_data() if data is None else data, **headers)
