"""The whole conversation on the lead: the buyer's e-mails read from a real IMAP server
(a private Dovecot on loopback) and attached to their lead, replies sent from the lead
through the durable path and a real SMTP server, threading headers, the unmatched list,
private attachments, and "waiting for us / for the buyer"."""

import imaplib
import io
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import getaddresses, make_msgid

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from caravan.inquiries import mailbox, privacy, replies
from caravan.inquiries.models import (
    DeliveryStatus,
    Inquiry,
    LeadAttachment,
    LeadEvent,
    LeadMessage,
    LeadStatus,
    MailboxState,
)
from caravan.testing import free_port, inquiry_data, make_inquiry, post_inquiry
from caravan.testing.imap import ImapServer, dovecot_problem
from caravan.testing.services import skip_or_fail

from .test_delivery import Clock, run_worker

pytestmark = pytest.mark.django_db

BUYER = "aigerim@steppe-water.example"
SALES = "sales@silkline-flow.example"
INBOX = "/admin/inquiries/"


@pytest.fixture
def imap():
    problem = dovecot_problem()
    if problem:
        skip_or_fail(problem)
    with ImapServer() as server:
        yield server


@pytest.fixture
def clock(monkeypatch):
    """Time that a test moves forward (the worker's retries are hours apart)."""
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


@pytest.fixture
def sales_mailbox(company):
    company.sales_emails = SALES
    company.save()
    return company


def send_through_smtp(smtp, message):
    """Send `message` through the test SMTP server as a mail client would; return the
    bytes the server received (what the mailbox gets)."""
    count = len(smtp.received)
    with smtplib.SMTP("127.0.0.1", smtp.port, timeout=10) as client:
        client.send_message(message)
    return smtp.wait_for(count + 1)[count]["raw"]


def buyer_email(subject, text, in_reply_to="", references="", sender=BUYER, html=None):
    message = EmailMessage()
    message["From"] = f"Aigerim Nurlanova <{sender}>"
    message["To"] = SALES
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="steppe-water.example")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = references or in_reply_to
    if html:
        message.set_content(html, subtype="html")
    else:
        message.set_content(text)
    return message


