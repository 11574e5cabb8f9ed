"""A request for quotation: several product lines, the buyer's terms and files, sent from
the inquiry page without JavaScript; how lines and files are checked, and the limit that
keeps a huge body from ever being read."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from caravan.inquiries import uploads
from caravan.inquiries.models import Inquiry, InquiryAttachment
from caravan.testing import inquiry_data, post_inquiry

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def items(*lines, total=None):
    """The formset's fields for these lines ({product, quantity, unit, note})."""
    data = {
        "items-TOTAL_FORMS": str(total if total is not None else len(lines)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
    }
    for n, line in enumerate(lines):
        for key in ("product", "quantity", "unit", "note"):
            data[f"items-{n}-{key}"] = str(line.get(key, ""))
    return data


def request_data(*lines, **fields):
    data = inquiry_data(product=None, quantity=None, **fields)
    data.update(items(*lines))
    return data


def pdf_file(name="drawing.pdf", size=None):
    content = PDF if size is None else PDF + b"0" * (size - len(PDF))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def second_product(product):
    from caravan.testing import make_product

    return make_product(
        title="DN150 butterfly valve", slug="dn150-butterfly", index=product.get_parent()
    )


# The page without JavaScript ---------------------------------------------------------------


def test_the_page_offers_three_product_rows_a_row_template_and_a_file_input(client, product):
    page = soup(client.get(f"/en/inquiry/?product={product.pk}&quantity=40"))
    form = page.select_one("form.inquiry-form")
    assert form["enctype"] == "multipart/form-data"
    assert page.select_one("input[name=items-TOTAL_FORMS]")["value"] == "3"
    rows = page.select("#inquiry-items fieldset.inquiry-item")
    assert len(rows) == 3
    chosen = rows[0].select_one("select[name=items-0-product] option[selected]")
    assert chosen["value"] == str(product.pk)
    assert chosen["data-key"] == str(product.translation_key)
    assert rows[0].select_one("input[name=items-0-quantity]")["value"] == "40"
    assert not rows[1].select_one("select[name=items-1-product] option[selected]")
    units = [o["value"] for o in rows[0].select("select[name=items-0-unit] option")]
    assert units[:3] == ["piece", "set", "pair"] and "container_40" in units
    template = page.select_one("template#inquiry-item-template")
    assert "items-__prefix__-product" in template.decode_contents()
    file_input = page.select_one("input[type=file][name=attachments]")
    assert file_input.has_attr("multiple")
    incoterms = [o["value"] for o in page.select("select[name=incoterm] option")]
    assert incoterms == ["", "EXW", "FCA", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP"]


def test_three_lines_terms_and_a_file_become_a_lead_and_the_confirmation_lists_them(
    client, product, second_product
):
    data = request_data(
        {"product": product.pk, "quantity": "40", "unit": "piece", "note": "PN16"},
        {"product": second_product.pk, "quantity": "2,5", "unit": "tonne"},
        {"note": "Flange gaskets to match", "quantity": "80", "unit": "set"},
        destination_country="KZ",
        destination_place="Almaty",
        incoterm="CIP",
        target_price="1 250.50",
        currency="usd",
        samples_wanted="on",
        needed_by="2027-03-31",
    )
    data["attachments"] = [pdf_file("Valve drawing.pdf"), SimpleUploadedFile("photo.png", PNG)]
    response = post_inquiry(client, data)
    assert response.status_code == 303
    assert not response.cookies
    inquiry = Inquiry.objects.get()
    lines = list(inquiry.lines.all())
    assert [
        (line.product_id, str(line.quantity_display), line.unit, line.note) for line in lines
    ] == [
        (product.pk, "40", "piece", "PN16"),
        (second_product.pk, "2.5", "tonne", ""),
        (None, "80", "set", "Flange gaskets to match"),
    ]
    assert inquiry.product == product and inquiry.quantity == 40
    assert (inquiry.destination_country, inquiry.destination_place, inquiry.incoterm) == (
        "KZ",
        "Almaty",
        "CIP",
    )
    assert str(inquiry.target_price) == "1250.50" and inquiry.currency == "USD"
    assert inquiry.samples_wanted and str(inquiry.needed_by) == "2027-03-31"
    files = list(inquiry.files.all())
    assert [(f.filename, f.content_type, f.size) for f in files] == [
        ("Valve drawing.pdf", "application/pdf", len(PDF)),
        ("photo.png", "image/png", len(PNG)),
    ]
    assert files[0].file.read() == PDF
    assert not files[0].file.name.startswith("/")
    confirmation = soup(client.get(response["Location"]))
    listed = [li.get_text(" ", strip=True) for li in confirmation.select("[data-inquiry-lines] li")]
    assert listed[0].startswith(product.title) and "40" in listed[0]
    assert listed[1].startswith(second_product.title) and "2.5 tonnes" in listed[1]
    assert "Flange gaskets to match" in listed[2] and "80 sets" in listed[2]
    assert "Valve drawing.pdf" in confirmation.select_one(".inquiry-done__files").get_text()


def test_the_single_product_post_still_works_as_one_line(client, product):
    response = post_inquiry(client, inquiry_data(product=str(product.pk), quantity="40"))
    assert response.status_code == 303
    line = Inquiry.objects.get().lines.get()
    assert (line.product, line.quantity, line.unit) == (product, 40, "piece")


# Lines -------------------------------------------------------------------------------------


def test_empty_rows_are_ignored(client, product):
    data = request_data({}, {"product": product.pk, "quantity": "3"}, {"unit": "kilogram"})
    assert post_inquiry(client, data).status_code == 303
    assert [line.product for line in Inquiry.objects.get().lines.all()] == [product]


def test_fifty_one_lines_are_refused_with_a_message_and_every_row_kept(client):
    lines = [{"note": f"Item {n}", "quantity": "1"} for n in range(51)]
    response = post_inquiry(client, request_data(*lines))
    assert response.status_code == 400
    assert not Inquiry.objects.exists()
    page = soup(response)
    message = page.select_one("[data-error-for=items]").get_text()
    assert "at most 50 lines" in message and "51" in message
    assert page.select_one("input[name=items-50-note]")["value"] == "Item 50"
    assert page.select_one("textarea[name=message]").get_text().startswith("Please quote")


def test_fifty_lines_are_accepted(client):
    lines = [{"note": f"Item {n}", "quantity": "1"} for n in range(50)]
    assert post_inquiry(client, request_data(*lines)).status_code == 303
    assert Inquiry.objects.get().lines.count() == 50


@pytest.mark.parametrize("quantity", ["many", "-3", "0", "10000000000000"])
def test_an_invalid_quantity_is_marked_on_its_row(client, product, quantity):
    data = request_data(
        {"product": product.pk, "quantity": "5"}, {"note": "Bolts", "quantity": quantity}
    )
    response = post_inquiry(client, data)
    assert response.status_code == 400
    assert not Inquiry.objects.exists()
    page = soup(response)
    error = page.select_one("#id_items-1-quantity-error")
    assert error and "quantity" in error.get_text().lower()
    assert page.select_one("input[name=items-1-note]")["value"] == "Bolts"
    assert page.select_one("input[name=items-1-quantity]")["value"] == quantity
    row0 = page.select_one("select[name=items-0-product] option[selected]")
    assert row0["value"] == str(product.pk)


def test_a_line_needs_a_product_or_a_note(client):
    response = post_inquiry(client, request_data({"quantity": "5", "unit": "box"}), as_json=True)
    assert response.status_code == 400
    assert (
        "Choose a product or describe the item" in response.json()["errors"]["items-0-product"][0]
    )


def test_bad_terms_get_messages(client):
    data = request_data(
        {"note": "Valves"}, target_price="cheap", currency="XXQ", needed_by="31/03/2027"
    )
    errors = post_inquiry(client, data, as_json=True).json()["errors"]
    assert set(errors) >= {"target_price", "currency", "needed_by"}


# Files -------------------------------------------------------------------------------------


def post_files(client, files, as_json=False):
    data = request_data({"note": "Valves", "quantity": "4"})
    data["attachments"] = files
    return post_inquiry(client, data, as_json=as_json)


def test_six_files_are_refused_and_the_form_is_kept(client):
    response = post_files(client, [pdf_file(f"d{n}.pdf") for n in range(6)])
    assert response.status_code == 400
    assert not Inquiry.objects.exists()
    page = soup(response)
    errors = page.select_one("[data-error-for=attachments]").get_text(" ")
    assert "at most 5 files" in errors and "choose your files again" in errors.lower()
    assert page.select_one("input[name=items-0-note]")["value"] == "Valves"


def test_a_file_over_10_mb_is_refused(client):
    response = post_files(client, [pdf_file("big.pdf", size=11 * MB)], as_json=True)
    assert response.status_code == 400
    message = response.json()["errors"]["attachments"][0].replace("\xa0", " ")
    assert "big.pdf" in message and "11.0 MB" in message and "10.0 MB" in message
    assert not Inquiry.objects.exists() and not InquiryAttachment.objects.exists()


def test_more_than_25_mb_together_is_refused(client):
    files = [pdf_file(f"part{n}.pdf", size=int(8.5 * MB)) for n in range(3)]
    response = post_files(client, files, as_json=True)
    assert response.status_code == 400
    assert any("together" in m for m in response.json()["errors"]["attachments"])
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,  # a Windows program
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    ],
)
def test_a_pdf_that_is_really_something_else_is_refused(client, content):
    response = post_files(client, [SimpleUploadedFile("drawing.pdf", content)], as_json=True)
    assert response.status_code == 400
    assert "not a kind of file we accept" in response.json()["errors"]["attachments"][0]
    assert not Inquiry.objects.exists()


