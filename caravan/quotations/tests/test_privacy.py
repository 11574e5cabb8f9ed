"""A buyer's quotations in the inbox's privacy actions: "Export everything about this
contact" includes them (numbers, dates, lines, totals, status, the buyer's answers),
and "Erase everything about this contact" erases them with the leads."""

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from caravan.inquiries import privacy
from caravan.inquiries.models import Inquiry
from caravan.quotations.models import Quotation, QuotationEmail, QuotationLine, Status
from caravan.testing import make_inquiry

pytestmark = pytest.mark.django_db
INBOX = "/admin/inquiries/"


def test_the_contacts_export_includes_their_quotations(sales_client, lead, make_quotation):
    quotation = make_quotation(lead)
    Quotation.objects.filter(pk=quotation.pk).update(
        status=Status.ACCEPTED,
        sent_at=timezone.now(),
        accepted_at=timezone.now(),
        accepted_by_name="Aigerim Sadykova",
        purchase_order="PO-7781",
    )
    QuotationEmail.objects.create(
        quotation=quotation, kind=QuotationEmail.Kind.CHANGES, text="Please quote 50 pieces."
    )
    other = make_quotation(
        make_inquiry(contact="someone.else@example.com", product_title="Flange", quantity=5)
    )

    response = sales_client.get(f"{INBOX}inspect/{lead.pk}/contact-export/")
    data = json.loads(response.content)
    [row] = data["quotations"]
    assert row["number"] == quotation.number != other.number
    assert row["inquiry"] == lead.reference
    assert row["status"] == "accepted" and row["accepted_by"] == "Aigerim Sadykova"
    assert row["purchase_order"] == "PO-7781"
    assert row["valid_until"] == quotation.valid_until.isoformat()
    assert [line["description"] for line in row["lines"]][1] == "EPDM flange gasket DN100"
    assert Decimal(row["lines"][1]["amount"]) == Decimal("180.00")
    assert Decimal(row["total"]) == quotation.total and row["currency"] == "USD"
    assert row["emails"][0]["text"] == "Please quote 50 pieces."


def test_erasing_the_contact_erases_their_quotations(sales_client, lead, make_quotation):
    make_quotation(lead)
    make_quotation(lead)
    kept = make_quotation(
        make_inquiry(contact="someone.else@example.com", product_title="Flange", quantity=5)
    )

    sales_client.post(f"{INBOX}inspect/{lead.pk}/contact-erase/")
    assert not Inquiry.objects.filter(pk=lead.pk).exists()
    assert list(Quotation.objects.all()) == [kept]
    assert set(QuotationLine.objects.values_list("quotation", flat=True)) == {kept.pk}
    assert privacy.erase_contact(kept.inquiry) == {"inquiries": 1, "tasks": 0, "quotations": 1}
    assert not Quotation.objects.exists()
