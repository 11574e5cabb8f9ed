"""WordPress attachments → Wagtail images and documents, each file once.

A file is read from a copy of the old site's `wp-content/uploads` (`--media-dir`) or
fetched from the old site (`--media-url`, by default the export's own address), only
from that host or the hosts given, within a size limit, by type, with timeouts. Nothing
in an export can make the importer read a file outside the uploads copy or reach
another address."""

import mimetypes
import posixpath
import re
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import requests
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .models import ImportedItem

IMAGE_TYPES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
DOCUMENT_TYPES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods"}
DOCUMENT_TYPES |= {".txt", ".csv", ".zip", ".dwg", ".dxf", ".step", ".stp", ".rtf"}
MAX_BYTES = 50 * 1024 * 1024
TIMEOUT = (5, 30)  # connect, read (seconds)
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")  # WordPress's resized copies: name-300x200.jpg


class MediaError(Exception):
    pass


def fetch(session, url, hosts, max_bytes, source):
    """The bytes at `url`, only from one of `hosts`, never following a redirect elsewhere,
    within `max_bytes` and the timeouts; `source` names the server in the messages."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or (parts.hostname or "").lower() not in hosts:
        raise MediaError(f"{url}: not on {source}'s host, not fetched")
    response = session.get(url, timeout=TIMEOUT, stream=True, allow_redirects=False)
    try:
        if response.status_code != 200:
            raise MediaError(f"{url}: {source} answered {response.status_code}")
        length = int(response.headers.get("Content-Length") or 0)
        if length > max_bytes:
            raise MediaError(f"{url}: larger than {max_bytes // 1048576} MB")
        data = BytesIO()
        for chunk in response.iter_content(65536):
            data.write(chunk)
            if data.tell() > max_bytes:
                raise MediaError(f"{url}: larger than {max_bytes // 1048576} MB")
        return data.getvalue()
    finally:
        response.close()


def _url_key(url):
    """An upload's address without host and size suffix: what a body and the
    attachment share whichever resized copy the body shows."""
    path = unquote(urlsplit(url or "").path)
    return SIZE_SUFFIX.sub("", path)


class MediaLibrary:
    """The attachments of one import: WordPress id → image or document."""

    def __init__(
        self,
        site,
        report,
        media_dir=None,
        media_url=None,
        hosts=(),
        dry_run=False,
        max_bytes=MAX_BYTES,
        session=None,
    ):
        self.site = site
        self.report = report
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.media_url = (media_url or site.base_site_url or site.link or "").rstrip("/")
        allowed = {urlsplit(self.media_url).hostname, site.host, *hosts}
        self.hosts = {h.lower() for h in allowed if h}
        self.dry_run = dry_run
        self.max_bytes = max_bytes
        self.session = session or requests.Session()
        self.by_id = {}  # wp id → ("image"|"document", pk)
        self.by_url = {}  # url key → wp id
        self.parents = {}  # wp id → the attachment's post_parent
        self.links = {}  # attachment page path → wp id

    # Reading the bytes

    def _relative(self, item):
        rel = item.first_meta("_wp_attached_file")
        if not rel:
            path = urlsplit(item.attachment_url).path
            rel = path.split("/wp-content/uploads/", 1)[-1] if "/uploads/" in path else ""
        return unquote(rel).lstrip("/")

    def _from_dir(self, rel):
        target = (self.media_dir / rel).resolve()
        if not target.is_relative_to(self.media_dir):
            raise MediaError(f"{rel}: outside the uploads folder")
        if not target.is_file():
            return None
        if target.stat().st_size > self.max_bytes:
            raise MediaError(f"{rel}: larger than {self.max_bytes // 1048576} MB")
        return target.read_bytes()

    def _fetch(self, url):
        return fetch(self.session, url, self.hosts, self.max_bytes, "the old site")

    def read(self, item):
        rel = self._relative(item)
        if self.media_dir is not None and rel:
            data = self._from_dir(rel)
            if data is not None:
                return data
        url = item.attachment_url
        if self.media_url and rel:
            url = urljoin(self.media_url + "/", "wp-content/uploads/" + rel)
        if not url:
            raise MediaError(f"attachment {item.id}: no file address")
        try:
            return self._fetch(url)
        except requests.RequestException as exc:
            raise MediaError(f"{url}: {exc.__class__.__name__}") from exc

    # Attachments

    def remember(self, item, kind, pk):
        self.by_id[item.id] = (kind, pk)
        self.by_url[_url_key(item.attachment_url)] = item.id
        self.parents[item.id] = item.parent
        if item.link:
            self.links[urlsplit(item.link).path] = item.id

    def add(self, item, fingerprint):
        """Import one attachment (or find it from an earlier run); returns the outcome."""
        name = posixpath.basename(self._relative(item) or urlsplit(item.attachment_url).path)
        ext = posixpath.splitext(name)[1].lower()
        if ext in IMAGE_TYPES:
            kind, model = "image", get_image_model()
        elif ext in DOCUMENT_TYPES:
            kind, model = "document", get_document_model()
        else:
            raise MediaError(f"{name or item.id}: a file type that is not imported")
        mapped = ImportedItem.objects.find("attachment", item.id)
        if mapped and model.objects.filter(pk=mapped.object_id).exists():
            obj = model.objects.get(pk=mapped.object_id)
            if mapped.fingerprint == fingerprint:
                self.remember(item, kind, obj.pk)
                return "unchanged", obj
            self._describe(obj, item, kind)
            obj.save()
            self.remember(item, kind, obj.pk)
            return "updated", obj
        if self.dry_run:
            if self.media_dir is None or self._from_dir(self._relative(item)) is None:
                self.report.note("notes", f"dry run: {name} would be fetched from the old site")
            self.remember(item, kind, None)
            return "created", None
        data = self.read(item)
        obj = model(title=(item.title or name)[:255])
        self._describe(obj, item, kind)
        if kind == "image":
            obj.file = ImageFile(BytesIO(data), name=name)
        else:
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            obj.file = SimpleUploadedFile(name, data, content_type=content_type)
        obj.save()
        self.remember(item, kind, obj.pk)
        return "created", obj

    @staticmethod
    def _describe(obj, item, kind):
        obj.title = (item.title or obj.title)[:255]
        if kind == "image":
            alt = item.first_meta("_wp_attachment_image_alt").strip()
            obj.description = alt[:255]

    # Look-ups for the bodies

    def find(self, wp_id=None, url=None):
        if wp_id in self.by_id:
            return wp_id
        return self.by_url.get(_url_key(url)) if url else None

    def image(self, wp_id=None, url=None):
        found = self.find(wp_id, url)
        if found is None or self.by_id[found][0] != "image":
            return None
        return _image(self.by_id[found][1], self.dry_run)

    def document(self, wp_id=None, url=None):
        found = self.find(wp_id, url)
        if found is None or self.by_id[found][0] != "document":
            return None
        pk = self.by_id[found][1]
        return get_document_model().objects.filter(pk=pk).first() if pk else None


class _Placeholder:
    """A picture a dry run would import (nothing is written in a dry run)."""

    pk = None
    description = ""


@lru_cache(maxsize=512)
def _cached_image(pk):
    return get_image_model().objects.only("pk", "description", "title").filter(pk=pk).first()


def _image(pk, dry_run):
    if pk is None:
        return _Placeholder() if dry_run else None
    return _cached_image(pk)
