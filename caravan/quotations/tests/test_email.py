"""The quotation e-mail through a real SMTP server on loopback: the buyer's language, the
PDF attached, the link; and the durable path when the server is down."""

from datetime import timedelta

import pytest
from django.utils import timezone

from caravan.inquiries.models import DeliveryStatus
from caravan.quotations import delivery, services
from caravan.quotations.models import QuotationEmail
from caravan.testing import make_inquiry
from caravan.testing.processes import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pdf_support")]


def test_the_buyer_receives_the_quotation_with_its_pdf(smtp_settings, make_quotation, sales):
    lead = make_inquiry(
        language="es", product_title="Válvula de compuerta DN100", quantity=40, assignee=sales
    )
    quotation = services.send_quotation(make_quotation(lead))
    [received] = smtp_settings.messages()
    message = received["message"]
    assert received["to"] == [lead.contact]
    assert str(message["Subject"]).strip().startswith(f"Cotización {quotation.number}")
    assert message["Content-Language"] == "es"
    assert message["Reply-To"] == sales.email
    body = message.get_body(("plain",)).get_content()
    assert "Adjuntamos nuestra cotización" in body
    assert quotation.buyer_url() in body
    assert "USD 4,862.10" in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"{quotation.number}.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF-")
    email = quotation.latest_email()
    assert email.status == DeliveryStatus.SENT and email.attempts == 1 and email.delivered_at


def test_smtp_down_loses_nothing_and_the_retry_delivers(settings, lead, make_quotation):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nobody listens there
    settings.EMAIL_TIMEOUT = 2
    quotation = services.send_quotation(make_quotation(lead))
    email = quotation.latest_email()
    assert email.status == DeliveryStatus.PENDING
    assert email.attempts == 1 and "Connection" in email.last_error
    assert email.next_attempt_at > timezone.now()
    # The server is back; the retry falls due; the periodic job finds it.
    from caravan.testing import SmtpServer

    with SmtpServer() as server:
        settings.EMAIL_PORT = server.port
        QuotationEmail.objects.filter(pk=email.pk).update(
            next_attempt_at=timezone.now() - timedelta(hours=1)
        )
        assert delivery.requeue_stalled() == 1
        assert len(server.messages()) == 1
    email.refresh_from_db()
    assert email.status == DeliveryStatus.SENT and email.attempts == 2
    # Nothing left to send: a second run finds nothing.
    assert delivery.requeue_stalled() == 0
    assert delivery.deliver(email.pk) == {"email": email.pk, "claimed": False}


def test_the_task_worker_sends_it_and_retries_when_the_server_was_down(
    settings, lead, make_quotation, monkeypatch
):
    """With the database task queue (what production runs): sending stores the e-mail
    and its task; nothing goes out until the worker runs; a failure is retried by a
    deferred task of its own once its time comes."""
    from caravan.inquiries.tests.test_delivery import Clock, run_worker
    from caravan.testing import SmtpServer

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # down
    settings.EMAIL_TIMEOUT = 2
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock.now)

    quotation = services.send_quotation(make_quotation(lead))
    email = quotation.latest_email()
    assert email.status == DeliveryStatus.PENDING and email.attempts == 0 and email.task_id
    run_worker()
    email.refresh_from_db()
    assert email.status == DeliveryStatus.PENDING and email.attempts == 1
    retry_task = email.task_id
    with SmtpServer() as server:
        settings.EMAIL_PORT = server.port
        run_worker()  # the retry is not due yet
        assert server.messages() == []
        clock.advance_to(email.next_attempt_at)
        run_worker()
        [received] = server.messages()
    email.refresh_from_db()
    assert email.status == DeliveryStatus.SENT and email.attempts == 2
    assert email.task_id == retry_task
    assert quotation.number in str(received["message"]["Subject"])


def test_a_buyer_address_the_server_refuses_is_given_up_at_once(settings, lead, make_quotation):
    from caravan.testing import SmtpServer

    with SmtpServer(refuse={lead.contact}) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        quotation = services.send_quotation(make_quotation(lead))
        email = quotation.latest_email()
        assert email.status == DeliveryStatus.FAILED
        assert email.attempts == 1 and "550" in email.last_error
        assert email.next_attempt_at is None
        # Nothing is retried behind the sales team's back.
        QuotationEmail.objects.filter(pk=email.pk).update(created_at=timezone.now())
        assert delivery.requeue_stalled(timezone.now() + timedelta(days=1)) == 0
        assert server.messages() == []
