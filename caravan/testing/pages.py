"""Reading pages in tests: the links of a page, a crawl of the site, an editor's preview,
the ways a phone number or e-mail address can appear in HTML."""

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


def preview(page, **draft):
    """What Wagtail's preview of `page`, with the unsaved `draft` values, shows an editor
    (the admin's preview panel renders it after each pause in typing)."""
    from django.test import RequestFactory

    for name, value in draft.items():
        setattr(page, name, value)
    request = RequestFactory().get(
        f"/admin/pages/{page.pk}/edit/preview/", HTTP_COOKIE="sessionid=editor"
    )
    return page.make_preview_request(request, page.default_preview_mode)
