"""Reading a WordPress export file (WXR 1.0–1.2, "Tools › Export › All content") as a
stream: the site's header (authors, categories, tags, terms) first, then one item
(post, page, product, attachment...) at a time, each dropped once read, so memory stays
the same however large the file.

The parser is defusedxml's: a file that declares entities or points at external
resources is refused, never expanded or fetched."""

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


class WXRError(Exception):
    """The file is not a WordPress export this importer can read."""


def _name(tag):
    """`{namespace}local` → `prefix:local` with WordPress's usual prefixes."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if namespace.startswith("http://wordpress.org/export/"):
        return ("excerpt:" if "/excerpt/" in namespace else "wp:") + local
    prefix = _PREFIXES.get(namespace)
    return f"{prefix}:{local}" if prefix else local


def _children(element):
    """Child name → text (the first of each name) of an element."""
    values = {}
    for child in element:
        values.setdefault(_name(child.tag), (child.text or "").strip())
    return values


@dataclass
class Term:
    taxonomy: str
    slug: str
    name: str
    parent: str = ""
    description: str = ""
    term_id: str = ""


@dataclass
class Site:
    """What the export says about the old site itself."""

    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    language: str = ""
    wxr_version: str = ""
    authors: dict = field(default_factory=dict)  # login → display name
    terms: dict = field(default_factory=dict)  # (taxonomy, slug) → Term

    @property
    def host(self):
        return (urlsplit(self.base_site_url or self.link).hostname or "").lower()

    def terms_of(self, taxonomy):
        return [term for (tax, _slug), term in self.terms.items() if tax == taxonomy]

    def ancestors(self, taxonomy, slug):
        """The term's parents, nearest first (a category tree is walked up by slug)."""
        found, seen = [], {slug}
        term = self.terms.get((taxonomy, slug))
        while term and term.parent and term.parent not in seen:
            seen.add(term.parent)
            term = self.terms.get((taxonomy, term.parent))
            if term:
                found.append(term)
        return found


@dataclass
class Item:
    """One `<item>`: a post, page, product, attachment or any other post type."""

    id: int
    type: str
    title: str = ""
    slug: str = ""
    link: str = ""
    guid: str = ""
    status: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: str = ""  # post_date_gmt, "YYYY-MM-DD HH:MM:SS" (0000-00-00 for drafts)
    local_date: str = ""  # post_date, the site's local time
    parent: int = 0
    menu_order: int = 0
    password: str = ""
    attachment_url: str = ""
    terms: list = field(default_factory=list)  # [(taxonomy, slug, name)]
    meta: dict = field(default_factory=dict)  # key → [values]

    def first_meta(self, key, default=""):
        values = self.meta.get(key)
        return values[0] if values else default

    def terms_in(self, taxonomy):
        return [(slug, name) for tax, slug, name in self.terms if tax == taxonomy]


def _int(text):
    try:
        return int(text or 0)
    except ValueError:
        return 0


def _item(element):
    values = {}
    terms, meta = [], {}
    for child in element:
        name = _name(child.tag)
        if name == "category":
            terms.append(
                (child.get("domain", ""), child.get("nicename", ""), (child.text or "").strip())
            )
        elif name == "wp:postmeta":
            entry = {_name(c.tag): c.text or "" for c in child}
            meta.setdefault(entry.get("wp:meta_key", ""), []).append(entry.get("wp:meta_value", ""))
        elif name not in values:
            values[name] = child.text or ""
    return Item(
        id=_int(values.get("wp:post_id")),
        type=values.get("wp:post_type", "").strip(),
        title=values.get("title", "").strip(),
        slug=values.get("wp:post_name", "").strip(),
        link=values.get("link", "").strip(),
        guid=values.get("guid", "").strip(),
        status=values.get("wp:status", "").strip(),
        creator=values.get("dc:creator", "").strip(),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        date=values.get("wp:post_date_gmt", "").strip(),
        local_date=values.get("wp:post_date", "").strip(),
        parent=_int(values.get("wp:post_parent")),
        menu_order=_int(values.get("wp:menu_order")),
        password=values.get("wp:post_password", "").strip(),
        attachment_url=values.get("wp:attachment_url", "").strip(),
        terms=terms,
        meta=meta,
    )


