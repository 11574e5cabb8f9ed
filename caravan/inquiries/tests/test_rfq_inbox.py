"""A request for quotation in the inbox: the lead shows its lines, terms and files; the
files are downloaded only by the sales team and never while the lead is flagged as spam;
filters, reports, exports and assignment read every line; erasure and backups include the
files; the notification lists them and goes out once even when the mail server was down."""

import csv
import io
import json
import tarfile

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from caravan.inquiries.models import AssignmentRule, DeliveryStatus, Inquiry, InquiryAttachment
from caravan.inquiries.tests.test_delivery import Clock, by_kind, deliver_tasks, run_worker
from caravan.inquiries.tests.test_rfq import PDF, request_data
from caravan.testing import SmtpServer, post_inquiry

pytestmark = pytest.mark.django_db

INBOX = "/admin/inquiries/"


@pytest.fixture
def second_product(product):
    from caravan.testing import make_product

    return make_product(
        title="DN150 butterfly valve", slug="dn150-butterfly", index=product.get_parent()
    )


def send_request(client, product, second_product, **fields):
    data = request_data(
        {"product": product.pk, "quantity": "40", "note": "PN16"},
        {"product": second_product.pk, "quantity": "2", "unit": "tonne"},
        destination_place="Almaty",
        incoterm="CIP",
        target_price="1250",
        currency="USD",
        **fields,
    )
    data["attachments"] = [SimpleUploadedFile("Valve drawing.pdf", PDF)]
    response = post_inquiry(client, data)
    assert response.status_code == 303, response.content[:2000]
    return Inquiry.objects.get()


def file_url(inquiry):
    attachment = inquiry.files.get()
    return reverse("inquiry_mail:inquiry_file", args=[inquiry.pk, attachment.pk])


def test_the_lead_shows_lines_terms_and_files(client, sales_client, product, second_product):
    inquiry = send_request(client, product, second_product)
    page = BeautifulSoup(sales_client.get(f"{INBOX}inspect/{inquiry.pk}/").content, "html.parser")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in page.select("[data-lead-lines] tbody tr")
    ]
    assert rows[0][1:] == [product.title, "40", "pieces", "PN16"]
    assert rows[1][1:] == [second_product.title, "2", "tonnes", ""]
    assert page.select_one("[data-lead-lines] a")["href"].endswith(
        product.url_path.split("/", 2)[-1]
    )
    terms = page.select_one("[data-lead-terms]").get_text(" ", strip=True)
    assert "Almaty" in terms and "CIP" in terms and "1250.00 USD" in terms
    link = page.select_one("[data-lead-files] a")
    assert link.get_text() == "Valve drawing.pdf" and link["href"] == file_url(inquiry)


def test_a_file_is_refused_to_visitors_and_editors_and_downloaded_by_sales(
    client, product, second_product, editor_client, sales_client
):
    inquiry = send_request(client, product, second_product)
    url = file_url(inquiry)
    anonymous = client.get(url)
    assert anonymous.status_code in (302, 403) and b"%PDF" not in anonymous.content
    if anonymous.status_code == 302:
        assert "/login/" in anonymous["Location"]
    editor = editor_client.get(url)
    assert editor.status_code in (302, 403) and b"%PDF" not in b"".join(editor)
    response = sales_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "Valve drawing.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == PDF


def test_the_files_are_not_in_the_public_media(client, product, second_product, settings):
    inquiry = send_request(client, product, second_product)
    stored = inquiry.files.get().file
    assert stored.storage is storages["private"]
    assert not stored.path.startswith(str(settings.MEDIA_ROOT))
    assert client.get(f"{settings.MEDIA_URL}{stored.name}").status_code == 404


def test_files_of_suspected_spam_are_quarantined_until_marked_not_spam(client, sales_client):
    data = request_data({"note": "Cheap SEO"}, website="http://spam.example")  # the honeypot
    data["attachments"] = [SimpleUploadedFile("offer.pdf", PDF)]
    assert post_inquiry(client, data).status_code == 303
    inquiry = Inquiry.objects.get()
    assert inquiry.is_spam
    page = sales_client.get(f"{INBOX}inspect/{inquiry.pk}/").content.decode()
    assert "Quarantined" in page
    assert file_url(inquiry) not in page
    refused = sales_client.get(file_url(inquiry))
    assert refused.status_code == 403 and b"quarantined" in refused.content
    sales_client.post(f"{INBOX}inspect/{inquiry.pk}/not-spam/")
    inquiry.refresh_from_db()
    assert not inquiry.is_spam
    response = sales_client.get(file_url(inquiry))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_product_filter_sources_report_and_assignment_read_every_line(
    client, sales_client, sales, product, second_product
):
    from caravan.products.models import ProductCategory

    category = ProductCategory.objects.filter(locale__language_code="en").first()
    second_product.categories.add(category)
    second_product.save_revision().publish()
    product.categories.remove(category)
    product.save_revision().publish()
    AssignmentRule.objects.all().delete()
    AssignmentRule.objects.create(category=category, assignee=sales)
    inquiry = send_request(client, product, second_product)
    assert inquiry.assignee == sales  # the second line's product's category
    listed = sales_client.get(f"{INBOX}results/?product={second_product.pk}").content.decode()
    assert inquiry.reference in listed
    report = BeautifulSoup(
        sales_client.get(f"{INBOX}reports/sources/").content, "html.parser"
    ).get_text(" ", strip=True)
    assert product.title in report and second_product.title in report


