"""Fixtures of the inquiry tests: a clean cache (rate limits, used tokens) for every test,
a product to ask about, and a real SMTP server on loopback."""

import json
import shutil
import sqlite3
import sys
import urllib.request

import pytest
from django.core.cache import cache

from caravan.testing import make_product
from caravan.testing.processes import (
    ROOT,
    Process,
    clean_environment,
    copy_test_database,
    free_port,
    manage,
    start_server,
)
from caravan.testing.smtp import smtp_settings  # noqa: F401 - the shared fixture


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def product(home):
    """A published product page (only its title, URL and id matter here)."""
    from caravan.products.models import ProductIndexPage, ProductPage

    index = ProductIndexPage.objects.child_of(home).first()
    if index is None:
        index = ProductIndexPage(title="Products", slug="products")
        home.add_child(instance=index)
        index.save_revision().publish()
    existing = ProductPage.objects.filter(slug="dn100-gate-valve").first()
    if existing:
        return existing
    return make_product(title="DN100 cast-iron gate valve", slug="dn100-gate-valve", index=index)


# Real processes: a web server and task workers on a SQLite file -------------------------


@pytest.fixture(scope="session")
def site_db_template(django_db_setup, django_db_blocker, tmp_path_factory):
    """A SQLite file holding the migrated test database with the demo company: a copy of
    the session's in-memory database, made in a few milliseconds."""
    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        pytest.skip("process tests copy the in-memory SQLite test database")
    path = tmp_path_factory.mktemp("site-db") / "template.sqlite3"
    with django_db_blocker.unblock():
        copy_test_database(path)
    return path


class Site:
    """A database file and the environment of the processes that share it."""

    def __init__(self, directory, template):
        from django.conf import settings

        self.dir = directory
        self.db = directory / "caravan.sqlite3"
        shutil.copy(template, self.db)
        self.env = clean_environment(
            DJANGO_SETTINGS_MODULE="caravan.settings.base",
            DATABASE_URL=f"sqlite:///{self.db}",
            CARAVAN_VAR_DIR=directory,
            MEDIA_ROOT=settings.MEDIA_ROOT,  # where the demo's images are
            SECRET_KEY="inquiry-process-tests-" + "k" * 40,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CARAVAN_INQUIRY_RATE_LIMIT_IP="0",
            CARAVAN_INQUIRY_RATE_LIMIT_CONTACT="0",
            CARAVAN_INQUIRY_MIN_SECONDS="1",
            CARAVAN_INQUIRY_LEASE_SECONDS="6",
            EMAIL_TIMEOUT="10",
            PYTHONUNBUFFERED="1",
        )
        self.procs = []
        self.port = None

    def _environment(self, smtp_port, env):
        environment = {**self.env, **{k: str(v) for k, v in env.items()}}
        if smtp_port:
            environment["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
        return environment

    def manage(self, *args, smtp_port=None, timeout=120, **env):
        return manage(*args, env=self._environment(smtp_port, env), timeout=timeout).stdout

    def worker(self, smtp_port, *extra, **env):
        command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"]
        command += ["--no-startup-delay", "--interval", "0.2", *extra]
        name = f"proc-{len(self.procs)}"
        proc = Process(name, command, self._environment(smtp_port, env), self.dir)
        self.procs.append(proc)
        return proc

    def serve(self):
        """Serve the site with granian. Static files come straight from the source tree
        (granian's static mount, plain static storage of the dev settings with DEBUG off)
        so that no slow collectstatic run is needed."""
        from caravan.operations.management.commands.runsite import granian_command

        self.port = free_port()
        self.env["CARAVAN_BASE_URL"] = f"http://127.0.0.1:{self.port}"
        command = granian_command("127.0.0.1", self.port, 1, 4)
        static = ["--static-path-route", "/static", "--static-path-mount", ROOT / "caravan/static"]
        command[-1:-1] = [str(part) for part in static]
        env = self._environment(None, {"DJANGO_SETTINGS_MODULE": "caravan.settings.dev"})
        env["DEBUG"] = "false"
        self.web = start_server(
            f"proc-{len(self.procs)}", command, env, self.dir, self.url("/en/"), success_only=True
        )
        self.procs.append(self.web)
        return self

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def token(self):
        request = urllib.request.Request(
            self.url("/en/inquiry/token/"), headers={"Accept": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["token"]

    def post_inquiry(self, data):
        from urllib.parse import urlencode

        request = urllib.request.Request(
            self.url("/en/inquiry/"),
            data=urlencode(data).encode(),
            headers={"Accept": "application/json", "Origin": self.url("")},
        )
        with urllib.request.urlopen(request, timeout=20) as response:
            return json.loads(response.read())

    def query(self, sql, *params):
        with sqlite3.connect(self.db, timeout=20) as connection:
            connection.row_factory = sqlite3.Row
            return [dict(row) for row in connection.execute(sql, params)]

    def logs(self):
        return "\n".join(p.read_text() for p in sorted(self.dir.glob("proc-*.log")))

    def stop(self):
        for proc in self.procs:
            proc.stop()


@pytest.fixture(scope="module")
def live_site(site_db_template, tmp_path_factory):
    """The site served by granian on a free port, on its own copy of the database."""
    site = Site(tmp_path_factory.mktemp("live-site"), site_db_template).serve()
    yield site
    site.stop()


def submit(client, page, button_text, **typed):
    """Press the button labelled `button_text` on `page` (a response) as a browser would:
    post its form (the form it sits in, or the one its `form` attribute names) with every
    field's current value, `typed` values replacing them, and the button's own name and
    value. Returns the response, redirects followed."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.content, "html.parser")
    button = soup.find("button", string=lambda s: s and s.strip() == button_text)
    assert button is not None, f"no button {button_text!r}"
    form = (
        soup.find("form", id=button["form"]) if button.get("form") else button.find_parent("form")
    )
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "checkbox", "radio"):
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen.get("value", chosen.get_text()) if chosen else ""
        else:
            data[name] = field.get("value", "")
    data.update({k: "" if v is None else v for k, v in typed.items()})
    if button.get("name"):
        data[button["name"]] = button.get("value", "")
    return client.post(form["action"], data, follow=True)


@pytest.fixture
def press():
    return submit