# Where each header element keeps a term's fields: taxonomy (None: read from the
# element), then the child elements of slug, name, parent (None: none) and description.
TERM_FIELDS = {
    "wp:category": (
        "category",
        "wp:category_nicename",
        "wp:cat_name",
        "wp:category_parent",
        "wp:category_description",
    ),
    "wp:tag": ("post_tag", "wp:tag_slug", "wp:tag_name", None, "wp:tag_description"),
    "wp:term": (None, "wp:term_slug", "wp:term_name", "wp:term_parent", "wp:term_description"),
}


def _term(element, kind):
    values = _children(element)
    taxonomy, slug, name, parent, description = TERM_FIELDS[kind]
    return Term(
        taxonomy or values.get("wp:term_taxonomy", ""),
        values.get(slug, ""),
        values.get(name, ""),
        values.get(parent, "") if parent else "",
        values.get(description, ""),
        values.get("wp:term_id", ""),
    )


class WXRFile:
    """A WordPress export file on disk, read as a stream. `progress` is the share of the
    file read so far (0–1), for a progress bar."""

    def __init__(self, path):
        self.path = os.fspath(path)
        self.size = os.path.getsize(self.path) or 1
        self.progress = 0.0
        self._site = None

    def _events(self, stream):
        try:
            yield from iterparse(
                stream, events=("start", "end"), forbid_dtd=True, forbid_entities=True
            )
        except DefusedXmlException as exc:
            raise WXRError(
                "The file declares entities or external references, which a WordPress "
                f"export never does; it was not read ({exc.__class__.__name__})."
            ) from exc
        except ParseError as exc:
            raise WXRError(f"The file is not well-formed XML: {exc}.") from exc

    def site(self):
        """The header: site title, address, authors and every term, read up to the first
        item (a WordPress export writes them before the items)."""
        if self._site is None:
            site = Site()
            depth_names = []
            with open(self.path, "rb") as stream:
                channel = None
                for event, element in self._events(stream):
                    name = _name(element.tag)
                    if event == "start":
                        depth_names.append(name)
                        if name == "channel":
                            channel = element
                        if name == "item":
                            break
                        continue
                    depth_names.pop()
                    if channel is None or len(depth_names) != 2:
                        continue  # only the channel's own children
                    self._header_element(site, name, element)
                    channel.remove(element)
            if not (site.wxr_version or site.base_site_url):
                raise WXRError(
                    "This is not a WordPress export file (no wp:wxr_version). In WordPress, "
                    "use Tools › Export › All content and upload the file it gives you."
                )
            self._site = site
        return self._site

    @staticmethod
    def _header_element(site, name, element):
        text = (element.text or "").strip()
        if name in ("title", "link", "language"):
            setattr(site, name, text)
        elif name in ("wp:base_site_url", "wp:base_blog_url", "wp:wxr_version"):
            setattr(site, name.split(":", 1)[1], text)
        elif name == "wp:author":
            values = _children(element)
            site.authors[values.get("wp:author_login", "")] = values.get(
                "wp:author_display_name"
            ) or values.get("wp:author_login", "")
        elif name in TERM_FIELDS:
            term = _term(element, name)
            if term.slug:
                site.terms[(term.taxonomy, term.slug)] = term

    def items(self, types=None):
        """Every item of the given post types (all if None), one at a time."""
        self.site()
        with open(self.path, "rb") as stream:
            channel = None
            for event, element in self._events(stream):
                if event == "start":
                    if channel is None and _name(element.tag) == "channel":
                        channel = element
                    continue
                if _name(element.tag) != "item":
                    continue
                self.progress = min(stream.tell() / self.size, 1.0)
                item = _item(element)
                if channel is not None:
                    channel.remove(element)
                if types is None or item.type in types:
                    yield item
        self.progress = 1.0
