"""The quotation and proforma PDFs, read back with pypdf: every script of the five
languages, the totals, the company's details; and one page rendered to an image."""

import io
import re

import pytest

from caravan.quotations import services
from caravan.testing import make_inquiry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pdf_support")]

# What each language's PDF must show: a label in its own script, and the totals.
LABELS = {
    "en": ["Quotation", "Unit price", "Valid until", "pieces"],
    "zh-hans": ["报价单", "单价", "有效期至", "件"],
    "ru": ["Коммерческое предложение", "Цена за единицу", "Действительно до", "шт."],
    "es": ["Cotización", "Precio unitario", "Válida hasta", "piezas"],
    "ar": ["سعر", "الوحدة", "صالح", "الإجمالي"],
}


def pdf_text(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("language", list(LABELS))
def test_the_pdf_speaks_the_buyers_language(language, make_quotation, company):
    lead = make_inquiry(language=language, product_title="DN100 gate valve", quantity=40)
    quotation = make_quotation(lead)
    data = quotation.pdf()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for label in LABELS[language]:
        assert label in text, (language, label)
    # The totals and the number read the same in every language (left to right).
    for figure in ("4,938.00", "180.00", "5,118.00", "255.90", "4,862.10", quotation.number):
        assert figure in text, (language, figure)
    assert company.name in text
    assert "FOB" in text and "Shanghai" in text
    assert "Steppe Water LLP" in text


def test_the_pdf_carries_the_companys_logo(make_quotation, company, lead):
    from pypdf import PdfReader

    assert company.logo_id, "the demo company has a logo"
    reader = PdfReader(io.BytesIO(make_quotation(lead).pdf()))
    assert list(reader.pages[0].images), "no image on the first page"


def test_a_revision_says_what_it_replaces(make_quotation, lead):
    sent = services.send_quotation(make_quotation(lead))
    revision = services.revise_quotation(
        sent,
        lines=[{"description": "Gate valve", "quantity": 40, "unit_price": 120}],
        currency="USD",
        incoterm="FOB",
        valid_until=sent.valid_until,
    )
    text = pdf_text(revision.pdf())
    assert f"{sent.number}-R2" in text
    assert re.search(rf"replaces\s+{sent.number}\.", text)


def test_the_proforma_invoice_prints_the_bank_details(make_quotation, lead, company):
    company.bank_details = "Bank of Xi'an, SWIFT XABKCNBJ, account 6222 0000 1234"
    company.save()
    quotation = services.send_quotation(make_quotation(lead))
    services.accept_quotation(quotation, name="Aigerim Nurlanova", purchase_order="PO-77")
    quotation.refresh_from_db()
    text = pdf_text(quotation.proforma_pdf())
    assert "Proforma invoice" in text
    assert "SWIFT XABKCNBJ" in text and "PO-77" in text
    assert "4,862.10" in text


def test_an_arabic_page_renders_to_an_image(make_quotation, tmp_path):
    """The first page of an Arabic quotation as a PNG (tmp_path keeps it for a look):
    the page is drawn, and its right half carries ink (right-to-left layout)."""
    import pypdfium2

    lead = make_inquiry(language="ar", product_title="DN100 gate valve", quantity=40)
    document = pypdfium2.PdfDocument(make_quotation(lead).pdf())
    image = document[0].render(scale=1).to_pil().convert("L")
    image.save(tmp_path / "quotation-ar.png")
    width, height = image.size
    title_band = image.crop((0, int(height * 0.18), width, int(height * 0.25)))
    left = title_band.crop((0, 0, width // 3, title_band.height))
    right = title_band.crop((2 * width // 3, 0, width, title_band.height))
    # The title sits on the right in Arabic: more dark pixels there than on the left.
    dark = lambda part: sum(1 for value in part.get_flattened_data() if value < 128)  # noqa: E731
    assert dark(right) > dark(left)