def page(client, lead):
    response = client.get(f"{INBOX}inspect/{lead.pk}/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def conversation(soup):
    return soup.select_one("[data-lead-conversation]")


def test_the_buyer_answers_the_confirmation_and_the_team_replies_from_the_lead(
    client, sales_client, sales, editor, smtp_settings, sales_mailbox, imap
):
    smtp = smtp_settings
    assert post_inquiry(client, inquiry_data()).status_code == 303
    lead = Inquiry.objects.get()
    notification = smtp.messages(f"[{lead.reference}]")[0]
    autoreply = smtp.messages(f"We received your inquiry {lead.reference}")[0]
    # The sales mailbox holds our own notification: it is no message from the buyer.
    imap.deliver(notification["raw"])

    # The buyer answers the confirmation from their mail client, with a drawing.
    answer = buyer_email(
        f"Re: {autoreply['message']['Subject']}",
        "Thank you. The drawing is attached; we also need PN25.",
        in_reply_to=autoreply["message"]["Message-ID"],
    )
    answer.add_attachment(
        b"%PDF-1.4 drawing", maintype="application", subtype="pdf", filename="../valve.pdf"
    )
    imap.deliver(send_through_smtp(smtp, answer))

    assert mailbox.poll(imap.url) == 1
    received = LeadMessage.objects.get(direction=LeadMessage.Direction.IN)
    assert received.inquiry == lead and received.matched_by == LeadMessage.Match.HEADERS
    assert received.text == "Thank you. The drawing is attached; we also need PN25."
    drawing = received.attachments.get()
    assert drawing.filename == "valve.pdf" and drawing.size == len(b"%PDF-1.4 drawing")
    # Kept privately: in the private directory, nowhere under MEDIA_ROOT.
    path = drawing.file.path
    assert path.startswith(str(settings.CARAVAN_PRIVATE_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    event = lead.events.get(kind=LeadEvent.Kind.EMAIL_IN)
    assert (event.old_value, event.new_value) == (BUYER, SALES) and "PN25" in event.text

    # Read twice: nothing attached twice, and the mailbox is exactly as it was (nothing
    # deleted, not even marked as read).
    assert mailbox.poll(imap.url) == 0
    assert LeadMessage.objects.count() == 1
    held = imap.inbox()
    assert len(held) == 2 and all("\\Seen" not in flags for _uid, flags, _raw in held)
    assert all("\\Deleted" not in flags for _uid, flags, _raw in held)

    soup = page(sales_client, lead)
    section = conversation(soup)
    assert "Waiting for us" in section.get_text()
    assert "we also need PN25" in section.get_text()
    link = section.select_one("[data-lead-attachments] a")
    download = sales_client.get(link["href"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 drawing"
    editor_client = client
    editor_client.force_login(editor)
    assert editor_client.get(link["href"]).status_code == 403

    # The team replies from the lead: sent through the worker and the SMTP server,
    # threaded under the buyer's answer.
    count = len(smtp.received)
    response = sales_client.post(
        f"/admin/inquiry-mail/lead/{lead.pk}/reply/",
        {"subject": "", "text": "PN25 is possible; the quotation follows today."},
    )
    assert response.status_code == 302
    sent = smtp.wait_for(count + 1)[count]
    assert sent["to"] == [BUYER]
    message = sent["message"]
    assert lead.reference in str(message["Subject"])
    assert message["In-Reply-To"].strip() == received.message_id
    assert message["References"].split() == [
        autoreply["message"]["Message-ID"],
        received.message_id,
    ]
    assert "PN25 is possible" in message.get_content()
    assert getaddresses([str(message["From"])])[0][0] == f"Anna Berg, {sales_mailbox.name}"
    assert getaddresses([str(message["Reply-To"])])[0][1] == SALES
    reply = LeadMessage.objects.get(direction=LeadMessage.Direction.OUT)
    assert reply.message_id == message["Message-ID"] and reply.status == DeliveryStatus.SENT
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONTACTED and lead.first_response_at == reply.created_at
    sent_event = lead.events.get(kind=LeadEvent.Kind.EMAIL_OUT, user=sales)
    assert sent_event.new_value == BUYER and sent_event.text.startswith(reply.subject)
    history = page(sales_client, lead).select_one("[data-lead-history]").get_text()
    assert f"e-mail received: {BUYER} → {SALES}" in history
    assert f"e-mail sent: noreply@localhost → {BUYER}" in history
    section = conversation(page(sales_client, lead))
    assert "Waiting for the buyer" in section.get_text()
    assert section.select_one("[data-reply-status]")["data-reply-status"] == "sent"

    # The buyer's out-of-office answer is on the lead, but the lead still waits for them.
    away = buyer_email("Out of office", "Back on Monday.", in_reply_to=reply.message_id)
    away["Auto-Submitted"] = "auto-replied"
    imap.deliver(away.as_bytes())
    assert mailbox.poll(imap.url) == 1
    section = conversation(page(sales_client, lead))
    assert "Back on Monday." in section.get_text() and section.select_one("[data-automatic]")
    assert "Waiting for the buyer" in section.get_text()

    # A colleague of the buyer answers our reply from another address, without the
    # reference in the subject: the headers still find the lead.
    again = buyer_email(
        "Re: the quotation",
        "Please send it to me as well.",
        in_reply_to=reply.message_id,
        references=f"{reply.references} {reply.message_id}",
        sender="procurement@steppe-water.example",
    )
    imap.deliver(send_through_smtp(smtp, again))
    assert mailbox.poll(imap.url) == 1
    assert lead.messages.count() == 4
    assert "Waiting for us" in conversation(page(sales_client, lead)).get_text()


def test_matching_by_subject_by_sender_and_by_hand(sales_client, sales_mailbox, imap, settings):
    by_subject = make_inquiry(contact="someone@else.example")
    by_sender = make_inquiry(contact="Aigerim@Steppe-Water.example")
    imap.deliver(buyer_email(f"About q-{by_subject.reference[2:].lower()}", "Any news?").as_bytes())
    imap.deliver(buyer_email("Hello again", "Are you there?", sender=BUYER).as_bytes())
    html = (
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head>"
        "<body><p>Who is <b>&lt;this&gt;</b>?</p><img src=x onerror=alert(2)></body></html>"
    )
    imap.deliver(
        buyer_email("Partnership", "", sender="stranger@nowhere.example", html=html).as_bytes()
    )
    assert mailbox.poll(imap.url) == 3

    assert by_subject.messages.get().matched_by == LeadMessage.Match.SUBJECT
    assert by_sender.messages.get().matched_by == LeadMessage.Match.SENDER
    stranger = LeadMessage.objects.unmatched().get()
    assert "alert" not in stranger.text and "color" not in stranger.text
    assert "Who is <this>?" in stranger.text

    listing = sales_client.get("/admin/inquiry-mail/unmatched/")
    body = listing.content.decode()
    assert "Partnership" in body and "Who is &lt;this&gt;?" in body
    wrong = sales_client.post(
        f"/admin/inquiry-mail/unmatched/{stranger.pk}/attach/", {"reference": "Q-2222-22"}
    )
    assert (
        "No lead has the reference Q-2222-22."
        in sales_client.get(wrong["Location"]).content.decode()
    )
    sales_client.post(
        f"/admin/inquiry-mail/unmatched/{stranger.pk}/attach/",
        {"reference": f" {by_sender.reference.lower()} "},
    )
    stranger.refresh_from_db()
    assert stranger.inquiry == by_sender and stranger.matched_by == LeadMessage.Match.HAND
    assert by_sender.events.filter(kind=LeadEvent.Kind.EMAIL_IN).count() == 2
    assert "Waiting for us" in conversation(page(sales_client, by_sender)).get_text()
    assert (
        "Every received e-mail is on its lead."
        in sales_client.get("/admin/inquiry-mail/unmatched/").content.decode()
    )

    # A salesperson answered from their mail program, the sales mailbox in copy: ours.
    from_us = buyer_email(
        "Re: your inquiry",
        "We can deliver in May.",
        in_reply_to=f"<inquiry-{by_sender.reference}-autoreply@localhost>",
        sender=SALES,
    )
    imap.deliver(from_us.as_bytes())
    assert mailbox.poll(imap.url) == 1
    ours = by_sender.messages.get(direction=LeadMessage.Direction.OUT)
    assert ours.status == DeliveryStatus.SENT and ours.matched_by == LeadMessage.Match.HEADERS
    by_sender.refresh_from_db()
    assert by_sender.first_response_at == ours.created_at
    assert "Waiting for the buyer" in conversation(page(sales_client, by_sender)).get_text()

    # An e-mail over INBOUND_MAX_MESSAGE_MB: its headers only, with a note.
    settings.INBOUND_MAX_MESSAGE_MB = 0.01
    huge = buyer_email(f"Catalogue for {by_subject.reference}", "See the catalogue.")
    huge.add_attachment(b"x" * 20_000, maintype="application", subtype="pdf", filename="c.pdf")
    imap.deliver(huge.as_bytes())
    assert mailbox.poll(imap.url) == 1
    big = by_subject.messages.get(subject__startswith="Catalogue")
    assert "only its headers were read" in big.text and not big.attachments.exists()
    assert len(imap.inbox()[-1][2]) > 20_000  # whole in the mailbox

    # A rebuilt folder (new UIDVALIDITY) is read again from the start; nothing doubles.
    MailboxState.objects.update(uidvalidity=1)
    assert mailbox.poll(imap.url) == 0
    assert LeadMessage.objects.count() == 5


def test_attachments_go_with_an_erased_contact(sales_mailbox, imap, sales):
    lead = make_inquiry()
    message = buyer_email(f"Drawing for {lead.reference}", "See attached.")
    message.add_attachment(b"GIF89a", maintype="image", subtype="gif", filename="sketch.gif")
    imap.deliver(message.as_bytes())
    mailbox.poll(imap.url)
    attachment = LeadAttachment.objects.get()
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    # An e-mail of theirs that no lead claimed (it came before the inquiry, say).
    LeadMessage.objects.create(
        direction=LeadMessage.Direction.IN,
        message_id="<early@steppe-water.example>",
        from_address=lead.contact.upper(),
    )
    privacy.erase_contact(lead)
    assert not LeadMessage.objects.exists() and not storage.exists(name)


def test_a_reply_waits_for_the_mail_server_and_goes_out_when_it_is_back(
    sales_client, sales_mailbox, smtp_settings
):
    smtp = smtp_settings
    lead = make_inquiry()
    smtp.stop()  # the mail server is down
    sales_client.post(f"/admin/inquiry-mail/lead/{lead.pk}/reply/", {"text": "Hello"})
    reply = LeadMessage.objects.get()
    assert reply.status == DeliveryStatus.PENDING and reply.attempts == 1
    assert reply.last_error and reply.next_attempt_at > reply.created_at
    assert "1 failed attempt" in conversation(page(sales_client, lead)).get_text()
    # The reply is stored: the lead already counts as answered.
    lead.refresh_from_db()
    assert lead.first_response_at == reply.created_at

    smtp.start()
    # Time passes (the retry is overdue); the periodic job hands it to the worker.
    LeadMessage.objects.filter(pk=reply.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=10)
    )
    assert replies.requeue_stalled() == 1
    reply.refresh_from_db()
    assert reply.status == DeliveryStatus.SENT and reply.attempts == 2
    [sent] = smtp.received
    assert getaddresses([str(sent["message"]["To"])])[0][1] == lead.contact
    assert (
        sent["message"]["In-Reply-To"].strip() == f"<inquiry-{lead.reference}-autoreply@localhost>"
    )

    # Given up on (the buyer's server refuses the address): "Send again" tries once more.
    LeadMessage.objects.filter(pk=reply.pk).update(status=DeliveryStatus.FAILED)
    soup = page(sales_client, lead)
    resend = conversation(soup).select_one("form[action$='/resend/']")
    sales_client.post(resend["action"])
    reply.refresh_from_db()
    assert reply.status == DeliveryStatus.SENT and len(smtp.received) == 2
    assert lead.events.filter(kind=LeadEvent.Kind.RESEND, new_value=reply.subject).exists()
    sales_client.post(resend["action"])  # sent already: nothing goes out again
    assert len(smtp.received) == 2


def test_no_reply_form_for_a_buyer_who_left_a_phone_number(sales_client):
    lead = make_inquiry(contact="+7 701 555 0123", contact_kind="phone")
    assert conversation(page(sales_client, lead)).select_one("[data-lead-reply]") is None
    sales_client.post(f"/admin/inquiry-mail/lead/{lead.pk}/reply/", {"text": "Hello"})
    assert not LeadMessage.objects.exists()


def test_the_mailbox_address_is_read_from_the_environment():
    assert mailbox.parse_url("") is None
    config = mailbox.parse_url("imaps://sales%40example.com:p%40ss@mail.example.com/Sales%20Inbox")
    assert (config.secure, config.host, config.port) == (True, "mail.example.com", 993)
    assert (config.user, config.password, config.folder) == (
        "sales@example.com",
        "p@ss",
        "Sales Inbox",
    )
    assert mailbox.parse_url("imap://u:p@127.0.0.1:1143").port == 1143
    with pytest.raises(ImproperlyConfigured, match="INBOUND_IMAP_URL"):
        mailbox.parse_url("pop3://u:p@mail.example.com")


def test_a_mailbox_that_cannot_be_read_is_reported_to_the_team(sales_client, imap):
    wrong_password = imap.url.replace(imap.password, "not-the-password")
    with pytest.raises(imaplib.IMAP4.error):
        mailbox.poll(wrong_password)
    body = sales_client.get("/admin/inquiry-mail/unmatched/").content.decode()
    assert "Mailbox folder INBOX" in body and "AUTHENTICATIONFAILED" in body
    with pytest.raises(OSError):
        mailbox.poll(f"imap://sales:x@127.0.0.1:{free_port()}/INBOX")
    assert (
        "ConnectionRefusedError"
        in sales_client.get("/admin/inquiry-mail/unmatched/").content.decode()
    )
    assert mailbox.poll(imap.url) == 0  # read again: the error is gone
    assert (
        "AUTHENTICATIONFAILED"
        not in sales_client.get("/admin/inquiry-mail/unmatched/").content.decode()
    )


def test_the_task_worker_retries_a_reply_until_the_mail_server_takes_it(
    sales_client, sales_mailbox, settings, smtp_settings, clock
):
    smtp = smtp_settings
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    lead = make_inquiry()
    sales_client.post(f"/admin/inquiry-mail/lead/{lead.pk}/reply/", {"text": "Quotation attached"})
    reply = LeadMessage.objects.get()
    assert reply.status == DeliveryStatus.PENDING and reply.attempts == 0  # stored, queued
    smtp.stop()
    run_worker()
    reply.refresh_from_db()
    assert reply.status == DeliveryStatus.PENDING and reply.attempts == 1
    assert "ConnectionRefusedError" in reply.last_error

    smtp.start()
    run_worker()  # the retry is not due yet
    assert smtp.received == []
    clock.advance_to(reply.next_attempt_at)
    run_worker()
    reply.refresh_from_db()
    assert reply.status == DeliveryStatus.SENT and reply.attempts == 2
    assert len(smtp.received) == 1
    assert (
        "sent"
        in conversation(page(sales_client, lead)).select_one("[data-reply-status]")[
            "data-reply-status"
        ]
    )


def test_one_unreadable_message_does_not_stop_the_others(imap, settings, monkeypatch):
    from django.core.management import call_command

    settings.INBOUND_IMAP_URL = imap.url
    for number in (1, 2):
        imap.deliver(
            buyer_email(f"Question {number}", "?", sender=f"b{number}@x.example").as_bytes()
        )
    real = mailbox.store_message
    calls = []

    def store_message(raw, *args, **kwargs):
        calls.append(raw)
        if len(calls) == 1:
            raise ValueError("a message no parser can read")
        return real(raw, *args, **kwargs)

    monkeypatch.setattr(mailbox, "store_message", store_message)
    output = io.StringIO()
    call_command("read_sales_mailbox", stdout=output)
    assert "Stored 1 new e-mail(s); 1 wait to be attached by hand." in output.getvalue()
    assert list(LeadMessage.objects.values_list("subject", flat=True)) == ["Question 2"]
    assert MailboxState.objects.get().last_uid == 2  # not read again and again

    settings.INBOUND_IMAP_URL = ""
    call_command("read_sales_mailbox", stdout=output)
    assert "INBOUND_IMAP_URL is not set" in output.getvalue()


def test_outside_the_sales_team_every_conversation_url_is_403(editor_client, sales_client):
    lead = make_inquiry()
    stray = LeadMessage.objects.create(
        direction=LeadMessage.Direction.IN, message_id="<stray@x.example>", subject="Hi"
    )
    reply = replies.queue_reply(lead, "", "Hello", None)
    base = "/admin/inquiry-mail/"
    posts = [
        f"{base}lead/{lead.pk}/reply/",
        f"{base}lead/{lead.pk}/reply/{reply.pk}/resend/",
        f"{base}unmatched/{stray.pk}/attach/",
        f"{base}unmatched/{stray.pk}/dismiss/",
    ]
    assert editor_client.get(f"{base}unmatched/").status_code == 403
    for url in posts:
        assert (
            editor_client.post(url, {"text": "x", "reference": lead.reference}).status_code == 403
        )
    assert LeadMessage.objects.count() == 2 and LeadMessage.objects.unmatched().count() == 1
    assert "E-mails to attach" not in editor_client.get("/admin/").content.decode()
    assert "E-mails to attach" in sales_client.get("/admin/").content.decode()
