"""Fixtures shared by every app's tests.

The test database is migrated and loaded with the demo company once per session; each
test then runs inside a transaction that is rolled back, so tests see the demo site and
cannot disturb each other."""

import io

import pytest
from django.test import Client

from caravan.demo import loader


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        loader.load(io.StringIO())


@pytest.fixture
def home(db):
    from caravan.core.models import HomePage

    return HomePage.objects.live().get(locale__language_code="en")


@pytest.fixture
def company(db):
    from caravan.core.models import CompanyProfile

    return CompanyProfile.objects.get()


@pytest.fixture
def anon_client():
    return Client()
