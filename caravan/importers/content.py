"""A WordPress post body → our StreamField blocks (caravan/core/blocks.py).

Both editors are understood: Gutenberg's block markup (its `<!-- wp:... -->` comments
wrap ordinary HTML, which is what is read) and the classic editor's HTML with blank
lines for paragraphs and shortcodes. Headings, paragraphs, lists, quotes, tables,
images with caption and alt text, galleries (a figure per picture), YouTube and Vimeo
embeds (video blocks, with a poster: the block's own poster attribute, the provider's
thumbnail when the import fetches posters, else the post's featured image) are carried; `[caption]`, `[gallery]`, `[embed]` and Contact
Form 7's form (a link to the inquiry form) are understood; any other shortcode is kept
as text and reported."""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

SHORTCODE = re.compile(r"\[(/?)([a-zA-Z][\w-]*)((?:\s[^\]]*)?)\]")
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
CAPTION = re.compile(r"\[(caption|wp_caption)([^\]]*)\](.*?)\[/\1\]", re.S)
EMBED = re.compile(r"\[embed([^\]]*)\](.*?)\[/embed\]", re.S)
FORM_SHORTCODES = {"contact-form-7", "contact-form", "wpforms", "ninja_form", "gravityform"}
BLOCK_TAGS = ("<h", "<ul", "<ol", "<blockquote", "<table", "<figure", "<div", "<p", "<pre")
INLINE = {"a", "b", "strong", "i", "em", "span", "br", "u", "sup", "sub", "code", "small", "abbr"}
RICH_TAGS = {"strong": "b", "b": "b", "em": "i", "i": "i", "a": "a", "br": "br"}
WP_IMAGE_CLASS = re.compile(r"wp-image-(\d+)")
BLOCK_COMMENT = re.compile(r"^\s*wp:([\w/-]+)\s+(\{.*\})\s*/?\s*$", re.S)


def shortcode_attributes(text):
    return {m[1].lower(): m[2] or m[3] or m[4] or "" for m in ATTRIBUTE.finditer(text or "")}


