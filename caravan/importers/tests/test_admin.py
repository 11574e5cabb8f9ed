"""Settings › Import from WordPress: an administrator uploads the export, the import runs
as a background task and its report is shown."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from caravan.importers.models import ImportRun
from caravan.news.models import NewsPage

from .test_import_wordpress import EXPORT


def test_administrator_imports_from_the_settings_menu(
    admin_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.VAR_DIR = tmp_path
    menu = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Import from WordPress" in menu
    upload = SimpleUploadedFile("northline.xml", EXPORT.read_bytes(), "text/xml")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wordpress_import:start"),
            # A closed port: the pictures cannot be fetched and are reported as skipped.
            {"export": upload, "media_url": "http://127.0.0.1:9"},
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wordpress_import:run", args=[run.pk])
    assert run.status == ImportRun.Status.DONE and run.progress == 100
    assert NewsPage.objects.filter(slug="first-train-to-almaty").exists()
    assert run.report["counts"]["news"]["created"] == 8
    page = admin_client.get(response["Location"]).content.decode()
    assert "Finished" in page and "news: 8 created" in page
    assert not (tmp_path / "imports").is_relative_to(settings.MEDIA_ROOT)


def test_a_file_that_is_not_an_export_gets_a_clear_message(admin_client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8", "image/jpeg")
    response = admin_client.post(reverse("wordpress_import:start"), {"export": upload})
    assert response.status_code == 200
    assert "Choose a .xml file." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_only_administrators_may_import(editor_client):
    assert editor_client.get(reverse("wordpress_import:start")).status_code in (302, 403)
    assert (
        "Import from WordPress"
        not in editor_client.get(reverse("wagtailadmin_home")).content.decode()
    )
