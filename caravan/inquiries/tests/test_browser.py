"""A buyer in a real browser (Chromium through Playwright) against the site served by
granian: the dialog with the keyboard, its errors and confirmation, attribution from
sessionStorage, the page without JavaScript, and the bar on a small screen."""

import json
import time

import pytest

from caravan.testing.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def browser(db):
    """Chromium per test, started after the test database (Django refuses database access
    while Playwright's sync API is active); skipped or failed as the suite's rule says."""
    with chromium() as started:
        yield started


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on(
        "dialog", lambda dialog: pytest.fail(f"unexpected {dialog.type}() box: {dialog.message}")
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def active(page):
    return page.evaluate(
        "() => { const el = document.activeElement; return {name: el.getAttribute('name'), "
        "inDialog: !!el.closest('dialog'), text: el.textContent.trim(), id: el.id}; }"
    )


def latest_inquiry(site):
    rows = site.query("SELECT * FROM inquiries_inquiry ORDER BY id DESC LIMIT 1")
    return rows[0] if rows else None


def test_the_dialog_works_with_the_keyboard_and_keeps_focus_inside(live_site, page):
    page.goto(live_site.url("/en/about/"))
    opener = page.locator(".header-actions a", has_text="Send inquiry")
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Send an inquiry")
    dialog.wait_for(state="visible")
    assert page.url == live_site.url("/en/about/")  # no navigation
    assert active(page)["name"] == "name"
    for _ in range(25):
        page.keyboard.press("Tab")
        assert active(page)["inDialog"], active(page)
    page.locator("#inquiry-dialog-name").focus()
    page.keyboard.press("Shift+Tab")
    assert active(page)["inDialog"]
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert active(page)["text"] == "Send inquiry"  # focus is back on the opener


def test_errors_appear_next_to_the_fields_and_the_first_one_gets_focus(live_site, page):
    page.goto(live_site.url("/en/"))
    page.locator(".header-actions a", has_text="Contact supplier").click()
    dialog = page.get_by_role("dialog", name="Contact the supplier")
    dialog.wait_for(state="visible")
    page.fill("#inquiry-dialog-message", "Do you ship to Tashkent?")
    page.fill("#inquiry-dialog-contact", "not a contact")
    dialog.get_by_role("button", name="Send inquiry").click()
    page.locator("#inquiry-dialog-name-error").wait_for(state="visible")
    assert "Enter your name." in page.locator("#inquiry-dialog-name-error").inner_text()
    assert (
        "e-mail address or a phone number"
        in page.locator("#inquiry-dialog-contact-error").inner_text()
    )
    assert page.locator("#inquiry-dialog-message-error").is_hidden()
    assert page.get_attribute("#inquiry-dialog-name", "aria-invalid") == "true"
    assert active(page)["name"] == "name"
    assert page.input_value("#inquiry-dialog-message") == "Do you ship to Tashkent?"  # kept
    assert dialog.is_visible()


def test_an_inquiry_from_the_dialog_is_confirmed_in_place_with_its_attribution(live_site, page):
    # The visit lands on a campaign link, then the buyer reads another page.
    page.goto(live_site.url("/en/about/?utm_source=expo&utm_medium=print&utm_campaign=almaty-2026"))
    page.goto(live_site.url("/en/contact/"))
    page.locator(".header-actions a", has_text="Send inquiry").click()
    page.get_by_role("dialog").wait_for(state="visible")
    page.fill("#inquiry-dialog-name", "Нодира Юсупова")
    page.fill("#inquiry-dialog-contact", "90 123 45 67")
    page.select_option("#inquiry-dialog-country", "UZ")  # filled in when the dialog opened
    page.fill("#inquiry-dialog-message", "Нужны шаровые краны DN50, 200 шт.")
    page.fill("#inquiry-dialog-quantity", "200")
    time.sleep(1.2)  # a person takes a moment (the test server's minimum is 1 s)
    page.get_by_role("button", name="Send inquiry").last.click()
    title = page.locator("[data-inquiry-done-title]")
    title.wait_for(state="visible")
    assert title.inner_text() == "Thank you, your inquiry has been sent"
    assert active(page)["text"] == "Thank you, your inquiry has been sent"
    reference = page.locator("#inquiry-dialog .reference").inner_text()
    inquiry = latest_inquiry(live_site)
    assert inquiry["reference"] == reference
    assert not inquiry["is_spam"], inquiry["spam_reasons"]
    assert inquiry["contact_phone"] == "+998901234567"
    assert inquiry["page_url"] == live_site.url("/en/contact/")
    assert inquiry["landing_page"].startswith(live_site.url("/en/about/?utm_source=expo"))
    assert (inquiry["utm_source"], inquiry["utm_medium"], inquiry["utm_campaign"]) == (
        "expo",
        "print",
        "almaty-2026",
    )
    assert inquiry["ip_network"] == "127.0.0.0/24" and "Chrome" in inquiry["user_agent"]
    # The pages of the visit, from sessionStorage: paths on this site, in order.
    assert json.loads(inquiry["pages_viewed"]) == ["/en/about/", "/en/contact/"]
    # No cookie was ever set.
    assert page.context.cookies() == []
    # Closing returns to the page; opening again gives a fresh form.
    page.get_by_role("button", name="Back to the page").click()
    page.get_by_role("dialog").wait_for(state="hidden")
    page.locator(".header-actions a", has_text="Send inquiry").click()
    assert page.input_value("#inquiry-dialog-name") == ""
    assert page.locator("#inquiry-dialog form").is_visible()


def test_without_javascript_the_inquiry_page_works_on_its_own(live_site, browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(live_site.url("/en/about/"))
    page.locator(".header-actions a", has_text="Send inquiry").click()
    page.wait_for_url(live_site.url("/en/inquiry/"))
    page.fill("#inquiry-contact", "jean-pierre@example.fr")
    page.fill("#inquiry-message", "Nous cherchons un fournisseur de vannes.")
    page.get_by_role("button", name="Send inquiry").click()
    # Errors: the form again, with the message next to the field and the text kept.
    assert "Enter your name." in page.locator("#inquiry-name-error").inner_text()
    assert page.input_value("#inquiry-message") == "Nous cherchons un fournisseur de vannes."
    page.fill("#inquiry-name", "Jean-Pierre Lefèvre")
    time.sleep(1.2)
    page.get_by_role("button", name="Send inquiry").click()
    page.wait_for_url("**/en/inquiry/sent/**")
    assert page.locator("h1").inner_text() == "Thank you, your inquiry has been sent"
    reference = page.locator(".reference").inner_text()
    assert latest_inquiry(live_site)["reference"] == reference
    assert not latest_inquiry(live_site)["is_spam"]
    back = page.get_by_role("link", name="Back to where you were")
    assert back.get_attribute("href") == live_site.url("/en/about/")
    assert context.cookies() == []
    context.close()


def test_small_screens_get_one_send_inquiry_in_the_header_and_a_full_screen_dialog(
    live_site, browser
):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(live_site.url("/en/about/"))
    # The compact header keeps "Send inquiry" in view; nothing else offers it twice.
    send = page.locator(".header-actions a", has_text="Send inquiry")
    assert send.is_visible()
    assert page.locator(".header-actions a", has_text="Contact supplier").is_hidden()
    visible = page.locator("a:visible", has_text="Send inquiry")
    assert visible.count() == 1 + page.locator("main a:visible", has_text="Send inquiry").count()
    # Nothing is stuck over the bottom of the screen: at the end of the page the footer's
    # last link is what a tap there reaches.
    page.keyboard.press("End")
    page.wait_for_timeout(300)
    last = page.locator("footer a").last
    box = last.bounding_box()
    assert box["y"] + box["height"] <= 740 + 1
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.outerHTML ?? ''",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert hit == last.evaluate("a => a.outerHTML")
    assert send.is_visible()  # the header sticks
    send.click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    dialog_box = dialog.bounding_box()
    assert dialog_box["width"] <= 375 and dialog_box["x"] >= 0
    context.close()


def test_the_inbox_reads_at_a_glance_and_the_lead_keeps_a_typed_note(live_site, browser):
    """The admin's own scripts are not served by this test server (static files come from
    the project's tree only): what is checked here works without them."""
    import re

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    printed = live_site.manage("ensure_admin", "--username", "inbox-admin", "--reset-password")
    password = re.search(r"Password:\s+(\S+)", printed).group(1)
    page.goto(live_site.url("/en/about/"))
    page.goto(live_site.url("/en/products/"))
    page.locator(".header-actions a", has_text="Send inquiry").click()
    page.get_by_role("dialog").wait_for(state="visible")
    page.fill("#inquiry-dialog-name", "سارة الأحمد")
    page.fill("#inquiry-dialog-contact", "sara@nile-trading.example")
    page.fill("#inquiry-dialog-message", "نريد عرض سعر لصمامات DN100")
    time.sleep(1.2)
    page.get_by_role("button", name="Send inquiry").last.click()
    page.locator("[data-inquiry-done-title]").wait_for(state="visible")
    reference = page.locator("#inquiry-dialog .reference").inner_text()

    page.goto(live_site.url("/admin/login/"))
    page.fill("#id_username", "inbox-admin")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(live_site.url("/admin/"))
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(live_site.url("/admin/inquiries/"))
    link = page.locator("table.listing a", has_text=reference)
    # The reference stays on one line even in a narrow window.
    assert link.evaluate("a => getComputedStyle(a).whiteSpace") == "nowrap"
    assert link.evaluate("a => a.getClientRects().length") == 1
    # The bulk-action bar waits for a selection.
    bar = page.locator("#inbox-bulk")
    assert bar.is_hidden()
    page.get_by_label(f"Select {reference}").check()
    assert bar.is_visible()
    page.get_by_label(f"Select {reference}").uncheck()
    assert bar.is_hidden()

    # On the lead, a typed note survives pressing another button.
    link.click()
    page.wait_for_url(re.compile(r".*/inspect/\d+/$"))
    assert "/en/about/ › /en/products/" in page.locator("[data-lead-pages]").inner_text()
    assert page.locator("[data-lead-message]").get_attribute("dir") == "auto"
    page.fill("#id_text", "Arabic-speaking buyer, call after 14:00 Cairo time")
    page.get_by_role("button", name="Mark as spam").click()
    page.wait_for_load_state("load")
    history = page.locator("[data-lead-history]").inner_text()
    assert "Arabic-speaking buyer, call after 14:00 Cairo time" in history
    assert "status changed: New → Spam" in history

    # A note typed and not saved: leaving the page asks first (the page cancels the
    # browser's beforeunload event, which makes the browser ask).
    leaving = (
        "() => { const e = new Event('beforeunload', {cancelable: true});"
        " window.dispatchEvent(e); return e.defaultPrevented; }"
    )
    assert page.evaluate(leaving) is False
    page.fill("#id_text", "Half-typed thought")
    assert page.evaluate(leaving) is True
