"""The quotation flow through its Python API: numbering, totals, revisions, sending, the
lead's history and status."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from caravan.inquiries.models import DeliveryStatus, LeadEvent, LeadStatus
from caravan.quotations import services
from caravan.quotations.models import Quotation, QuotationCounter, Status
from caravan.testing import make_inquiry

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_lines_start_from_what_the_buyer_asked_for(lead):
    assert services.initial_lines(lead) == [
        {
            "product": None,
            "description": "DN100 cast-iron gate valve",
            "quantity": Decimal(40),
            "unit": "pcs",
        }
    ]
    bare = make_inquiry(product_title="", quantity=None)
    [line] = services.initial_lines(bare)
    assert line["description"] == "" and line["quantity"] is None


def test_quotations_are_numbered_per_year_in_order(lead, make_quotation):
    first = make_quotation(lead)
    second = make_quotation(lead)
    assert first.number == f"QT-{YEAR}-0001"
    assert second.number == f"QT-{YEAR}-0002"
    assert QuotationCounter.objects.get(year=YEAR).last == 2


def test_a_refused_quotation_takes_no_number(lead, make_quotation):
    with pytest.raises(ValidationError):
        make_quotation(lead, lines=[{"description": "", "quantity": Decimal(1)}])
    with pytest.raises(ValidationError):
        make_quotation(lead, currency="XXX")
    assert make_quotation(lead).number == f"QT-{YEAR}-0001"


def test_totals_are_decimal_and_rounded_to_the_currency(lead, make_quotation):
    quotation = make_quotation(lead)
    assert quotation.subtotal == Decimal("5118.00")
    assert quotation.discount_amount == Decimal("255.90")
    assert quotation.total == Decimal("4862.10")
    yen = make_quotation(
        lead,
        currency="JPY",
        discount_percent=Decimal(0),
        lines=[{"description": "Valve", "quantity": Decimal(3), "unit_price": Decimal("0.5")}],
    )
    assert yen.total == Decimal(2)  # 1.5 yen rounds half up to 2, no fractions of a yen
    dinar = make_quotation(
        lead,
        currency="KWD",
        discount_percent=Decimal(0),
        lines=[{"description": "Valve", "quantity": Decimal(3), "unit_price": Decimal("0.3335")}],
    )
    assert dinar.total == Decimal("1.001")  # three decimal places


def test_sending_moves_the_lead_to_quoted_and_records_it(lead, make_quotation, sales):
    quotation = services.send_quotation(make_quotation(lead), user=sales)
    lead.refresh_from_db()
    assert quotation.status == Status.SENT and quotation.sent_at
    assert lead.status == LeadStatus.QUOTED
    kinds = list(lead.events.values_list("kind", "new_value"))
    assert (LeadEvent.Kind.QUOTE_SENT, quotation.number) in kinds
    assert (LeadEvent.Kind.STATUS, LeadStatus.QUOTED) in kinds
    [email] = mail.outbox
    assert email.to == [lead.contact]
    assert quotation.latest_email().status == DeliveryStatus.SENT


def test_a_buyer_without_e_mail_gets_the_link_by_hand(make_quotation):
    lead = make_inquiry(
        contact="+7 701 555 0123", contact_kind="phone", product_title="DN100 gate valve"
    )
    quotation = services.send_quotation(make_quotation(lead))
    assert mail.outbox == []
    email = quotation.latest_email()
    assert email.status == DeliveryStatus.SKIPPED
    assert "no e-mail" in email.last_error


def test_changing_a_draft_changes_it_in_place(lead, make_quotation):
    draft = make_quotation(lead)
    changed = services.revise_quotation(
        draft,
        lines=[{"description": "Gate valve", "quantity": Decimal(2), "unit_price": Decimal(10)}],
        currency="EUR",
        incoterm="CIF",
        valid_until=draft.valid_until,
    )
    assert changed.pk == draft.pk and changed.number == draft.number
    assert changed.total == Decimal("19.00")  # 20 less the quotation's 5 %


def test_changing_a_sent_quotation_makes_a_revision_and_keeps_the_first(lead, make_quotation):
    sent = services.send_quotation(make_quotation(lead))
    lines = [{"description": "Gate valve", "quantity": Decimal(40), "unit_price": Decimal(120)}]
    revision = services.revise_quotation(
        sent, lines=lines, currency="USD", incoterm="FOB", valid_until=sent.valid_until
    )
    assert revision.pk != sent.pk
    assert revision.number == f"{sent.number}-R2"
    assert revision.status == Status.DRAFT
    assert revision.public_id == sent.public_id
    # Until the revision is sent, the buyer still sees the first one, unchanged.
    assert services.buyer_quotation(sent.public_id).pk == sent.pk
    assert Quotation.objects.get(pk=sent.pk).total == Decimal("4862.10")
    services.send_quotation(revision)
    assert services.buyer_quotation(sent.public_id).pk == revision.pk
    assert Quotation.objects.get(pk=sent.pk).status == Status.REVISED
    assert [q.number for q in revision.revisions()] == [revision.number, sent.number]
    # Only the latest revision can be changed.
    with pytest.raises(ValidationError):
        services.revise_quotation(
            sent, lines=lines, currency="USD", incoterm="FOB", valid_until=sent.valid_until
        )


def test_accepting_wins_the_lead_and_tells_the_assignee(lead, make_quotation, sales):
    quotation = services.send_quotation(make_quotation(lead))
    mail.outbox.clear()
    services.accept_quotation(quotation, name="Aigerim Nurlanova", purchase_order="PO-77")
    lead.refresh_from_db()
    quotation.refresh_from_db()
    assert lead.status == LeadStatus.WON
    assert quotation.status == Status.ACCEPTED and quotation.purchase_order == "PO-77"
    event = lead.events.get(kind=LeadEvent.Kind.QUOTE_ACCEPTED)
    assert "Aigerim Nurlanova" in event.text and "PO-77" in event.text
    [email] = mail.outbox
    assert email.to == [sales.email]
    assert "accepted" in email.subject and "PO-77" in email.body
    with pytest.raises(services.NotOpenError):
        services.accept_quotation(quotation, name="Again")


def test_an_expired_quotation_cannot_be_accepted(lead, make_quotation):
    quotation = services.send_quotation(make_quotation(lead))
    Quotation.objects.filter(pk=quotation.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    quotation.refresh_from_db()
    assert quotation.is_expired()
    with pytest.raises(services.NotOpenError):
        services.accept_quotation(quotation, name="Late Buyer")
    # Asking for a new quotation still works, and reaches the assignee.
    services.ask_for_changes(quotation, message="Please quote again for January.")
    assert lead.events.filter(kind=LeadEvent.Kind.QUOTE_CHANGES).exists()


def test_a_sent_quotation_is_not_sent_twice(lead, make_quotation):
    quotation = services.send_quotation(make_quotation(lead))
    with pytest.raises(ValidationError):
        services.send_quotation(quotation)