def test_an_empty_file_is_refused(client):
    response = post_files(client, [SimpleUploadedFile("empty.pdf", b"")], as_json=True)
    assert response.status_code == 400
    assert "empty" in response.json()["errors"]["attachments"][0]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.dwg", b"AC1032\x00\x00\x00\x00" + b"\x01" * 100, uploads.DWG),
        ("a.dxf", b"  0\nSECTION\n  2\nHEADER\n", uploads.DXF),
        ("a.step", b"ISO-10303-21;\nHEADER;\n", uploads.STEP),
        ("a.igs", b" " * 72 + b"S      1\n", uploads.IGES),
        ("a.csv", b"item;quantity\nvalve;40\n", uploads.CSV),
        ("a.gif", b"GIF89a" + b"\x00" * 20, uploads.GIF),
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, uploads.JPEG),
        ("a.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ", uploads.WEBP),
    ],
)
def test_the_kinds_accepted_are_read_from_the_content(name, content, kind):
    assert uploads.detect_kind(SimpleUploadedFile("renamed.bin", content)) == kind


def test_a_zip_and_a_spreadsheet_are_told_apart_by_their_contents():
    import zipfile

    def archive(names):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            for name in names:
                z.writestr(name, "x")
        return SimpleUploadedFile("file.zip", buffer.getvalue())

    assert uploads.detect_kind(archive(["[Content_Types].xml", "xl/workbook.xml"])) == uploads.XLSX
    assert uploads.detect_kind(archive(["drawings/a.dxf"])) == uploads.ZIP
    assert uploads.detect_kind(SimpleUploadedFile("x.zip", b"PK\x03\x04broken")) is None


