"""Fixtures of the quotation tests: a lead to quote, a way to make a quotation in one
call, the real SMTP server on loopback, and the rule for the PDF tests (WeasyPrint needs
Debian's Pango: skipped here without it, a failure in CI)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from caravan.testing import make_inquiry
from caravan.testing.services import skip_or_fail
from caravan.testing.smtp import smtp_settings  # noqa: F401 - the shared fixture


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pdf_support():
    from caravan.quotations.documents import weasyprint_problem

    problem = weasyprint_problem()
    if problem:
        skip_or_fail(problem)


@pytest.fixture
def lead(db, sales):
    """A lead asking for 40 gate valves, assigned to Anna of the Sales group."""
    inquiry = make_inquiry(
        product_title="DN100 cast-iron gate valve", quantity=40, language="en", assignee=sales
    )
    return inquiry


def priced_lines(inquiry=None):
    """The lead's lines with prices, and a second line with a discount: 40 × 123.45 +
    80 × 2.50 less 10 % = 4,938.00 + 180.00 = 5,118.00."""
    from caravan.quotations.services import initial_lines

    lines = initial_lines(inquiry) if inquiry else [{"description": "DN100 gate valve"}]
    lines[0].update(quantity=Decimal(40), unit_price=Decimal("123.45"))
    lines.append(
        {
            "description": "EPDM flange gasket DN100",
            "quantity": Decimal(80),
            "unit": "pcs",
            "unit_price": Decimal("2.50"),
            "discount_percent": Decimal(10),
        }
    )
    return lines


@pytest.fixture
def make_quotation():
    """create_quotation with sensible terms; keyword arguments replace them."""
    from caravan.quotations.services import create_quotation

    def make(inquiry, **overrides):
        terms = {
            "lines": priced_lines(inquiry),
            "currency": "USD",
            "incoterm": "FOB",
            "incoterm_place": "Shanghai",
            "valid_until": timezone.localdate() + timedelta(days=30),
            "payment_terms": "30 % T/T deposit, balance before shipment",
            "lead_time": "25 days after deposit",
            "packaging": "Export plywood cases",
            "discount_percent": Decimal(5),
        }
        terms.update(overrides)
        return create_quotation(inquiry, **terms)

    return make
