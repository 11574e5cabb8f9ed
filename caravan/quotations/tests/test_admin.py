"""The sales team's screens: the Quotations panel on the lead, making, changing and
sending a quotation, its PDFs, the report; and 403 for everyone outside the inbox."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from caravan.inquiries.models import LeadStatus
from caravan.quotations import services
from caravan.quotations.models import Quotation, Status

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def form_data(valid_until=None, **lines):
    data = {
        "language": "ru",
        "currency": "EUR",
        "incoterm": "CIF",
        "incoterm_place": "Novorossiysk",
        "payment_terms": "L/C at sight",
        "lead_time": "30 days",
        "packaging": "Pallets",
        "valid_until": (valid_until or timezone.localdate() + timedelta(days=14)).isoformat(),
        "discount_percent": "0",
        "notes": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "100",
        "lines-0-description": "DN100 gate valve",
        "lines-0-quantity": "40",
        "lines-0-unit": "pcs",
        "lines-0-unit_price": "99.90",
        "lines-0-discount_percent": "0",
        "lines-1-unit": "pcs",
        "lines-1-discount_percent": "0",
    }
    data.update(lines)
    return data


def test_the_lead_shows_a_quotations_panel(sales_client, lead):
    response = sales_client.get(reverse("inquiry_admin:inspect", args=[lead.pk]))
    panel = BeautifulSoup(response.content, "html.parser").select_one("[data-lead-quotations]")
    assert panel is not None
    assert panel.find("a", href=reverse("quotations_admin:new", args=[lead.pk]))


def test_the_panel_shows_the_buyers_answers(sales_client, lead, make_quotation):
    quotation = services.send_quotation(make_quotation(lead))
    services.ask_for_changes(quotation, message="Please quote CIF Aktau.")
    response = sales_client.get(reverse("inquiry_admin:inspect", args=[lead.pk]))
    html = BeautifulSoup(response.content, "html.parser")
    panel = html.select_one("[data-lead-quotations]")
    assert quotation.number in panel.get_text()
    answers = panel.select_one("[data-buyer-answers]").get_text()
    assert "changes asked for" in answers and "Please quote CIF Aktau." in answers


def test_the_new_quotation_form_starts_from_the_inquiry(sales_client, lead):
    response = sales_client.get(reverse("quotations_admin:new", args=[lead.pk]))
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert html.find("input", attrs={"name": "lines-0-description"})["value"] == (
        "DN100 cast-iron gate valve"
    )
    assert html.find("input", attrs={"name": "lines-0-quantity"})["value"] == "40"


def test_making_and_sending_a_quotation(sales_client, lead):
    response = sales_client.post(reverse("quotations_admin:new", args=[lead.pk]), form_data())
    quotation = Quotation.objects.get(inquiry=lead)
    assert response.status_code == 302
    assert response["Location"] == reverse("quotations_admin:detail", args=[quotation.pk])
    assert quotation.number == f"QT-{YEAR}-0001"
    assert str(quotation.total) == "3996.000"
    assert quotation.language == "ru" and quotation.currency == "EUR"
    detail = sales_client.get(response["Location"])
    assert "EUR 3,996.00" in detail.text
    response = sales_client.post(reverse("quotations_admin:send", args=[quotation.pk]))
    assert response.status_code == 302
    quotation.refresh_from_db()
    lead.refresh_from_db()
    assert quotation.status == Status.SENT and lead.status == LeadStatus.QUOTED
    [email] = mail.outbox
    assert email.subject.startswith(f"Коммерческое предложение QT-{YEAR}-0001")
    detail = BeautifulSoup(sales_client.get(response["Location"]).content, "html.parser")
    assert "/ru/quotation/" in detail.select_one("[data-buyer-url]")["value"]


def test_bad_input_is_explained_not_a_500(sales_client, lead):
    past = timezone.localdate() - timedelta(days=1)
    response = sales_client.post(
        reverse("quotations_admin:new", args=[lead.pk]),
        form_data(valid_until=past, **{"lines-0-quantity": "many"}),
    )
    assert response.status_code == 400
    assert "The validity date is in the past." in response.text
    assert "Enter a number." in response.text
    assert not Quotation.objects.exists()


def test_changing_a_sent_quotation_makes_revision_2(sales_client, lead, make_quotation):
    sent = services.send_quotation(make_quotation(lead))
    response = sales_client.post(
        reverse("quotations_admin:edit", args=[sent.pk]), form_data(**{"lines-0-quantity": "50"})
    )
    revision = Quotation.objects.get(inquiry=lead, revision=2)
    assert response["Location"] == reverse("quotations_admin:detail", args=[revision.pk])
    assert revision.number == f"{sent.number}-R2"
    assert Quotation.objects.get(pk=sent.pk).lines.first().quantity == 40


def test_pdfs_for_the_sales_team(sales_client, lead, make_quotation, pdf_support):
    quotation = services.send_quotation(make_quotation(lead))
    response = sales_client.get(reverse("quotations_admin:pdf", args=[quotation.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    # The proforma comes once the buyer has accepted.
    proforma = reverse("quotations_admin:proforma", args=[quotation.pk])
    assert sales_client.get(proforma).status_code == 302
    services.accept_quotation(quotation, name="Aigerim")
    response = sales_client.get(proforma)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_the_report_counts_sent_accepted_expired_and_value(
    sales_client, lead, make_quotation, sales
):
    accepted = services.send_quotation(make_quotation(lead))
    services.accept_quotation(accepted, name="Aigerim")
    expired = services.send_quotation(make_quotation(lead, currency="EUR"))
    Quotation.objects.filter(pk=expired.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    make_quotation(lead)  # a draft: not counted
    response = sales_client.get(reverse("quotations_admin:report"))
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    summary = html.select_one("[data-quotation-summary]").get_text(" ", strip=True)
    assert "2 sent, 1 accepted, 1 expired" in summary
    assert "Acceptance rate: 50 %" in summary
    month = [td.get_text() for td in html.select("[data-report=months] tbody tr")[0]("td")]
    assert month == [timezone.localdate().strftime("%Y-%m"), "2", "1", "1", "50 %"]
    person = [td.get_text() for td in html.select("[data-report=assignees] tbody tr")[0]("td")]
    assert person[:2] == ["Anna Berg", "2"]
    values = {
        row("td")[0].get_text(): [td.get_text() for td in row("td")[1:]]
        for row in html.select("[data-report=values] tbody tr")
    }
    assert values == {"EUR": ["4,862.10", "0.00"], "USD": ["4,862.10", "4,862.10"]}


def test_editors_without_inbox_permission_get_403_everywhere(editor_client, lead, make_quotation):
    quotation = services.send_quotation(make_quotation(lead))
    urls = [
        reverse("quotations_admin:new", args=[lead.pk]),
        reverse("quotations_admin:detail", args=[quotation.pk]),
        reverse("quotations_admin:edit", args=[quotation.pk]),
        reverse("quotations_admin:pdf", args=[quotation.pk]),
        reverse("quotations_admin:proforma", args=[quotation.pk]),
        reverse("quotations_admin:report"),
    ]
    for url in urls:
        assert editor_client.get(url).status_code == 403, url
    for name in ("send", "resend", "edit"):
        url = reverse(f"quotations_admin:{name}", args=[quotation.pk])
        assert editor_client.post(url, form_data()).status_code == 403, url
    assert (
        editor_client.post(reverse("quotations_admin:new", args=[lead.pk]), form_data()).status_code
        == 403
    )
    assert Quotation.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login(client, lead):
    response = client.get(reverse("quotations_admin:new", args=[lead.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
