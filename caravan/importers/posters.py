"""Posters for the imported YouTube and Vimeo videos, fetched from the provider only
when the operator asks (`import_wordpress --fetch-posters`): an import never reaches
the internet by itself.

YouTube's thumbnail is a plain address (i.ytimg.com/vi/<id>/hqdefault.jpg); Vimeo's
is named by its oEmbed answer (`thumbnail_url`). Both are fetched only from the hosts
of CARAVAN_VIDEO_POSTER_HOSTS, with timeouts and a size limit, and must be a JPEG, PNG
or WebP picture. Each video's poster is fetched once: a second run finds the image it
made (ImportedItem kind "poster", keyed by the video's address)."""

import json
import re
from io import BytesIO
from urllib.parse import parse_qs, quote, urlsplit

import requests
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from PIL import Image, UnidentifiedImageError
from wagtail.images import get_image_model

from .media import MediaError, fetch
from .models import ImportedItem

YOUTUBE_THUMBNAIL = "https://i.ytimg.com/vi/{id}/hqdefault.jpg"
VIMEO_OEMBED = "https://vimeo.com/api/oembed.json?url={url}"
HOSTS = ("i.ytimg.com", "vimeo.com", "i.vimeocdn.com")
MAX_BYTES = 5 * 1024 * 1024
MAX_OEMBED_BYTES = 1024 * 1024
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
YOUTUBE_ID = re.compile(r"^[\w-]{6,20}$")


def _setting(name, default):
    return getattr(settings, name, default)


class Posters:
    """The posters of one import's videos: `poster(url)` answers the Wagtail image of a
    canonical YouTube or Vimeo address, or None. With `fetch` it is fetched the first
    time; without, only a poster an earlier run fetched is found (so a run without the
    option keeps the posters a run with it brought)."""

    def __init__(self, report, session=None, dry_run=False, fetch=False):
        self.report = report
        self.fetch = fetch
        self.session = session or requests.Session()
        self.dry_run = dry_run
        self.hosts = {h.lower() for h in _setting("CARAVAN_VIDEO_POSTER_HOSTS", HOSTS)}
        self.found = {}  # video address → image (or None when it could not be fetched)

    def poster(self, video):
        if video not in self.found:
            self.found[video] = self._poster(video)
        return self.found[video]

    def _poster(self, video):
        mapped = ImportedItem.objects.find("poster", video)
        if mapped:
            image = get_image_model().objects.filter(pk=mapped.object_id).first()
            if image is not None:
                return image
        if not self.fetch:
            return None
        if self.dry_run:
            self.report.note("notes", f"dry run: the poster of {video} would be fetched")
            return None
        try:
            data = fetch(
                self.session, self._thumbnail_url(video), self.hosts, MAX_BYTES, "the provider"
            )
            extension = _picture_type(data)
        except (MediaError, requests.RequestException, ValueError) as exc:
            self.report.note("posters_not_fetched", f"{video}: {_reason(exc)}")
            return None
        name = f"poster-{_slug(video)}.{extension}"
        image = get_image_model()(title=f"Poster of {video}"[:255])
        image.file = ImageFile(BytesIO(data), name=name)
        image.save()
        ImportedItem.objects.update_or_create(
            kind="poster",
            key=video[:200],
            defaults={
                "content_type": ContentType.objects.get_for_model(image),
                "object_id": image.pk,
            },
        )
        self.report.count("posters", "created")
        return image

    def _thumbnail_url(self, video):
        parts = urlsplit(video)
        if parts.hostname == "www.youtube.com":
            video_id = parse_qs(parts.query).get("v", [""])[0]
            if not YOUTUBE_ID.match(video_id):
                raise ValueError("not a YouTube video id")
            base = _setting("CARAVAN_YOUTUBE_THUMBNAIL_URL", YOUTUBE_THUMBNAIL)
            return base.format(id=video_id)
        oembed = _setting("CARAVAN_VIMEO_OEMBED_URL", VIMEO_OEMBED).format(
            url=quote(video, safe="")
        )
        answer = fetch(self.session, oembed, self.hosts, MAX_OEMBED_BYTES, "the provider")
        try:
            thumbnail = json.loads(answer).get("thumbnail_url")
        except (json.JSONDecodeError, AttributeError) as exc:
            raise ValueError("Vimeo's answer is not oEmbed") from exc
        if not isinstance(thumbnail, str) or not thumbnail:
            raise ValueError("Vimeo's answer names no thumbnail")
        return thumbnail


def _picture_type(data):
    """The file extension of a JPEG, PNG or WebP picture; anything else is refused."""
    try:
        with Image.open(BytesIO(data)) as picture:
            kind = picture.format
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValueError("not a picture") from exc
    if kind not in FORMATS:
        raise ValueError(f"a {kind} file, not a JPEG, PNG or WebP picture")
    return FORMATS[kind]


def _reason(exc):
    if isinstance(exc, requests.RequestException):
        return exc.__class__.__name__
    return str(exc)


def _slug(video):
    return re.sub(r"[^\w-]+", "-", urlsplit(video).query or urlsplit(video).path).strip("-")[:60]