class CountingInput(io.RawIOBase):
    """A request body of `size` bytes made on demand; counts what the server reads."""

    def __init__(self, size, prefix=b"", suffix=b""):
        self.size = size
        self.prefix = prefix
        self.suffix = suffix
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        left = self.size - self.read_bytes
        if left <= 0:
            return 0
        start = self.read_bytes
        tail = self.size - len(self.suffix)
        if start < tail:
            n = min(len(buffer), tail - start, 64 * 1024)
            chunk = self.prefix[start : start + n] if start < len(self.prefix) else b""
            chunk = chunk + b"0" * (n - len(chunk))
        else:
            chunk = self.suffix[start - tail : start - tail + len(buffer)]
            n = len(chunk)
        buffer[:n] = chunk
        self.read_bytes += n
        return n


def call_wsgi(body, length):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/en/inquiry/",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "multipart/form-data; boundary=BOUNDARY",
        "CONTENT_LENGTH": str(length),
        "HTTP_HOST": "testserver",
        "HTTP_ORIGIN": "http://testserver",
        "wsgi.input": body,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    status = {}

    def start_response(line, headers, exc_info=None):
        status["line"] = line

    # As Django's test client does: the request must not close the test's database
    # connection (on PostgreSQL it holds the test's transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, start_response)
        content = b"".join(response)
        response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return status["line"], content


def test_a_1_gb_body_is_refused_before_it_is_read(client):
    body = CountingInput(1024 * MB)
    status, content = call_wsgi(body, 1024 * MB)
    assert status.startswith("413")
    assert body.read_bytes == 0
    assert "larger than 25.0 MB" in content.decode().replace("\xa0", " ")
    assert not Inquiry.objects.exists()


def test_a_body_within_the_limit_whose_one_file_is_too_large_gets_the_form_back(client):
    prefix = (
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="attachments"; filename="huge.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    )
    suffix = b"\r\n--BOUNDARY--\r\n"
    length = uploads.MAX_BODY_SIZE  # announced within the limit, but one file fills it
    body = CountingInput(length, prefix, suffix)
    status, content = call_wsgi(body, length)
    assert status.startswith("400")
    assert "huge.pdf" in content.decode() and "at most 10.0" in content.decode()
    assert body.read_bytes <= length
    assert not Inquiry.objects.exists()


def test_the_upload_handler_stops_reading_files_past_the_limit():
    handler = uploads.LimitedUploadHandler()
    chunk = b"0" * MB
    for start in range(0, uploads.MAX_BODY_SIZE, MB):
        assert handler.receive_data_chunk(chunk, start) == chunk
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(chunk, uploads.MAX_BODY_SIZE)
    assert handler.too_large


def test_the_shipped_nginx_configuration_admits_an_inquiry_body_up_to_the_apps_limit():
    import re
    from pathlib import Path

    site = (Path(__file__).resolve().parents[3] / "deploy/nginx/caravan.conf").read_text()
    block = site[site.index("location ~ ^/[^/]+/inquiry/$") :]
    size = re.search(r"client_max_body_size (\d+)m;", block).group(1)
    assert int(size) * MB == uploads.MAX_BODY_SIZE