def video_url(url):
    """The canonical address of a YouTube or Vimeo video, or "" for anything else."""
    parts = urlsplit((url or "").strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    if host in ("youtube.com", "youtube-nocookie.com"):
        video = parse_qs(parts.query).get("v", [""])[0]
        if not video and parts.path.startswith(("/embed/", "/shorts/", "/v/")):
            video = parts.path.split("/")[2]
        return f"https://www.youtube.com/watch?v={video}" if video else ""
    if host == "youtu.be":
        video = parts.path.strip("/").split("/")[0]
        return f"https://www.youtube.com/watch?v={video}" if video else ""
    if host in ("vimeo.com", "player.vimeo.com"):
        number = next((p for p in parts.path.split("/") if p.isdigit()), "")
        return f"https://vimeo.com/{number}" if number else ""
    return ""


@dataclass
class Conversion:
    """The blocks made from one body, and what could not be carried."""

    blocks: list = field(default_factory=list)
    unknown_shortcodes: list = field(default_factory=list)
    missing_images: list = field(default_factory=list)
    images: list = field(default_factory=list)  # ids of the images used
    links: list = field(default_factory=list)  # hrefs found in the text
    videos_without_poster: list = field(default_factory=list)


class Converter:
    """Turns one body into blocks. `media` answers `image(wp_id=None, url=None)` with a
    CaravanImage or None; `inquiry_url` is where a contact form shortcode now points;
    `allowed` names the block types of the target StreamField. A video's poster is the
    one its block names, else `posters.poster(url)` (when posters are fetched), else
    `featured` (the post's featured image)."""

    def __init__(
        self,
        media,
        inquiry_url="",
        allowed=None,
        inquiry_label="Send an inquiry",
        posters=None,
        featured=None,
    ):
        self.media = media
        self.inquiry_url = inquiry_url
        self.inquiry_label = inquiry_label
        self.allowed = set(allowed or ("heading", "paragraph", "figure", "quote", "table", "video"))
        self.posters = posters
        self.featured = featured
        self._block_poster = None  # (wp id, address) named by the Gutenberg block being read

    # Text before HTML: shortcodes and the classic editor's blank-line paragraphs

    def _shortcodes(self, html, result):
        def caption(match):
            inner = match.group(3)
            text = re.sub(r"<img[^>]*>|</?a[^>]*>", "", inner).strip()
            img = "".join(re.findall(r"<img[^>]*>", inner))
            attrs = shortcode_attributes(match.group(2))
            text = text or attrs.get("caption", "")
            return f"\n\n<figure>{img}<figcaption>{text}</figcaption></figure>\n\n"

        def embed(match):
            return f'\n\n<div data-wp-embed="{match.group(2).strip()}"></div>\n\n'

        html = CAPTION.sub(caption, html)
        html = EMBED.sub(embed, html)

        def other(match):
            closing, name, args = match.group(1), match.group(2).lower(), match.group(3)
            if name == "gallery" and not closing:
                ids = shortcode_attributes(args).get("ids", "")
                return f'\n\n<div data-wp-gallery="{ids}"></div>\n\n'
            if name in FORM_SHORTCODES and not closing:
                return "\n\n<p data-wp-inquiry></p>\n\n"
            if name in ("video", "audio", "playlist") and not closing:
                attributes = shortcode_attributes(args)
                src = attributes.get("src") or ""
                if video_url(src):
                    poster = _escape(attributes.get("poster") or "")
                    return f'\n\n<div data-wp-embed="{src}" data-poster="{poster}"></div>\n\n'
            if not closing:
                result.unknown_shortcodes.append(name)
            return match.group(0)

        return SHORTCODE.sub(other, html)

    @staticmethod
    def _autop(html):
        """The classic editor's paragraphs: blank lines separate them, single line
        breaks are <br>; a line that is only a video address is an embed."""
        chunks = re.split(r"\n\s*\n", html.replace("\r\n", "\n"))
        out = []
        for chunk in chunks:
            chunk = chunk.strip()
            if not chunk:
                continue
            if video_url(chunk) and " " not in chunk and "<" not in chunk:
                out.append(f'<div data-wp-embed="{chunk}"></div>')
            elif chunk.lower().startswith(BLOCK_TAGS):
                out.append(chunk)
            else:
                out.append("<p>" + chunk.replace("\n", "<br/>") + "</p>")
        return "\n".join(out)

    def convert(self, html):
        result = Conversion()
        html = html or ""
        gutenberg = "<!-- wp:" in html
        html = self._shortcodes(html, result)
        if not gutenberg:
            html = self._autop(html)
        soup = BeautifulSoup(html, "html.parser")
        self._inline = []
        self._walk(soup, result)
        self._flush(result)
        return result

    # HTML → blocks

    def _add(self, result, kind, value):
        if kind in self.allowed:
            result.blocks.append({"type": kind, "value": value})
        elif kind == "quote":
            text = value["text"] + (f" — {value['attribution']}" if value["attribution"] else "")
            self._add(result, "paragraph", f"<p>{_escape(text)}</p>")
        elif kind == "video":
            url = _escape(value["url"])
            self._add(result, "paragraph", f'<p><a href="{url}">{_escape(value["title"])}</a></p>')

    def _flush(self, result):
        if self._inline:
            html = "".join(self._inline).strip()
            self._inline = []
            text = BeautifulSoup(html, "html.parser").get_text().strip()
            if text:
                self._add(result, "paragraph", f"<p>{html}</p>")

    def _walk(self, node, result):
        for child in list(node.children):
            if isinstance(child, Comment):
                self._block_comment(str(child))
                continue
            if isinstance(child, NavigableString):
                if str(child).strip():
                    self._inline.append(_escape(str(child)))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in ("script", "style", "noscript", "hr"):
                continue
            if name in INLINE and not child.find(["img", "iframe"]):
                self._inline.append(self._rich(child, result))
                continue
            self._flush(result)
            self._element(child, result)
        return result

    def _element(self, el, result):
        name = el.name
        classes = el.get("class") or []
        if el.has_attr("data-wp-gallery"):
            for wp_id in re.findall(r"\d+", el["data-wp-gallery"]):
                self._figure(result, wp_id=int(wp_id))
        elif el.has_attr("data-wp-embed"):
            self._embed(result, el["data-wp-embed"], "", poster_url=el.get("data-poster", ""))
        elif name == "video" and video_url(_video_source(el)):
            self._embed(result, _video_source(el), el.get("title", ""), el.get("poster", ""))
        elif el.has_attr("data-wp-inquiry"):
            if self.inquiry_url:
                self._add(
                    result,
                    "paragraph",
                    f'<p><a href="{_escape(self.inquiry_url)}">{_escape(self.inquiry_label)}</a></p>',
                )
        elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = el.get_text(" ", strip=True)
            if text:
                level = "h2" if name in ("h1", "h2") else "h3"
                self._add(result, "heading", {"text": text[:200], "level": level})
        elif name in ("ul", "ol"):
            items = "".join(
                f"<li>{self._rich_children(li, result)}</li>"
                for li in el.find_all("li", recursive=False)
            )
            if items:
                self._add(result, "paragraph", f"<{name}>{items}</{name}>")
        elif name == "blockquote":
            cite = el.find("cite")
            attribution = cite.get_text(" ", strip=True) if cite else ""
            if cite:
                cite.extract()
            text = el.get_text("\n", strip=True)
            if text:
                self._add(result, "quote", {"text": text[:1000], "attribution": attribution[:150]})
        elif name == "table":
            self._table(el, result, "")
        elif name == "figure":
            self._figure_element(el, result, classes)
        elif name == "iframe":
            self._embed(result, el.get("src", ""), el.get("title", ""))
        elif name == "img":
            self._image_tag(el, result, "")
        elif name == "p":
            if el.find(["img", "iframe"]):
                self._walk(el, result)
                self._flush(result)
            else:
                html = self._rich_children(el, result).strip()
                if BeautifulSoup(html, "html.parser").get_text().strip():
                    self._add(result, "paragraph", f"<p>{html}</p>")
        elif name == "a" and el.find("img"):
            self._walk(el, result)
        elif name == "pre":
            text = el.get_text()
            if text.strip():
                self._add(result, "paragraph", f"<p>{_escape(text).replace(chr(10), '<br/>')}</p>")
        else:  # div, section, span with an image...: what is inside counts
            self._walk(el, result)
            self._flush(result)

    def _figure_element(self, el, result, classes):
        caption_el = el.find("figcaption", recursive=False)
        caption = caption_el.get_text(" ", strip=True) if caption_el else ""
        if "wp-block-gallery" in classes or "blocks-gallery-grid" in classes:
            for inner in el.find_all("img"):
                parent_figure = inner.find_parent("figure")
                inner_caption = ""
                if parent_figure is not None and parent_figure is not el:
                    fc = parent_figure.find("figcaption")
                    inner_caption = fc.get_text(" ", strip=True) if fc else ""
                self._image_tag(inner, result, inner_caption)
            return
        if "wp-block-embed" in classes or el.find(class_="wp-block-embed__wrapper"):
            wrapper = el.find(class_="wp-block-embed__wrapper")
            iframe = el.find("iframe")
            url = iframe.get("src", "") if iframe else (wrapper or el).get_text(" ", strip=True)
            if caption_el:
                url = url.replace(caption, "").strip()
            self._embed(result, url, caption)
            return
        table = el.find("table")
        if table is not None:
            self._table(table, result, caption)
            return
        img = el.find("img")
        if img is not None:
            self._image_tag(img, result, caption)
            return
        self._walk(el, result)
        self._flush(result)

    def _image_tag(self, img, result, caption):
        wp_id = None
        for cls in img.get("class") or []:
            match = WP_IMAGE_CLASS.match(cls)
            if match:
                wp_id = int(match.group(1))
        if wp_id is None and (img.get("data-id") or "").isdigit():
            wp_id = int(img["data-id"])
        self._figure(
            result, wp_id=wp_id, url=img.get("src", ""), alt=img.get("alt", ""), caption=caption
        )

    def _figure(self, result, wp_id=None, url="", alt="", caption=""):
        image = self.media.image(wp_id=wp_id, url=url) if self.media is not None else None
        if image is None:
            result.missing_images.append(url or f"attachment {wp_id}")
            if caption:
                self._add(result, "paragraph", f"<p>{_escape(caption)}</p>")
            return
        result.images.append(image.pk)
        caption = caption or getattr(image, "wp_caption", "")
        self._add(
            result,
            "figure",
            {
                "image": image.pk,
                "alt_text": (alt or image.description or "")[:255],
                "caption": caption[:300],
                "credit": "",
            },
        )

    def _block_comment(self, text):
        """Gutenberg's block comments carry the block's attributes as JSON; a video's
        poster (`poster` address or `posterId`) is kept for the embed that follows."""
        if text.strip().startswith("/wp:"):
            self._block_poster = None
            return
        match = BLOCK_COMMENT.match(text)
        if not match:
            return
        try:
            attributes = json.loads(match.group(2))
        except ValueError:
            return
        if isinstance(attributes, dict) and (
            attributes.get("poster") or attributes.get("posterId")
        ):
            wp_id = attributes.get("posterId")
            self._block_poster = (
                int(wp_id) if str(wp_id or "").isdigit() else None,
                str(attributes.get("poster") or ""),
            )

    def _poster(self, canonical, poster_url, result):
        """The video's poster image: its own, the provider's, or the featured image."""
        wp_id, named = self._block_poster or (None, "")
        self._block_poster = None
        poster_url = poster_url or named
        if (wp_id or poster_url) and self.media is not None:
            image = self.media.image(wp_id=wp_id, url=poster_url)
            if image is not None:
                return image
            result.missing_images.append(poster_url or f"attachment {wp_id}")
        if self.posters is not None:
            image = self.posters.poster(canonical)
            if image is not None:
                return image
        if self.featured is not None:
            return self.featured
        result.videos_without_poster.append(canonical)
        return None

    def _embed(self, result, url, caption, poster_url=""):
        canonical = video_url(url)
        if canonical:
            host = "YouTube" if "youtube" in canonical else "Vimeo"
            title = caption or f"{host} video"
            poster = (
                self._poster(canonical, poster_url, result) if "video" in self.allowed else None
            )
            self._add(
                result,
                "video",
                {
                    "url": canonical,
                    "title": title[:200],
                    "poster": getattr(poster, "pk", None),
                    "caption": caption[:300],
                },
            )
        elif url:
            safe = _escape(url)
            self._add(result, "paragraph", f'<p><a href="{safe}">{safe}</a></p>')
            result.links.append(url)

    def _table(self, table, result, caption):
        rows = []
        header = bool(table.find("thead")) or bool(table.find("tr") and table.find("tr").find("th"))
        for tr in table.find_all("tr"):
            rows.append([cell.get_text(" ", strip=True) for cell in tr.find_all(["td", "th"])])
        if not rows:
            return
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        if not caption:
            cap = table.find("caption")
            caption = cap.get_text(" ", strip=True) if cap else ""
        self._add(
            result,
            "table",
            {
                "data": rows,
                "first_row_is_table_header": header,
                "first_col_is_header": False,
                "table_caption": caption,
            },
        )

    # Rich text: only what our paragraph block offers (bold, italic, links, lists)

    def _rich_children(self, el, result):
        return "".join(self._rich(child, result) for child in el.children)

    def _rich(self, node, result):
        if isinstance(node, Comment):
            return ""
        if isinstance(node, NavigableString):
            return _escape(str(node))
        if not isinstance(node, Tag):
            return ""
        tag = RICH_TAGS.get(node.name)
        inner = self._rich_children(node, result)
        if tag == "br":
            return "<br/>"
        if tag == "a":
            href = (node.get("href") or "").strip()
            if not href or href.lower().startswith(("javascript:", "data:", "vbscript:")):
                return inner
            result.links.append(href)
            return f'<a href="{_escape(href)}">{inner}</a>'
        if tag:
            return f"<{tag}>{inner}</{tag}>" if inner.strip() else inner
        return inner


def _video_source(video):
    """The address a <video> element plays: its src, or its first <source>."""
    source = video.find("source")
    return video.get("src") or (source.get("src", "") if source else "")


def _escape(text):
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )
