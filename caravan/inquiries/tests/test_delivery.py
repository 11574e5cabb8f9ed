"""Delivery through a real SMTP server on loopback, worked by the real database task
worker (`db_worker`): the e-mails, their headers, retries while the server is down,
recovery after a worker died, and exactly-once sending."""

import io
from datetime import timedelta
from email.utils import getaddresses

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from caravan.inquiries import delivery
from caravan.inquiries.delivery import deliver_inquiry
from caravan.inquiries.models import DeliveryStatus, Inquiry
from caravan.testing import SmtpServer, inquiry_data, post_inquiry
from caravan.testing.processes import run_task_worker as run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_task_queue(settings):
    """These tests exercise the real worker: tasks go to the database queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


SALES = ["sales@silkline-flow.example", "export@silkline-flow.example"]
BUYER = "aigerim@steppe-water.example"


class Clock:
    """Moves django.utils.timezone.now forward, for everything that asks it (our code and
    the task queue), so hours of back-off pass in a test."""

    def __init__(self):
        self.offset = timedelta(0)
        self._real = timezone.now

    def now(self):
        return self._real() + self.offset

    def advance_to(self, moment):
        if moment > self.now():
            self.offset += moment - self.now() + timedelta(milliseconds=10)

    def advance(self, seconds):
        self.offset += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


def deliver_tasks(status=None):
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.filter(task_path="caravan.inquiries.delivery.deliver_inquiry")
    return tasks.filter(status=status) if status else tasks


def by_kind(server, inquiry):
    notification = server.messages(f"[{inquiry.reference}]")
    autoreply = server.messages(f"We received your inquiry {inquiry.reference}")
    return notification, autoreply


def test_notification_and_confirmation_are_delivered_once_with_the_right_headers(
    client, smtp_settings, product
):
    smtp = smtp_settings
    data = inquiry_data(
        product=str(product.pk), utm_source="expo", page="http://testserver/en/about/"
    )
    assert post_inquiry(client, data).status_code == 303
    assert smtp.received == []  # the visitor did not wait for the mail server
    inquiry = Inquiry.objects.get()
    run_worker()
    notification, autoreply = by_kind(smtp, inquiry)
    assert len(notification) == 1 and len(autoreply) == 1 and len(smtp.received) == 2

    sent = notification[0]
    message = sent["message"]
    assert sorted(sent["to"]) == sorted(SALES)
    assert [a for _n, a in getaddresses([str(message["To"])])] == SALES
    assert getaddresses([str(message["Reply-To"])]) == [("Aigerim Nurlanova", BUYER)]
    assert str(message["Subject"]) == (
        f"[{inquiry.reference}] Inquiry from Aigerim Nurlanova (Steppe Water LLP): {product.title}"
    )
    assert message["Message-ID"] == f"<inquiry-{inquiry.reference}-notification@localhost>"
    text = message.get_body(("plain",)).get_content()
    for expected in (
        "Name: Aigerim Nurlanova",
        f"E-mail: {BUYER}",
        "Company: Steppe Water LLP",
        "Country: Kazakhstan",
        f"Product: {product.title} <http://",
        "Quantity: 40",
        data["message"],
        "Sent from: http://testserver/en/about/",
        "utm_source: expo",
        f"Open the lead: http://testserver/admin/inquiries/inspect/{inquiry.pk}/",
    ):
        assert expected in text, expected
    html = BeautifulSoup(message.get_body(("html",)).get_content(), "html.parser")
    assert html.select_one(f"a[href='http://testserver/admin/inquiries/inspect/{inquiry.pk}/']")

    reply = autoreply[0]
    assert reply["to"] == [BUYER]
    assert reply["message"]["Auto-Submitted"] == "auto-replied"
    assert reply["message"]["Content-Language"] == "en"
    assert reply["message"]["Reply-To"] == SALES[0]
    assert getaddresses([str(reply["message"]["From"])])[0][0] == "Silkline Flow Controls"
    reply_text = reply["message"].get_content()
    assert inquiry.reference in reply_text and "within one business day" in reply_text
    assert data["message"] not in reply_text  # nothing the sender typed is relayed

    inquiry.refresh_from_db()
    for channel in ("notification", "autoreply"):
        assert getattr(inquiry, f"{channel}_status") == DeliveryStatus.SENT
        assert getattr(inquiry, f"{channel}_attempts") == 1
        assert getattr(inquiry, f"{channel}_delivered_at") is not None
        assert getattr(inquiry, f"{channel}_last_error") == ""
    assert not Inquiry.objects.undelivered().exists()

    # Running the worker again, or enqueueing again, sends nothing more.
    deliver_inquiry.enqueue(inquiry.pk)
    run_worker()
    assert len(smtp.received) == 2


def test_an_inquiry_is_mailed_before_the_work_queued_ahead_of_it(client, smtp_settings):
    """A fresh installation, an import or a large publish queues hundreds of search-index
    and rendering tasks; an inquiry that arrives meanwhile is the worker's next task."""
    from django_tasks_db.models import DBTaskResult
    from modelsearch.tasks import insert_or_update_object_task
    from wagtail.models import Page

    from caravan.static_site.tasks import refresh_public_files

    page = Page.objects.filter(depth=2).first()
    for _ in range(3):
        insert_or_update_object_task.enqueue("wagtailcore", "page", str(page.pk))
    refresh_public_files.enqueue([page.pk])
    assert post_inquiry(client).status_code == 303
    run_worker(max_tasks=1)
    assert len(smtp_settings.received) == 2  # the notification and the confirmation
    assert DBTaskResult.objects.filter(status="READY").count() == 4  # the rest still wait


def test_a_task_queued_by_an_earlier_release_still_delivers_or_is_erased(client, smtp_settings):
    """Before the delivery task was declared in delivery.py its path was
    caravan.inquiries.tasks.deliver_inquiry; tasks queued under it must still work."""
    from caravan.inquiries import privacy

    smtp = smtp_settings
    assert post_inquiry(client).status_code == 303
    kept = Inquiry.objects.get()
    deliver_tasks("READY").update(task_path="caravan.inquiries.tasks.deliver_inquiry")
    run_worker()
    assert len(smtp.received) == 2 and Inquiry.objects.undelivered().count() == 0

    assert post_inquiry(client, inquiry_data(contact="erase.me@example.com")).status_code == 303
    erased = Inquiry.objects.exclude(pk=kept.pk).get()
    deliver_tasks("READY").update(task_path="caravan.inquiries.tasks.deliver_inquiry")
    assert privacy.erase_contact(erased) == {"inquiries": 1, "tasks": 1, "quotations": 0}
    run_worker()
    assert len(smtp.received) == 2  # nothing about the erased contact went out


def test_the_open_the_lead_link_shows_the_inquiry_in_the_admin(client, smtp_settings, sales):
    post_inquiry(client, inquiry_data(name="Ерлан <b>Сапаров</b>"))
    run_worker()
    inquiry = Inquiry.objects.get()
    text = (
        smtp_settings.messages(f"[{inquiry.reference}]")[0]["message"]
        .get_body(("plain",))
        .get_content()
    )
    link = next(
        line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("Open the lead")
    )
    path = link.removeprefix("http://testserver")
    assert client.get(path).status_code == 302  # to the login page
    client.force_login(sales)
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert inquiry.reference in body
    assert "Ерлан &lt;b&gt;Сапаров&lt;/b&gt;" in body and "<b>Сапаров</b>" not in body
    # Read-only: no edit or delete view exists.
    for view in ("edit", "delete", "new"):
        response = client.get(f"/admin/inquiries/{view}/{inquiry.pk}/", follow=True)
        assert response.status_code == 404, view
    assert "Kazakhstan (KZ)" in body
    listing = client.get("/admin/inquiries/")
    assert listing.status_code == 200 and inquiry.reference in listing.content.decode()
    found = client.get("/admin/inquiries/", {"q": "Сапаров"}).content.decode()
    assert inquiry.reference in found
    assert (
        inquiry.reference not in client.get("/admin/inquiries/", {"q": "nobody"}).content.decode()
    )


def test_a_phone_contact_gets_a_notification_with_call_links_and_no_autoreply(
    client, smtp_settings
):
    post_inquiry(client, inquiry_data(contact="8 701 234 56 78", country="KZ"))
    run_worker()
    inquiry = Inquiry.objects.get()
    assert len(smtp_settings.received) == 1
    message = smtp_settings.received[0]["message"]
    assert message["Reply-To"] is None
    text = message.get_body(("plain",)).get_content()
    assert "Phone: 8 701 234 56 78 (+77012345678)" in text
    assert "https://wa.me/77012345678" in text
    assert inquiry.autoreply_status == DeliveryStatus.SKIPPED


def test_suspected_spam_is_never_mailed(client, smtp_settings):
    post_inquiry(client, inquiry_data(website="http://bot.example"))
    run_worker()
    delivery.requeue_stalled()
    run_worker()
    assert smtp_settings.received == []
    assert Inquiry.objects.get().is_spam


def test_the_autoreply_is_written_in_the_language_of_the_page(client, smtp_settings):
    post_inquiry(client)
    inquiry = Inquiry.objects.get()
    Inquiry.objects.filter(pk=inquiry.pk).update(language="ru")  # sent from a Russian page
    run_worker()
    (autoreply,) = smtp_settings.messages(f"Мы получили ваш запрос {inquiry.reference}")
    assert autoreply["message"]["Content-Language"] == "ru"
    assert by_kind(smtp_settings, inquiry)[1] == []  # no English confirmation as well


def test_smtp_down_stores_retries_and_delivers_when_it_comes_back(client, settings, clock):
    smtp = SmtpServer()  # not started: nothing listens on its port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp.port, 5
    assert post_inquiry(client, as_json=True).status_code == 201
    inquiry = Inquiry.objects.get()

    run_worker()
    inquiry.refresh_from_db()
    assert inquiry.notification_status == DeliveryStatus.PENDING
    assert inquiry.notification_attempts == 1 and inquiry.autoreply_attempts == 1
    assert "Connection refused" in inquiry.notification_last_error
    first_wait = (inquiry.notification_next_attempt_at - timezone.now()).total_seconds()
    assert 0 < first_wait <= 60
    waiting = deliver_tasks("READY").get()
    assert waiting.run_after == min(
        inquiry.notification_next_attempt_at, inquiry.autoreply_next_attempt_at
    )
    assert inquiry in Inquiry.objects.undelivered()

    run_worker()  # not due yet: nothing is tried
    inquiry.refresh_from_db()
    assert inquiry.notification_attempts == 1

    previous = inquiry.notification_next_attempt_at
    clock.advance_to(waiting.run_after)
    run_worker()
    inquiry.refresh_from_db()
    assert inquiry.notification_attempts == 2
    second_wait = (inquiry.notification_next_attempt_at - previous).total_seconds()
    assert second_wait > first_wait  # growing

    with smtp:  # the mail server is back
        clock.advance_to(deliver_tasks("READY").get().run_after)
        run_worker()
        inquiry.refresh_from_db()
        assert inquiry.notification_status == DeliveryStatus.SENT
        assert inquiry.autoreply_status == DeliveryStatus.SENT
        assert inquiry.notification_attempts == 3
        notification, autoreply = by_kind(smtp, inquiry)
        assert len(notification) == 1 and len(autoreply) == 1
    assert not Inquiry.objects.undelivered().exists()
    assert not deliver_tasks("READY").exists()


def test_retries_back_off_for_more_than_a_day_then_give_up_and_can_be_retried(
    client, settings, clock
):
    smtp = SmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp.port, 5
    post_inquiry(client, inquiry_data(contact="+7 701 234 5678"))
    inquiry = Inquiry.objects.get()
    attempts_at = []
    for _round in range(60):
        attempts_at.append(timezone.now())
        run_worker()
        inquiry.refresh_from_db()
        if inquiry.notification_status != DeliveryStatus.PENDING:
            break
        clock.advance_to(inquiry.notification_next_attempt_at)
    assert inquiry.notification_status == DeliveryStatus.FAILED
    gaps = [(b - a).total_seconds() for a, b in zip(attempts_at, attempts_at[1:], strict=False)]
    assert gaps[0] <= 60
    assert all(later >= earlier * 0.8 for earlier, later in zip(gaps, gaps[1:], strict=False))
    assert max(gaps) <= 6 * 3600 * 1.1
    assert (attempts_at[-1] - attempts_at[0]) >= timedelta(hours=24)
    assert inquiry.notification_attempts == len(attempts_at)
    assert inquiry in Inquiry.objects.delivery_failed() and inquiry in Inquiry.objects.undelivered()
    assert not deliver_tasks("READY").exists()

    # The operator fixes the mail server and retries by hand.
    with smtp:
        out = io.StringIO()
        call_command("retry_inquiry_deliveries", stdout=out)
        assert "Enqueued delivery for 1 inquiry" in out.getvalue()
        run_worker()
        inquiry.refresh_from_db()
        assert inquiry.notification_status == DeliveryStatus.SENT
        assert len(smtp.received) == 1


def test_a_worker_that_died_mid_send_is_replaced_after_its_lease(
    client, smtp_settings, clock, settings
):
    settings.CARAVAN_INQUIRY_LEASE_SECONDS = 300
    post_inquiry(client)
    inquiry = Inquiry.objects.get()
    # A worker took the task and the lease, then died before sending (killed, machine lost).
    task = deliver_tasks("READY").get()
    task.claim("dead-worker")
    Inquiry.objects.filter(pk=inquiry.pk).update(
        delivery_lease_owner="dead", delivery_lease_until=timezone.now() + timedelta(seconds=300)
    )
    run_worker()
    assert delivery.requeue_stalled() == 0  # the lease is still running
    assert smtp_settings.received == []

    clock.advance(301)
    assert delivery.requeue_stalled() == 1
    assert delivery.requeue_stalled() == 0  # its new task is waiting; not enqueued twice
    run_worker()
    notification, autoreply = by_kind(smtp_settings, inquiry)
    assert len(notification) == 1 and len(autoreply) == 1
    inquiry.refresh_from_db()
    assert inquiry.notification_status == DeliveryStatus.SENT
    assert inquiry.delivery_lease_owner == ""


def test_a_worker_that_died_before_taking_the_lease_is_replaced(client, smtp_settings, clock):
    post_inquiry(client)
    deliver_tasks("READY").get().claim("dead-worker")  # task taken, worker gone
    assert delivery.requeue_stalled() == 0
    clock.advance(301)
    assert delivery.requeue_stalled() == 1
    run_worker()
    assert len(smtp_settings.received) == 2


def test_a_queued_task_is_not_mistaken_for_a_dead_worker(client, smtp_settings, clock):
    post_inquiry(client)
    clock.advance(3600)  # the worker is an hour behind; the task still waits in the queue
    assert delivery.requeue_stalled() == 0
    run_worker()
    assert len(smtp_settings.received) == 2


def test_several_tasks_for_one_inquiry_send_once(client, smtp_settings):
    post_inquiry(client)
    inquiry = Inquiry.objects.get()
    for _ in range(3):
        deliver_inquiry.enqueue(inquiry.pk)
    run_worker()
    assert len(smtp_settings.received) == 2


def test_a_live_lease_keeps_another_worker_off(client, smtp_settings):
    post_inquiry(client)
    inquiry = Inquiry.objects.get()
    Inquiry.objects.filter(pk=inquiry.pk).update(
        delivery_lease_owner="other", delivery_lease_until=timezone.now() + timedelta(seconds=60)
    )
    assert delivery.deliver(inquiry.pk) == {"inquiry": inquiry.pk, "claimed": False}
    assert smtp_settings.received == []


def test_a_buyer_mailbox_the_server_refuses_is_not_retried(client, settings):
    with SmtpServer(refuse={BUYER}) as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        post_inquiry(client)
        run_worker()
        inquiry = Inquiry.objects.get()
        assert inquiry.notification_status == DeliveryStatus.SENT
        assert inquiry.autoreply_status == DeliveryStatus.FAILED
        assert inquiry.autoreply_attempts == 1 and "550" in inquiry.autoreply_last_error
        assert not deliver_tasks("READY").exists()


def test_without_a_sales_address_the_notification_waits_with_a_clear_error(
    client, smtp_settings, company, clock
):
    company.sales_emails = ""
    company.save()
    post_inquiry(client, inquiry_data(contact="+7 701 234 5678"))
    run_worker()
    inquiry = Inquiry.objects.get()
    assert inquiry.notification_status == DeliveryStatus.PENDING
    assert "No sales e-mail address in the company profile" in inquiry.notification_last_error
    company.sales_emails = "orders@silkline-flow.example"
    company.save()
    clock.advance_to(inquiry.notification_next_attempt_at)
    run_worker()
    assert smtp_settings.received[0]["to"] == ["orders@silkline-flow.example"]


# Injection and escaping --------------------------------------------------------------

CRLF = "\r\nBcc: victim@evil.example\r\nX-Injected: yes"


def test_header_injection_in_every_field_is_impossible(client, smtp_settings):
    data = inquiry_data(
        name=f"Eve{CRLF}",
        company=f"ACME{CRLF}",
        message=f"Hello{CRLF}\r\n.\r\nMAIL FROM:<x@evil.example>\r\n",
        page=f"http://testserver/en/{CRLF}",
        referrer=f"https://search.example/{CRLF}",
        landing=f"http://testserver/en/{CRLF}",
        utm_source=f"expo{CRLF}",
        utm_campaign="\u2028Bcc: victim@evil.example\u0085X-Injected: yes",
        product=f"1{CRLF}",
    )
    assert post_inquiry(client, data).status_code == 303
    inquiry = Inquiry.objects.get()
    assert inquiry.name == f"Eve{CRLF}".strip() and inquiry.company == f"ACME{CRLF}".strip()
    run_worker()
    assert len(smtp_settings.received) == 2
    for sent in smtp_settings.received:
        assert set(sent["to"]) <= {*SALES, BUYER}
        message = sent["message"]
        assert message["Bcc"] is None and message["X-Injected"] is None
        for name, value in message.items():
            assert "\n" not in str(value).replace("\n ", "").replace("\n\t", ""), name
        headers = sent["raw"].split(b"\r\n\r\n", 1)[0].decode()
        assert "\r\nBcc:" not in headers and "\r\nX-Injected:" not in headers
    notification, _autoreply = by_kind(smtp_settings, inquiry)
    subject = str(notification[0]["message"]["Subject"])
    assert "Eve Bcc: victim@evil.example X-Injected: yes" in subject
    assert getaddresses([str(notification[0]["message"]["Reply-To"])])[0][1] == BUYER


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact", f"{BUYER}{CRLF}"),
        ("contact", f"+7 701 234 5678{CRLF}"),
        ("country", f"KZ{CRLF}"),
        ("quantity", f"5{CRLF}"),
    ],
)
def test_crlf_in_the_structured_fields_is_a_validation_error(client, field, value):
    response = post_inquiry(client, inquiry_data(**{field: value}), as_json=True)
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not Inquiry.objects.exists()


XSS = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"


