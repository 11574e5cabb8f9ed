"""Fixtures shared by every app's tests.

The test database is migrated and loaded with the demo company once per session; each
test then runs inside a transaction that is rolled back, so tests see the demo site and
cannot disturb each other."""

import io
import os

import pytest
from django.test import Client

from caravan import testing
from caravan.demo import loader


def pytest_sessionstart(session):
    """The interface translations (.mo) are build output: compile the changed ones before
    the suite, as `make run` does before serving."""
    from caravan.core import catalogues

    catalogues.compile_all()


def pytest_runtest_setup(item):
    """Tests marked `postgres`/`redis` skip with one clear line when the suite does not
    run on that service, and fail instead under CARAVAN_REQUIRE_SERVICES=1 (CI)."""
    for marker, problem_of in (
        ("postgres", testing.postgres_problem),
        ("redis", testing.redis_problem),
    ):
        if item.get_closest_marker(marker):
            problem = problem_of()
            if problem and os.environ.get(testing.REQUIRE_SERVICES_ENV) == "1":
                pytest.fail(f"{problem} [{testing.REQUIRE_SERVICES_ENV}=1]", pytrace=False)
            if problem:
                pytest.skip(problem)


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
