"""Quotation numbers on PostgreSQL when people quote at the same moment: the year's
counter row is locked (SELECT ... FOR UPDATE) inside the transaction that stores the
quotation, so numbers are never given twice and a transaction that fails gives its number
back (no gaps). Real concurrent connections (threads), committed data, cleaned up after.
On SQLite, which runs one writing transaction at a time, there is nothing to test."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from caravan.inquiries.models import Inquiry
from caravan.quotations import services
from caravan.quotations.models import Quotation, QuotationCounter
from caravan.testing import make_inquiry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
YEAR = timezone.localdate().year


def in_thread(function, *args):
    """Run `function` in a thread of its own, with its own database connection (its own
    transactions, committed for everyone to see); returns (thread, results)."""
    results = {}

    def run():
        try:
            results["value"] = function(*args)
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            results["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, results


def waiting_for_a_lock(count):
    """True once `count` other connections wait for a row lock (checked by PostgreSQL)."""
    with connection.cursor() as cursor:
        # Inside the test's transaction PostgreSQL keeps its first look at the activity
        # view; clear it so that each call sees the connections as they are now.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0] >= count


def wait_until(condition, tries=2000):
    import time

    for _ in range(tries):
        if condition():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def committed_lead():
    """A lead committed to the database (threads see it), and everything quoted for it
    removed afterwards, the year's counter put back."""

    def create():
        return make_inquiry(product_title="DN100 gate valve", quantity=40).pk

    thread, result = in_thread(create)
    thread.join()
    before = QuotationCounter.objects.filter(year=YEAR).values_list("last", flat=True).first()
    yield result["value"]

    def clean():
        Quotation.objects.filter(inquiry_id=result["value"]).delete()
        Inquiry.objects.filter(pk=result["value"]).delete()
        if before is None:
            QuotationCounter.objects.filter(year=YEAR).delete()
        else:
            QuotationCounter.objects.filter(year=YEAR).update(last=before)

    thread, _ = in_thread(clean)
    thread.join()


def _create(lead_pk, start, hold=None, release=None, fail=False):
    """Create a quotation in a transaction; `hold` is set once the number is taken and
    the transaction then waits for `release`; `fail` rolls it back at the end."""
    from caravan.quotations.tests.conftest import priced_lines

    start.wait()
    lead = Inquiry.objects.get(pk=lead_pk)
    with transaction.atomic():
        quotation = services.create_quotation(
            lead,
            lines=priced_lines(lead),
            currency="USD",
            incoterm="FOB",
            incoterm_place="Shanghai",
            valid_until=timezone.localdate() + timedelta(days=30),
        )
        if hold is not None:
            hold.set()
            release.wait(timeout=60)
        if fail:
            raise RuntimeError("the transaction fails after the number was taken")
    return quotation.sequence


def test_two_people_quoting_at_once_get_consecutive_numbers(committed_lead):
    start = threading.Barrier(8)
    threads = [in_thread(_create, committed_lead, start) for _ in range(8)]
    for thread, _ in threads:
        thread.join(timeout=120)
    errors = [r["error"] for _, r in threads if "error" in r]
    assert not errors
    numbers = sorted(r["value"] for _, r in threads)
    first = numbers[0]
    assert numbers == list(range(first, first + 8)), "numbers skipped or given twice"


def test_a_failed_transaction_gives_its_number_back(committed_lead):
    hold, release = threading.Event(), threading.Event()
    first, first_result = in_thread(
        _create, committed_lead, threading.Barrier(1), hold, release, True
    )
    assert hold.wait(timeout=60), "the first transaction did not take a number"
    # Only now does the second start: the first holds the year's counter row.
    second, second_result = in_thread(_create, committed_lead, threading.Barrier(1))
    # The second waits for the first one's lock on the year's counter row...
    assert wait_until(lambda: waiting_for_a_lock(1)), "the second did not wait for the lock"
    assert "value" not in second_result
    release.set()  # ...and the first one now fails and rolls back.
    first.join(timeout=60)
    second.join(timeout=60)
    assert isinstance(first_result.get("error"), RuntimeError)
    taken = Quotation.objects.filter(inquiry_id=committed_lead).values_list("sequence", flat=True)
    assert list(taken) == [second_result["value"]]
    counter = QuotationCounter.objects.get(year=YEAR).last
    assert second_result["value"] == counter, "a gap: the failed transaction kept its number"
