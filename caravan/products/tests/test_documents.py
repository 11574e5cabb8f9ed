"""Datasheets and manuals are served by Django (WAGTAILDOCS_SERVE_METHOD = serve_view)
as downloads with a content type fixed by their extension: never rendered inside the
site's origin, never sniffed into HTML."""

import pytest
from django.conf import settings

from caravan.testing import make_document, make_product

pytestmark = pytest.mark.django_db


def fetch(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_a_pdf_datasheet_is_downloaded_as_a_pdf(client):
    document = make_document("Pump datasheet", "pump-datasheet.pdf")
    product = make_product("Datasheet pump", documents=[document])
    page = client.get(product.url).content.decode()
    assert f'href="{document.url}" download' in page
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    response, body = fetch(client, document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="pump-datasheet.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")
    assert not response.cookies


def test_markup_in_an_allowed_text_file_stays_plain_text(client):
    document = make_document(
        "Installation notes",
        "installation-notes.txt",
        b"<html><script>alert(document.cookie)</script></html>",
    )
    response, body = fetch(client, document.url)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_document_url_with_a_wrong_file_name_is_not_served(client):
    document = make_document("Manual", "manual.pdf")
    assert client.get(f"/documents/{document.pk}/other.pdf").status_code == 404


def test_the_upload_form_refuses_web_page_files():
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model()(title="Not a datasheet")
    document.file.save("page.html", ContentFile(b"<script>alert(1)</script>"), save=False)
    with pytest.raises(ValidationError, match="extension “html” is not allowed"):
        document.full_clean()
