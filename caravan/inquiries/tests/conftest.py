"""Fixtures of the inquiry tests: a clean cache (rate limits, used tokens) for every test,
a product to ask about, and a real SMTP server on loopback."""

import pytest
from django.core.cache import cache

from caravan.testing import SmtpServer


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def product(home):
    """A published product page (the products app adds its own fields in parallel; only
    its title, URL and id matter here)."""
    from caravan.products.models import ProductIndexPage, ProductPage

    index = ProductIndexPage.objects.child_of(home).first()
    if index is None:
        index = ProductIndexPage(title="Products", slug="products")
        home.add_child(instance=index)
        index.save_revision().publish()
    existing = ProductPage.objects.filter(slug="dn100-gate-valve").first()
    if existing:
        return existing
    page = ProductPage(title="DN100 cast-iron gate valve", slug="dn100-gate-valve")
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def smtp_settings(settings, smtp):
    """Send through the real SMTP server on loopback."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    return smtp
