"""The buyer's page: opened from the signed link without an account or cookie, in the
buyer's language; accept, ask for changes, expiry, forged links, caching and indexing."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone

from caravan.inquiries.models import LeadEvent, LeadStatus
from caravan.quotations import services
from caravan.quotations.links import token_for
from caravan.quotations.models import Quotation, Status
from caravan.testing import make_inquiry

pytestmark = pytest.mark.django_db
ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def sent(lead, make_quotation):
    quotation = services.send_quotation(make_quotation(lead))
    mail.outbox.clear()
    return quotation


def page(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_link_opens_the_quotation_without_account_or_cookie(client, sent):
    url = sent.buyer_url(full=False)
    assert url.startswith("/en/quotation/")
    response = client.get(url)
    assert response.status_code == 200
    html = page(response)
    assert sent.number in html.h1.get_text()
    assert "4,862.10" in html.select_one("[data-total]").get_text()
    assert "DN100 cast-iron gate valve" in response.text
    assert not response.cookies, "the buyer's page sets no cookie"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "same-origin", "the token is not sent to other sites"
    assert html.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    assert html.find("meta", attrs={"name": "viewport"}), "laid out for phones"


def test_the_pdf_link_answers_with_the_pdf(client, sent, pdf_support):
    response = client.get(sent.buyer_url(full=False) + "pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", ["报价单", "接受此报价", "有效期至"]),
        ("ru", ["Коммерческое предложение", "Принять предложение"]),
        ("es", ["Cotización", "Aceptar esta cotización"]),
        ("ar", ["عرض سعر", "قبول عرض السعر هذا"]),
    ],
)
def test_the_page_speaks_the_buyers_language(client, make_quotation, language, words):
    lead = make_inquiry(language=language, product_title="DN100 gate valve", quantity=4)
    quotation = services.send_quotation(make_quotation(lead))
    url = quotation.buyer_url(full=False)
    assert url.startswith(f"/{language}/quotation/")
    response = client.get(url)
    for word in words:
        assert word in response.text
    if language == "ar":
        html = page(response)
        assert html.html["dir"] == "rtl"
        # Latin or digit-only values stay in the right-to-left column beside their label:
        # isolated (<bdi>), not given a direction of their own that would align them left.
        meta = html.select_one(".quotation-meta")
        assert not meta.select("[dir]"), "no value in the terms flips its alignment"
        assert meta.select_one("dd bdi").get_text() == lead.name


def test_accepting_records_it_and_wins_the_lead(client, sent, lead, sales):
    url = sent.buyer_url(full=False)
    response = client.post(
        url,
        {"action": "accept", "accept-name": "Aigerim Nurlanova", "accept-purchase_order": "PO-9"},
        **ORIGIN,
    )
    assert response.status_code == 302 and response["Location"] == "?done=accepted"
    response = client.get(url + "?done=accepted")
    assert "Accepted by Aigerim Nurlanova" in response.text
    lead.refresh_from_db()
    assert lead.status == LeadStatus.WON
    assert lead.events.filter(kind=LeadEvent.Kind.QUOTE_ACCEPTED, text__contains="PO-9").exists()
    [email] = mail.outbox
    assert email.to == [sales.email] and sent.number in email.subject
    # Now the buyer can download the proforma invoice.
    assert page(response).find("a", href=url + "proforma/")


def test_accepting_needs_a_name(client, sent):
    response = client.post(
        sent.buyer_url(full=False), {"action": "accept", "accept-name": ""}, **ORIGIN
    )
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert Quotation.objects.get(pk=sent.pk).status == Status.SENT


def test_asking_for_changes_reaches_the_assignee(client, sent, lead, sales):
    response = client.post(
        sent.buyer_url(full=False),
        {"action": "changes", "changes-message": "Could you quote CIF Aktau instead?"},
        **ORIGIN,
    )
    assert response.status_code == 302
    event = lead.events.get(kind=LeadEvent.Kind.QUOTE_CHANGES)
    assert event.text == "Could you quote CIF Aktau instead?"
    [email] = mail.outbox
    assert email.to == [sales.email] and "CIF Aktau" in email.body
    assert Quotation.objects.get(pk=sent.pk).status == Status.CHANGES


def test_an_expired_quotation_offers_to_ask_for_a_new_one(client, sent, lead):
    Quotation.objects.filter(pk=sent.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    url = sent.buyer_url(full=False)
    html = page(client.get(url))
    assert html.select_one("[data-state=expired]")
    assert not html.select_one("[data-answer=accept]")
    assert "Ask for a new quotation" in html.select_one("[data-answer=changes]").get_text()
    response = client.post(url, {"action": "accept", "accept-name": "Late"}, **ORIGIN)
    assert response.status_code == 409
    assert "can no longer be accepted" in response.text
    lead.refresh_from_db()
    assert lead.status == LeadStatus.QUOTED


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # altered signature
        lambda token: "0" * 32 + token[32:],  # another id, same signature
        lambda token: token.split(":")[0],  # no signature at all
        lambda token: "not-a-token",
    ],
)
def test_forged_or_altered_links_are_refused(client, sent, mangle):
    response = client.get(f"/en/quotation/{mangle(token_for(sent))}/")
    assert response.status_code == 404
    assert "not valid" in response.text
    assert sent.number not in response.text
    assert client.get(f"/en/quotation/{mangle(token_for(sent))}/pdf/").status_code == 404


def test_a_draft_is_never_shown_to_the_buyer(client, lead, make_quotation):
    draft = make_quotation(lead)
    assert client.get(draft.buyer_url(full=False)).status_code == 404


def test_the_buyer_sees_the_latest_revision_and_what_it_replaced(client, sent):
    revision = services.revise_quotation(
        sent,
        lines=[{"description": "Gate valve, revised", "quantity": 40, "unit_price": 120}],
        currency="USD",
        incoterm="FOB",
        valid_until=sent.valid_until,
    )
    services.send_quotation(revision)
    response = client.get(sent.buyer_url(full=False))  # the link the buyer got first
    html = page(response)
    assert revision.number in html.h1.get_text()
    assert sent.number in html.select_one("[data-replaces]").get_text()
    assert "Gate valve, revised" in response.text


def test_a_post_from_another_site_is_refused(client, sent):
    response = client.post(
        sent.buyer_url(full=False),
        {"action": "accept", "accept-name": "Forged"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert Quotation.objects.get(pk=sent.pk).status == Status.SENT


def test_the_proforma_is_only_for_an_accepted_quotation(client, sent):
    assert client.get(sent.buyer_url(full=False) + "proforma/").status_code == 404
