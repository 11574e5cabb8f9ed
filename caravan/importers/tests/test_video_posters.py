"""The posters of imported YouTube and Vimeo videos: the export's own where it has one,
the provider's thumbnail only when the operator asks (--fetch-posters), from the
allowed hosts only. A local HTTP server stands in for YouTube and Vimeo (the settings
point the thumbnail and oEmbed addresses at it)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from caravan.core.models import CaravanImage
from caravan.importers.wordpress import WordPressImport
from caravan.news.models import NewsPage

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "northline.wordpress.xml"
UPLOADS = FIXTURES / "uploads"
YOUTUBE = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
VIMEO = "https://vimeo.com/76979871"


def picture(width, height, kind="JPEG"):
    buffer = BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, kind)
    return buffer.getvalue()


class Provider:
    """What the stand-in answers, per path, and which paths were asked for."""

    def __init__(self):
        self.answers = {}
        self.asked = []


@pytest.fixture
def provider(settings):
    state = Provider()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state.asked.append(self.path)
            body, content_type = state.answers.get(self.path.split("?")[0], (None, ""))
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CARAVAN_YOUTUBE_THUMBNAIL_URL = base + "/vi/{id}/hqdefault.jpg"
    settings.CARAVAN_VIMEO_OEMBED_URL = base + "/api/oembed.json?url={url}"
    settings.CARAVAN_VIDEO_POSTER_HOSTS = ["127.0.0.1"]
    state.base = base
    state.answers["/vi/aqz-KE-bpKQ/hqdefault.jpg"] = (picture(480, 360), "image/jpeg")
    state.answers["/api/oembed.json"] = (
        json.dumps({"type": "video", "thumbnail_url": base + "/vimeo/76979871.webp"}).encode(),
        "application/json",
    )
    state.answers["/vimeo/76979871.webp"] = (picture(640, 360, "WEBP"), "image/webp")
    yield state
    server.shutdown()
    server.server_close()


def run(**options):
    return WordPressImport(EXPORT, media_dir=UPLOADS, **options).run()


def video(slug):
    page = NewsPage.objects.get(slug=slug, locale__language_code="en")
    return next(block.value for block in page.body if block.block_type == "video")


def test_without_the_flag_nothing_is_fetched_and_the_featured_image_is_the_poster(db, provider):
    report = run()
    assert provider.asked == []
    almaty = NewsPage.objects.get(slug="first-train-to-almaty", locale__language_code="en")
    assert video("first-train-to-almaty")["poster"] == almaty.hero_image
    assert video("canton-fair-2024")["poster"] is None  # no featured image: reported
    assert any(VIMEO in entry for entry in report.lists["videos_without_poster"])
    assert any("without a poster" in line for line in report.lines())


def test_fetch_posters_from_youtube_and_vimeo_once(db, provider):
    report = run(fetch_posters=True)
    youtube, vimeo = video("first-train-to-almaty")["poster"], video("canton-fair-2024")["poster"]
    assert (youtube.width, youtube.height) == (480, 360)
    assert (vimeo.width, vimeo.height) == (640, 360)
    assert report.lists["videos_without_poster"] == []
    assert report.counts["posters"]["created"] == 2
    assert "/vi/aqz-KE-bpKQ/hqdefault.jpg" in provider.asked
    oembed = next(path for path in provider.asked if path.startswith("/api/oembed.json"))
    assert "vimeo.com%2F76979871" in oembed
    asked, images = len(provider.asked), CaravanImage.objects.count()
    again = run(fetch_posters=True)
    assert len(provider.asked) == asked  # each poster once, however often it is imported
    assert CaravanImage.objects.count() == images
    assert not again.counts["posters"]
    run()  # a later run without the option keeps the posters an earlier one fetched
    assert video("canton-fair-2024")["poster"] == vimeo
    assert len(provider.asked) == asked


def test_the_command_fetches_posters_only_with_the_flag(db, provider):
    call_command("import_wordpress", str(EXPORT), media_dir=str(UPLOADS), stdout=StringIO())
    assert provider.asked == []
    stdout = StringIO()
    call_command(
        "import_wordpress",
        str(EXPORT),
        media_dir=str(UPLOADS),
        fetch_posters=True,
        stdout=stdout,
    )
    assert video("canton-fair-2024")["poster"].width == 640
    assert "without a poster" not in stdout.getvalue()


def test_posters_only_from_allowed_hosts_and_only_pictures(db, provider):
    provider.answers["/api/oembed.json"] = (
        json.dumps({"thumbnail_url": "http://169.254.169.254/latest/meta-data"}).encode(),
        "application/json",
    )
    provider.answers["/vi/aqz-KE-bpKQ/hqdefault.jpg"] = (b"<html>not a picture</html>", "text/html")
    report = run(fetch_posters=True)
    assert video("canton-fair-2024")["poster"] is None
    almaty = NewsPage.objects.get(slug="first-train-to-almaty", locale__language_code="en")
    assert video("first-train-to-almaty")["poster"] == almaty.hero_image  # the fallback
    refused = " ".join(report.lists["posters_not_fetched"])
    assert "169.254.169.254" in refused and "not a picture" in refused
    assert not any(path.startswith("/latest") for path in provider.asked)


def test_a_poster_named_in_the_export_is_used(db, provider, tmp_path):
    text = (
        EXPORT.read_text()
        .replace(
            "[embed]https://vimeo.com/76979871[/embed]",
            '[video src="https://vimeo.com/76979871" '
            'poster="http://127.0.0.1:8089/wp-content/uploads/2024/03/crate.jpg"]',
        )
        .replace(
            '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=aqz-KE-bpKQ",',
            '<!-- wp:embed {"posterId":8,"url":"https://www.youtube.com/watch?v=aqz-KE-bpKQ",',
        )
    )
    export = tmp_path / "export.xml"
    export.write_text(text)
    WordPressImport(export, media_dir=UPLOADS, fetch_posters=True).run()
    assert video("canton-fair-2024")["poster"].title == "Export crate"  # [video poster=...]
    assert video("first-train-to-almaty")["poster"].title == "Flange"  # the block's posterId
    assert provider.asked == []


def test_the_administrator_may_ask_for_posters(
    admin_client, provider, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.VAR_DIR = tmp_path
    form = admin_client.get(reverse("wordpress_import:start")).content.decode()
    assert "Fetch the videos&#x27; posters from YouTube and Vimeo" in form
    upload = SimpleUploadedFile("northline.xml", EXPORT.read_bytes(), "text/xml")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("wordpress_import:start"),
            {"export": upload, "media_url": "http://127.0.0.1:9", "fetch_posters": "on"},
        )
    assert video("first-train-to-almaty")["poster"].width == 480
    assert video("canton-fair-2024")["poster"].width == 640