def test_export_one_row_per_line(client, sales_client, product, second_product):
    inquiry = send_request(client, product, second_product)
    response = sales_client.get(f"{INBOX}?export=csv&rows=lines")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["Reference"] == inquiry.reference]
    assert [
        (r["Line"], r["Line: product"], r["Line: quantity"], r["Line: unit"]) for r in rows
    ] == [
        ("1", product.title, "40", "pieces"),
        ("2", second_product.title, "2", "tonnes"),
    ]
    plain = b"".join(sales_client.get(f"{INBOX}?export=csv").streaming_content).decode("utf-8-sig")
    assert sum(inquiry.reference in line for line in plain.splitlines()) == 1


def test_a_quotation_starts_from_the_lines(client, product, second_product):
    from caravan.quotations.services import initial_lines

    inquiry = send_request(client, product, second_product)
    lines = initial_lines(inquiry)
    assert [(line["product"], line["quantity"], line["unit"]) for line in lines] == [
        (product, 40, "pcs"),
        (second_product, 2, "t"),
    ]
    assert "PN16" in lines[0]["description"]


def test_erasing_the_contact_removes_its_files(
    client, sales_client, product, second_product, django_capture_on_commit_callbacks
):
    inquiry = send_request(client, product, second_product)
    name = inquiry.files.get().file.name
    private = storages["private"]
    assert private.exists(name)
    exported = json.loads(sales_client.get(f"{INBOX}inspect/{inquiry.pk}/contact-export/").content)
    assert exported["inquiries"][0]["files"][0]["name"] == "Valve drawing.pdf"
    assert len(exported["inquiries"][0]["lines"]) == 2
    with django_capture_on_commit_callbacks(execute=True):
        sales_client.post(f"{INBOX}inspect/{inquiry.pk}/contact-erase/")
    assert not Inquiry.objects.exists() and not InquiryAttachment.objects.exists()
    assert not private.exists(name)


def test_retention_removes_old_leads_with_their_files(
    client, product, second_product, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from caravan.inquiries.privacy import purge_expired

    inquiry = send_request(client, product, second_product)
    name = inquiry.files.get().file.name
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=timezone.now() - timedelta(days=4000))
    with django_capture_on_commit_callbacks(execute=True):
        purge_expired()
    assert not storages["private"].exists(name)


def test_a_backup_holds_the_files_and_their_rows(client, product, second_product, tmp_path):
    from caravan.operations import backup

    inquiry = send_request(client, product, second_product)
    stored = inquiry.files.get()
    archive_path = tmp_path / "backup.tar.gz"
    backup.write_backup(archive_path)
    with tarfile.open(archive_path) as archive:
        assert archive.extractfile(f"private/{stored.file.name}").read() == PDF
        data = archive.extractfile("data.jsonl").read().decode()
    assert '"inquiries.inquiryattachment"' in data and "Valve drawing.pdf" in data
    assert '"inquiries.inquiryline"' in data


def test_smtp_down_then_up_the_notification_lists_the_files_and_goes_out_once(
    client, settings, monkeypatch, product, second_product
):
    from django.utils import timezone

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock.now)
    smtp = SmtpServer()  # not started: nothing listens on its port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp.port, 5
    inquiry = send_request(client, product, second_product)

    run_worker()
    inquiry.refresh_from_db()
    assert inquiry.notification_status == DeliveryStatus.PENDING
    assert inquiry.files.count() == 1  # the files wait with the lead

    with smtp:
        clock.advance_to(deliver_tasks("READY").get().run_after)
        run_worker()
        run_worker()
        inquiry.refresh_from_db()
        assert inquiry.notification_status == DeliveryStatus.SENT
        notification, _autoreply = by_kind(smtp, inquiry)
    assert len(notification) == 1
    message = notification[0]["message"]
    assert not any(part.get_filename() for part in message.walk())  # no file attached
    body = message.get_body(("plain",)).get_content()
    assert "Valve drawing.pdf" in body and f"/admin/inquiries/inspect/{inquiry.pk}/" in body
    assert "2 tonnes" in body


def test_the_inbox_list_names_every_product_of_a_request(
    client, sales_client, product, second_product
):
    from caravan.testing import make_product

    third = make_product(title="DN200 check valve", slug="dn200-check", index=product.get_parent())
    data = request_data(
        {"product": product.pk, "quantity": "40"},
        {"product": second_product.pk, "quantity": "2"},
        {"product": third.pk, "quantity": "5"},
    )
    assert post_inquiry(client, data).status_code == 303
    single = post_inquiry(client, request_data({"product": second_product.pk, "quantity": "1"}))
    assert single.status_code == 303
    page = BeautifulSoup(sales_client.get(INBOX).content, "html.parser")
    cells = sorted(td.get_text(strip=True) for td in page.select("tbody td[dir=auto]"))
    assert f"{product.title}, {second_product.title} and 1 more" in cells
    assert second_product.title in cells
