"""The admin and the public site in a real browser, under production settings and their
Content-Security-Policy: no violation anywhere, and the editor's work gets done."""

import io
import re
import secrets

import pytest
from django.conf import settings
from PIL import Image

from caravan.testing.processes import ROOT, clean_environment, free_port, manage, start_server

pytestmark = pytest.mark.browser

SHOTS = ROOT / "test-output"
ADMIN = settings.CARAVAN_ADMIN_PATH
# Records every CSP violation in the page; Playwright's init scripts are not subject to
# the page's policy.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, migrated_sqlite_template):
    """The demo site under production settings (plain HTTP on localhost, as behind a
    TLS proxy), with an admin account; served by granian as in production."""
    import shutil

    var = tmp_path_factory.mktemp("browser-site")
    shutil.copyfile(migrated_sqlite_template, var / "db.sqlite3")
    port = free_port()
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="caravan.operations.tests.system_settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=f"sqlite:///{var / 'db.sqlite3'}",
        CACHE_URL="locmemcache://",
        EMAIL_URL="consolemail://",
        CARAVAN_BASE_URL="https://localhost",
        SECURE_SSL_REDIRECT="false",
        CARAVAN_SERVE_MEDIA="true",
        CARAVAN_VAR_DIR=var,
        MEDIA_ROOT=var / "media",
        LOG_FORMAT="plain",
    )
    manage("load_demo", env=env)
    printed = manage("ensure_admin", env=env).stdout
    password = re.search(r"Password:\s+(\S+)", printed).group(1)
    about = manage(
        "shell",
        "-c",
        "from wagtail.models import Page; print(Page.objects.get(slug='about', locale__language_code='en').pk)",
        env=env,
    ).stdout.split()[-1]
    server = start_server(
        "browser-server", _granian(port), env, var, f"http://localhost:{port}/healthz"
    )
    try:
        yield {"url": f"http://localhost:{port}", "password": password, "about": about}
    finally:
        server.stop()


def _granian(port):
    from caravan.operations.management.commands.runsite import granian_command

    return granian_command("127.0.0.1", port, 1, 4)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    tab = context.new_page()
    tab.console_errors = []
    tab.on(
        "console",
        lambda message: (
            tab.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    yield tab
    context.close()


def json_ld_types(page):
    return page.evaluate(
        "[...document.querySelectorAll('script[type=\"application/ld+json\"]')]"
        ".map((s) => JSON.parse(s.textContent)['@type'])"
    )


def violations(page):
    return page.evaluate("window.__cspViolations")


def test_public_pages_run_their_scripts_and_break_no_rule(site, page):
    for path in ("/en/", "/en/about/", "/en/contact/", "/en/search/?q=valve"):
        page.goto(site["url"] + path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path
    # site.js (an external file) ran: the contact details were assembled.
    assert page.goto(site["url"] + "/en/contact/").status == 200
    page.wait_for_load_state("networkidle")
    assert page.locator("a.protected-contact.is-revealed").count() >= 3
    assert "BreadcrumbList" in json_ld_types(page)
    # JSON-LD blocks are data: present, readable, and no violation reported for them.
    page.goto(site["url"] + "/en/")
    page.wait_for_load_state("networkidle")
    assert "Organization" in json_ld_types(page)
    assert violations(page) == [] and page.console_errors == []


def test_an_editor_signs_in_edits_with_live_preview_and_uploads_an_image(site, page):
    SHOTS.mkdir(exist_ok=True)
    url = site["url"]
    page.goto(f"{url}/{ADMIN}/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", site["password"])
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/{ADMIN}/")
    assert "Dashboard" in page.title()
    assert violations(page) == []

    # The page editor, with its StreamField and rich text, and the live preview panel.
    page.goto(f"{url}/{ADMIN}/pages/{site['about']}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.title().startswith("Editing")
    page.locator('[data-side-panel-toggle="preview"]').first.click()
    preview = page.frame_locator("iframe[src*='preview']")
    preview.locator("h1").wait_for(timeout=30_000)
    assert preview.locator("h1").inner_text() == "About us"
    page.screenshot(path=str(SHOTS / "admin-editor-preview.png"))
    assert violations(page) == []

    # An image upload (XHR, previews from blob: URLs).
    page.goto(f"{url}/{ADMIN}/images/multiple/add/")
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (30, 120, 200)).save(buffer, "PNG")
    page.set_input_files(
        "#fileupload",
        files=[
            {"name": "browser-upload.png", "mimeType": "image/png", "buffer": buffer.getvalue()}
        ],
    )
    page.locator(".status-msg.success:visible").wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / "admin-image-upload.png"))
    assert violations(page) == []
    page.goto(f"{url}/{ADMIN}/images/?q=browser-upload")
    assert page.locator("text=browser-upload").count() >= 1
    assert page.console_errors == [], page.console_errors


def test_a_person_who_keeps_failing_to_sign_in_is_told_what_happened(site, page):
    # Runs last: it pauses sign-in from this browser's address.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{site['url']}/{ADMIN}/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", "not-the-password")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Sign-in paused"
    assert "Too many failed sign-in attempts" in page.locator("[role=alert]").inner_text()
    page.screenshot(path=str(SHOTS / "admin-sign-in-paused.png"))
    assert violations(page) == []