def test_xss_payloads_are_rendered_escaped_on_the_site_in_the_admin_and_in_emails(
    client, smtp_settings, sales
):
    contact = '"<script>alert(1)</script>"@example.com'
    data = inquiry_data(name=XSS, company=XSS, message=XSS, contact=contact, utm_source=XSS)
    response = post_inquiry(client, data)
    assert response.status_code == 303, response.content.decode()[:500]
    confirmation = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in confirmation
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in confirmation

    # The form shown again with errors escapes what was typed in every field.
    invalid = post_inquiry(
        client,
        inquiry_data(name=XSS, company=XSS, message=XSS, quantity=XSS, country=XSS, contact=XSS),
    )
    assert invalid.status_code == 400
    assert (
        "<script>" not in invalid.content.decode()
        and "onerror=alert(1)>" not in invalid.content.decode()
    )

    run_worker()
    inquiry = Inquiry.objects.get()
    notification, _autoreply = by_kind(smtp_settings, inquiry)
    html = notification[0]["message"].get_body(("html",)).get_content()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html

    client.force_login(sales)
    for path in ("/admin/inquiries/", f"/admin/inquiries/inspect/{inquiry.pk}/"):
        body = client.get(path).content.decode()
        assert "<script>alert(" not in body and "<img src=x" not in body, path


# The confirmation is not a relay -------------------------------------------------------


def _autoreply_text(server, inquiry):
    (reply,) = by_kind(server, inquiry)[1]
    return reply["message"].get_content()


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Ерлан Сапаров", "Hello Ерлан Сапаров,"),
        ("J. O’Brien-Smith", "Hello J. O’Brien-Smith,"),
        ("Aigerim\r\nNurlanova", "Hello Aigerim Nurlanova,"),
        ("Cheap loans at cash-now.example", "Hello,"),
        ("Loans! Call 555 0100 now", "Hello,"),
        ("Ann\nWin big at ｃａｓｈ－ｎｏｗ．ｅｘａｍｐｌｅ", "Hello,"),
        ("Write to loans@cash-now.example", "Hello,"),
        ("Ann " + "and more words " * 6, "Hello,"),
    ],
)
def test_the_confirmation_greets_a_name_on_one_line_and_nothing_that_looks_like_a_link(
    client, smtp_settings, name, greeting
):
    post_inquiry(client, inquiry_data(name=name))
    run_worker()
    inquiry = Inquiry.objects.get()
    assert not inquiry.is_spam
    text = _autoreply_text(smtp_settings, inquiry)
    assert text.splitlines()[0] == greeting
    for fragment in ("cash-now.example", "555 0100", "loans@", "ｃａｓｈ", "Win big", "more words"):
        assert fragment not in text
    # The sales team still sees exactly what was typed.
    notification = by_kind(smtp_settings, inquiry)[0][0]["message"]
    assert inquiry.name.splitlines()[0] in notification.get_body(("plain",)).get_content()


def test_an_inquiry_marked_as_spam_before_its_emails_went_out_gets_none(
    client, smtp_settings, django_user_model
):
    from caravan.inquiries import leads

    post_inquiry(client)
    inquiry = Inquiry.objects.get()
    user = django_user_model.objects.create_superuser("sales", "s@x.example", "pw")
    leads.mark_spam(inquiry, user)
    run_worker()
    assert smtp_settings.received == []
    inquiry.refresh_from_db()
    assert inquiry.notification_status == DeliveryStatus.SKIPPED
    assert inquiry.autoreply_status == DeliveryStatus.SKIPPED
    assert "spam" in inquiry.autoreply_last_error


def test_confirmations_to_one_recipient_domain_are_limited(client, settings, smtp_settings):
    settings.CARAVAN_INQUIRY_AUTOREPLY_RATE_LIMIT_DOMAIN = "2/h"
    contacts = [
        "a@rotating.example",
        "b@rotating.example",
        "c@ROTATING.example",  # the same domain, written otherwise
        "d@other.example",
    ]
    for contact in contacts:
        assert post_inquiry(client, inquiry_data(contact=contact)).status_code == 303
    run_worker()
    confirmations = [sent["to"][0] for sent in smtp_settings.messages("We received")]
    assert sorted(confirmations) == ["a@rotating.example", "b@rotating.example", "d@other.example"]
    assert len(smtp_settings.received) == 4 + 3  # every notification reaches sales
    limited = Inquiry.objects.get(contact="c@ROTATING.example")
    assert limited.notification_status == DeliveryStatus.SENT
    assert limited.autoreply_status == DeliveryStatus.SKIPPED
    assert "rotating.example" in limited.autoreply_last_error
