"""Durability with real processes: the site served by granian, `manage.py db_worker`
processes and a real SMTP server, sharing one SQLite database file.

- an inquiry posted to the running site reaches the sales team through a running worker;
- two workers racing over several tasks for the same inquiries send each e-mail once;
- a worker killed in the middle of sending: the inquiry waits for its lease to expire,
  is enqueued again by the periodic job, and is delivered exactly once."""

import json
import signal
import time
from datetime import UTC, datetime

import pytest

from caravan.testing import SmtpServer, inquiry_data

# The processes use their own copy of the database; the mark makes pytest-django set up
# the test database that the copy is taken from.
pytestmark = pytest.mark.django_db


def wait_until(condition, timeout=60, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def post_many(site, count, **fields):
    """Post `count` inquiries like the dialog does: tokens first, then, once a person
    could have typed, the posts."""
    tokens = [site.token() for _ in range(count)]
    time.sleep(1.1)  # CARAVAN_INQUIRY_MIN_SECONDS is 1 for these servers
    references = []
    for index, token in enumerate(tokens):
        data = inquiry_data(
            token=token, contact=f"buyer{index}.{time.time_ns()}@example.com", **fields
        )
        data["page"] = site.url("/en/about/")
        references.append(site.post_inquiry(data)["reference"])
    return references


def deliveries(site, references):
    marks = ",".join("?" for _ in references)
    return site.query(
        f"SELECT reference, is_spam, notification_status, notification_attempts, autoreply_status, "  # noqa: S608
        f"delivery_lease_until FROM inquiries_inquiry WHERE reference IN ({marks})",
        *references,
    )


def test_an_inquiry_posted_to_the_running_site_is_mailed_by_a_running_worker(live_site):
    with SmtpServer() as smtp:
        [reference] = post_many(live_site, 1)
        worker = live_site.worker(smtp.port)
        notification = smtp.wait_for(1, f"[{reference}]", timeout=60)
        autoreply = smtp.wait_for(1, f"We received your inquiry {reference}", timeout=30)
        assert len(notification) == 1 and len(autoreply) == 1, live_site.logs()
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0  # the worker stops cleanly between tasks
    [row] = deliveries(live_site, [reference])
    assert row["notification_status"] == "sent" and row["autoreply_status"] == "sent"
    assert row["is_spam"] == 0


def test_two_workers_send_each_email_exactly_once(live_site):
    with SmtpServer(delay=1.0) as smtp:  # slow enough that both workers get work and overlap
        references = post_many(live_site, 6)
        # Three spare tasks per inquiry, queued right behind one another, so that the two
        # workers hold tasks for the same inquiry at the same moment.
        code = (
            "from caravan.inquiries.models import Inquiry\n"
            "from caravan.inquiries.delivery import deliver_inquiry\n"
            f"for inquiry in Inquiry.objects.filter(reference__in={references!r}).order_by('pk'):\n"
            "    for _ in range(3):\n"
            "        deliver_inquiry.enqueue(inquiry.pk)\n"
        )
        live_site.manage("shell", "-c", code)
        workers = [live_site.worker(smtp.port, "--batch") for _ in range(2)]
        for worker in workers:
            assert worker.wait(timeout=180) == 0, live_site.logs()
        for reference in references:
            assert len(smtp.messages(f"[{reference}]")) == 1, reference
            assert len(smtp.messages(f"We received your inquiry {reference}")) == 1, reference
    marks = ",".join("?" for _ in references)
    ids = {
        row["id"]
        for row in live_site.query(
            f"SELECT id FROM inquiries_inquiry WHERE reference IN ({marks})",  # noqa: S608
            *references,
        )
    }
    tasks = [
        task
        for task in live_site.query(
            "SELECT status, worker_ids, args_kwargs, return_value FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'caravan.inquiries.delivery.deliver_inquiry'"
        )
        if json.loads(task["args_kwargs"])["args"][0] in ids
    ]
    assert len(tasks) == 6 * 4
    assert all(task["status"] == "SUCCESSFUL" for task in tasks)
    assert len({json.loads(task["worker_ids"])[-1] for task in tasks}) == 2  # both worked
    results = [json.loads(task["return_value"]) for task in tasks]
    assert sum(1 for r in results if r["claimed"]) == 6  # one claim per inquiry
    assert sum(1 for r in results if not r["claimed"]) == 18  # the spares found it taken
    assert all(row["notification_status"] == "sent" for row in deliveries(live_site, references))


def test_a_worker_killed_mid_send_is_replaced_after_its_lease_and_sends_once(live_site):
    lease = {"CARAVAN_INQUIRY_LEASE_SECONDS": "30"}

    def run_recovery_and_a_worker():
        live_site.manage("run_periodic", "--once", smtp_port=smtp.port, **lease)
        live_site.manage(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--queue-name",
            "*",
            smtp_port=smtp.port,
            **lease,
        )

    with SmtpServer() as smtp:
        smtp.hold()  # the server accepts the connection, then hangs inside DATA
        [reference] = post_many(live_site, 1)
        doomed = live_site.worker(smtp.port, **lease)
        assert smtp.held.wait(timeout=60), live_site.logs()
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        smtp.release()  # the dead worker's half-sent message is never accepted
        time.sleep(0.3)
        assert smtp.messages() == []
        [row] = deliveries(live_site, [reference])
        assert row["notification_status"] == "pending"
        lease_until = datetime.fromisoformat(row["delivery_lease_until"]).replace(tzinfo=UTC)

        def remaining():
            return (lease_until - datetime.now(UTC)).total_seconds()

        if remaining() > 5:
            run_recovery_and_a_worker()
            if remaining() > 0:  # the lease outlived both: nobody took over a live lease
                assert smtp.messages() == [], live_site.logs()

        time.sleep(max(0.0, remaining() + 0.5))
        run_recovery_and_a_worker()  # the periodic job re-enqueues it; a worker sends it
        run_recovery_and_a_worker()  # running everything again changes nothing
        assert len(smtp.messages(f"[{reference}]")) == 1, live_site.logs()
        assert len(smtp.messages(f"We received your inquiry {reference}")) == 1
    [row] = deliveries(live_site, [reference])
    assert row["notification_status"] == "sent" and row["autoreply_status"] == "sent", row
    assert row["delivery_lease_until"] is None


def post_request_with_a_file(site, token, drawing):
    """A request for quotation as the inquiry page posts it without JavaScript: product
    lines, a term and a file (multipart/form-data)."""
    import urllib.request
    import uuid

    fields = inquiry_data(token=token, contact=f"rfq.{time.time_ns()}@example.com")
    fields.update(
        {
            "page": site.url("/en/about/"),
            "quantity": "",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-note": "DN100 gate valve PN16",
            "items-0-quantity": "40",
            "items-0-unit": "piece",
            "items-1-note": "Flange gaskets",
            "items-1-quantity": "80",
            "items-1-unit": "set",
            "incoterm": "CIP",
        }
    )
    boundary = uuid.uuid4().hex
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
        f'filename="drawing.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + drawing
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        site.url("/en/inquiry/"),
        data=body,
        headers={
            "Accept": "application/json",
            "Origin": site.url(""),
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["reference"]


def test_a_request_with_a_file_outlives_a_killed_worker_and_is_mailed_once(live_site):
    lease = {"CARAVAN_INQUIRY_LEASE_SECONDS": "6"}
    drawing = b"%PDF-1.7\n" + b"x" * (2 * 1024 * 1024)
    with SmtpServer() as smtp:
        smtp.hold()  # the server accepts the connection, then hangs inside DATA
        token = live_site.token()
        time.sleep(1.1)
        reference = post_request_with_a_file(live_site, token, drawing)
        doomed = live_site.worker(smtp.port, **lease)
        assert smtp.held.wait(timeout=60), live_site.logs()
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        smtp.release()  # the dead worker's half-sent message is never accepted
        time.sleep(0.3)
        assert smtp.messages() == []
        time.sleep(7)  # the lease runs out
        for _ in range(2):  # recovery and a worker; running them again changes nothing
            live_site.manage("run_periodic", "--once", smtp_port=smtp.port, **lease)
            live_site.manage(
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--queue-name",
                "*",
                smtp_port=smtp.port,
                **lease,
            )
        notifications = smtp.messages(f"[{reference}]")
        assert len(notifications) == 1, live_site.logs()
        text = notifications[0]["message"].get_body(("plain",)).get_content()
        assert "drawing.pdf" in text and "Flange gaskets" in text
        assert not any(part.get_filename() for part in notifications[0]["message"].walk())
    [row] = deliveries(live_site, [reference])
    assert row["notification_status"] == "sent", row
    [stored] = live_site.query(
        "SELECT f.file, f.size FROM inquiries_inquiryattachment f JOIN inquiries_inquiry i "
        "ON i.id = f.inquiry_id WHERE i.reference = ?",
        reference,
    )
    assert stored["size"] == len(drawing)
    assert (live_site.dir / "private" / stored["file"]).read_bytes() == drawing
