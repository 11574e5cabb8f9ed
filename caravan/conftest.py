"""Fixtures shared by every app's tests.

The test database is migrated and loaded with the demo company once per session; each
test then runs inside a transaction that is rolled back, so tests see the demo site and
cannot disturb each other."""

import io

import pytest
from django.conf import settings
from django.test import Client

from caravan.demo import loader
from caravan.testing import browser as browser_support
from caravan.testing import services


def pytest_sessionstart(session):
    """The interface translations (.mo) are build output: compile the changed ones before
    the suite, as `make run` does before serving."""
    from caravan.core import catalogues

    if not hasattr(session.config, "workerinput"):  # with pytest-xdist, the controller does it
        catalogues.compile_all()


def pytest_runtest_setup(item):
    """Tests marked `postgres`/`redis` skip with one clear line when the suite does not
    run on that service, and fail instead under CARAVAN_REQUIRE_SERVICES=1 (CI)."""
    for marker, problem_of in (
        ("postgres", services.postgres_problem),
        ("redis", services.redis_problem),
    ):
        if item.get_closest_marker(marker):
            problem = problem_of()
            if problem:
                services.skip_or_fail(problem)


def _browser_required():
    return services.required(services.REQUIRE_BROWSER_ENV)


def pytest_collection_modifyitems(config, items):
    """Without Chromium (or Playwright) the tests marked `browser` are left out, and the
    run ends with one line saying how to run them; under CARAVAN_REQUIRE_BROWSER=1 (CI)
    they stay in and fail instead."""
    problem = browser_support.browser_problem()
    if not problem or _browser_required():
        return
    left_out = [item for item in items if item.get_closest_marker("browser")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("browser")]
        config._caravan_browser_note = (
            f"{len(left_out)} browser tests not run: {problem}. To run them, "
            f"{browser_support.ENABLE_HINT}."
        )


def pytest_terminal_summary(terminalreporter, config):
    note = getattr(config, "_caravan_browser_note", None)
    if note is None and config.pluginmanager.hasplugin("dsession"):
        # With pytest-xdist the worker processes collect; the controller says it here.
        problem = browser_support.browser_problem()
        if problem and not _browser_required():
            note = f"Browser tests not run: {problem}. To run them, {browser_support.ENABLE_HINT}."
    if note:
        terminalreporter.write_line(note, yellow=True)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request through LocaleMiddleware (or a
    test's own activate) leaves its language active in the thread, and the next test in
    the same process would otherwise render in it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def browser():
    """Chromium driven by Playwright, one per test module. (Not per session: while
    Playwright's sync API is active, Django refuses database access in this thread.)"""
    with browser_support.chromium() as chromium:
        yield chromium


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


# People: a member of Wagtail's Editors group and of the Sales group (the lead inbox). A
# superuser is pytest-django's `admin_user` (`admin_client` is signed in as one).


def _member(django_user_model, group, username, **fields):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username, f"{username}@silkline-flow.example", "pw", **fields
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(db, django_user_model):
    """A member of the Editors group: edits pages, images, documents and snippets."""
    return _member(django_user_model, "Editors", "eddie")


@pytest.fixture
def editor_client(editor):
    return _signed_in(editor)


@pytest.fixture
def sales(db, django_user_model):
    """A member of the Sales group: sees the lead inbox and works leads, no pages."""
    return _member(django_user_model, "Sales", "anna", first_name="Anna", last_name="Berg")


@pytest.fixture
def sales_client(sales):
    return _signed_in(sales)


@pytest.fixture
def keeping(settings):
    """Pages served alone and previews keep their look-ups (caravan/core/shared.py), from
    an empty cache and no look-ups kept by an earlier test in this process: a cleared
    cache starts the content generation at 1 again, which an earlier test's kept
    look-ups (of rows since rolled back, whose ids come again) may also carry."""
    from django.core.cache import cache

    from caravan.core import shared

    settings.CARAVAN_KEEP_LOOKUPS = True
    cache.clear()
    shared._served_stores.clear()
    yield
    cache.clear()
    shared._served_stores.clear()
