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


def crawl(client, start="/en/", *, skip_prefixes=None):
    """Follow every internal link from `start`; return {path: response}. The language
    switcher's links (/language/<code>/?next=...) are followed to the page they lead to."""
    if skip_prefixes is None:
        from django.conf import settings

        skip_prefixes = (f"/{settings.CARAVAN_ADMIN_PATH}/", "/static/", "/media/", "/documents/")
    seen = {}
    switched = set()
    queue = [start]
    while queue:
        path = queue.pop()
        if path in seen or path.startswith(skip_prefixes):
            continue
        if path.startswith("/language/"):
            if path not in switched:
                switched.add(path)
                response = client.get(path)
                assert response.status_code == 302, path
                queue.append(response["Location"])
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


# Objects for tests. Pages are added and published the way an editor's “Publish” does.


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


# Inquiries: posting the form as a browser would, and a real SMTP server on loopback.


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process_group(proc, timeout=15):
    """Stop a process started with `start_new_session=True` and everything it started:
    SIGTERM to the group, SIGKILL if it has not ended after `timeout` seconds."""
    import os
    import signal
    import subprocess

    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


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


class SmtpServer:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives.

    `hold` makes it stall inside DATA until `release()` (a server hanging mid-send);
    `delay` slows every message down (so that concurrent senders overlap)."""

    def __init__(self, port=None, delay=0.0, refuse=()):
        self.port = port or free_port()
        self.delay = delay
        self.refuse = set(refuse)  # recipients answered with 550 (mailbox does not exist)
        self.received = []
        self.controller = None
        self._lock = None
        self.holding = None
        self.held = None

    def start(self):
        import logging
        import threading

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def hold(self):
        """Make the next messages hang in DATA (the client waits) until release()."""
        import threading

        self.holding = threading.Event()
        self.held = threading.Event()

    def release(self):
        if self.holding is not None:
            self.holding.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        import asyncio
        from email import message_from_bytes
        from email.policy import default

        if self.holding is not None and not self.holding.is_set():
            self.held.set()
            while not self.holding.is_set():
                await asyncio.sleep(0.05)
            return "451 Requested action aborted"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=default)
        with self._lock:
            self.received.append(
                {
                    "from": envelope.mail_from,
                    "to": list(envelope.rcpt_tos),
                    "message": message,
                    "raw": envelope.content,
                }
            )
        return "250 Message accepted for delivery"

    def messages(self, subject_contains=""):
        with self._lock:
            return [r for r in self.received if subject_contains in str(r["message"]["Subject"])]

    def wait_for(self, count, subject_contains="", timeout=30):
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages(subject_contains)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        return self.messages(subject_contains)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.release()
        self.stop()


# Services: tests marked `postgres` or `redis` are about the suite's own PostgreSQL
# database or Redis cache (`make test-postgres`). Elsewhere they are skipped with one
# line saying why; with CARAVAN_REQUIRE_SERVICES=1 (set by .ci/run) the skip is a failure.

REQUIRE_SERVICES_ENV = "CARAVAN_REQUIRE_SERVICES"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_problem():
    """Why the suite's database is not a reachable PostgreSQL, or None."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        return "needs the suite on PostgreSQL: run `make test-postgres` (DATABASE_URL=postgres://…)"
    return None


def redis_problem():
    """Why the suite's cache is not a reachable Redis, or None."""
    from django.conf import settings

    config = settings.CACHES["default"]
    if "redis" not in config["BACKEND"].lower():
        return "needs the suite's cache on Redis: run `make test-postgres` (CACHE_URL=redis://…)"
    import redis

    location = config["LOCATION"]
    location = location[0] if isinstance(location, list | tuple) else location
    try:
        redis.Redis.from_url(location, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis at {location} is unreachable ({exc})"
    return None


def postgres_server_url():
    """A PostgreSQL server URL (its maintenance database) for scratch databases: the
    suite's own server when it runs on PostgreSQL, else CARAVAN_TEST_POSTGRES_URL
    (default postgres://postgres@127.0.0.1:5432/postgres). Returns (url, problem)."""
    import os

    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/postgres"
    else:
        url = os.environ.get("CARAVAN_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as exc:
        return url, f"PostgreSQL at {url} is unreachable ({str(exc).strip().splitlines()[0]})"
    return url, None
