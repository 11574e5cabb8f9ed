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


# Objects for tests. Pages are added and published the way an editor's “Publish” does.


def make_image(title="Test image", alt="A test picture", size=(60, 40), colour=(40, 90, 140)):
    """A small stored CaravanImage (drawn with Pillow) with `alt` as its alt text."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage

    from caravan.core.models import CaravanImage

    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    image = CaravanImage(title=title, description=alt)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="test.jpg")
    image.save()
    return image


def publish(parent, page):
    """Add `page` under `parent` and publish it; return the live page."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_product(parent=None, title="Test product", **fields):
    """A published ProductPage under `parent` (a ProductIndexPage; by default the live
    one under the home page, made if missing)."""
    from caravan.core.models import HomePage
    from caravan.products.models import ProductIndexPage, ProductPage

    if parent is None:
        home = HomePage.objects.live().first()
        parent = ProductIndexPage.objects.child_of(home).first() or publish(
            home, ProductIndexPage(title="Products", slug="products")
        )
    fields.setdefault("slug", slugify_title(title))
    return publish(parent, ProductPage(title=title, **fields))


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
