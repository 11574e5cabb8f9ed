"""The site as a buyer meets it: served by `manage.py runsite --prepare` (what `make run`
does) on a free port, once per test session, on a SQLite file of its own with the demo
company; Chromium from the root conftest's `browser` fixture."""

import shutil

import pytest

from caravan.testing import browser as support
from caravan.testing import services
from caravan.testing.processes import copy_test_database

# The test server reads these from its environment (caravan/settings/base.py). A form
# must normally be open 3 s before it is sent (a person types; robots do not); the tests
# type in milliseconds and do not sleep, so the server under test accepts them at once.
# Rate limits stay at their defaults: the tests send few inquiries, each from its own
# address.
SERVER_ENV = {"CARAVAN_INQUIRY_MIN_SECONDS": "0"}


DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _suite_has_a_test_database(request):
    """Whether pytest-django sets up its test database in this run (only when some test
    asks for it), and that database is the in-memory SQLite one."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return False
    return any(
        item.get_closest_marker("django_db") or DB_FIXTURES & set(item.fixturenames)
        for item in request.session.items
    )


@pytest.fixture(scope="session")
def served_site(request, tmp_path_factory):
    problem = support.browser_problem()
    if problem:
        services.skip_or_fail(problem, services.REQUIRE_BROWSER_ENV)
    directory = tmp_path_factory.mktemp("served-site")
    database = directory / "caravan.sqlite3"
    media_root = None
    if _suite_has_a_test_database(request):
        # The suite's own database already holds the demo: a copy takes milliseconds.
        from django.conf import settings

        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            copy_test_database(database)
        media_root = settings.MEDIA_ROOT  # where the demo's images are
    # Otherwise prepare migrates the empty file and loads the demo (about 30 s).
    site = support.ServedSite(directory, database, media_root, **SERVER_ENV)
    site.start()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def pages(served_site, browser):
    """{name: url} of the pages under test, found by following links from the home page."""
    context = browser.new_context()
    found = support.discover_pages(context.new_page(), served_site.url("/"))
    context.close()
    return found


@pytest.fixture(scope="session")
def axe_source():
    try:
        return support.ensure_axe().read_text()
    except RuntimeError as exc:
        services.skip_or_fail(str(exc), services.REQUIRE_BROWSER_ENV)


@pytest.fixture(params=["desktop", "mobile"])
def context(request, browser):
    """A fresh browser context (no cache, no storage) at 1280 px, or on a 375×812 touch
    screen; it fails the test on any script error or unexpected alert."""
    options = support.DESKTOP if request.param == "desktop" else support.MOBILE
    ctx = browser.new_context(**options)
    ctx.kind = request.param
    ctx.errors = []
    yield ctx
    ctx.close()
    assert ctx.errors == [], ctx.errors


@pytest.fixture
def page(context):
    tab = context.new_page()
    tab.on("pageerror", lambda error: context.errors.append(f"script error: {error}"))
    tab.on("console", lambda message: _console(context, message))
    tab.on("dialog", lambda box: context.errors.append(f"unexpected {box.type}(): {box.message}"))
    return tab


def _console(context, message):
    # A form sent with missing fields gets a 400 answer by design; Chromium logs that.
    if message.type == "error" and "status of 400" not in message.text:
        context.errors.append(f"console: {message.text}")


@pytest.fixture(scope="session")
def screenshots():
    shutil.rmtree(support.SCREENSHOTS, ignore_errors=True)
    support.SCREENSHOTS.mkdir(parents=True)
    return support.SCREENSHOTS
