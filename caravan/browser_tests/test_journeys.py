"""A buyer's journeys through the served site in Chromium, at 1280 px and on a 375×812
touch screen: from the news to a sent inquiry, from a product to an inquiry about it, with
the keyboard alone, without JavaScript, and the company's contact details."""

import re
import uuid
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"^[A-Z0-9-]{6,12}$")


def unique_contact(label):
    return f"{label}-{uuid.uuid4().hex[:8]}@buyer.example"


def focused(page):
    return page.evaluate(
        "() => { const el = document.activeElement; return {name: el.getAttribute('name'),"
        " tag: el.tagName, text: el.textContent.trim(), inDialog: !!el.closest('dialog'),"
        " outline: getComputedStyle(el).outlineStyle, shadow: getComputedStyle(el).boxShadow}; }"
    )


def inquiry_opener(page, text):
    """The first visible inquiry action with this text (the header's come first)."""
    return page.locator("a[data-inquiry-open]:visible", has_text=text).first


def follow(page, locator):
    """Tap or click a link and wait for the page it leads to."""
    toggle = page.locator(".site-menu__toggle")
    if not locator.is_visible() and toggle.is_visible():
        press(page, toggle)  # on a phone the main menu is behind its button
    href = locator.get_attribute("href")
    with page.expect_navigation():
        if page.context.kind == "mobile":
            locator.tap()
        else:
            locator.click()
    assert urlsplit(page.url).path == urlsplit(href).path or href.startswith("#")


def stored_inquiry(served_site, reference):
    rows = served_site.query(
        "SELECT i.*, p.title AS linked_product FROM inquiries_inquiry i "
        "LEFT JOIN wagtailcore_page p ON p.id = i.product_id WHERE i.reference = ?",
        reference,
    )
    assert len(rows) == 1, f"no inquiry {reference} in the site's database"
    return rows[0]


def press(page, locator):
    if page.context.kind == "mobile":
        locator.tap()
    else:
        locator.click()


def test_from_the_news_to_a_sent_inquiry(served_site, page, screenshots):
    page.goto(served_site.url("/"))
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="News"))
    assert page.locator("h1").first.is_visible()
    follow(page, page.locator("main article a[href], main .card a[href]").first)
    article_url = page.url
    title = page.locator("main h1").first.inner_text()

    press(page, inquiry_opener(page, "Send inquiry"))
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    assert page.url == article_url  # a dialog, not another page
    assert focused(page)["name"] == "name"
    send = dialog.get_by_role("button", name="Send inquiry")

    # Sent empty: every required field says what is missing; focus goes to the first.
    press(page, send)
    for name in ("name", "contact", "message"):
        error = page.locator(f"#inquiry-dialog-{name}-error")
        error.wait_for(state="visible")
        assert error.inner_text().strip()
        assert page.locator(f"#inquiry-dialog-{name}").get_attribute("aria-invalid") == "true"
    assert focused(page)["name"] == "name"

    contact = unique_contact("news")
    page.fill("#inquiry-dialog-name", "Dilnoza Karimova")
    page.fill("#inquiry-dialog-contact", contact)
    page.fill("#inquiry-dialog-message", f"We read “{title}”. Please quote 40 DN100 valves.")
    press(page, send)
    reference = dialog.locator(".reference")
    reference.wait_for(state="visible", timeout=15_000)
    assert REFERENCE.match(reference.inner_text()), reference.inner_text()
    assert "Thank you" in dialog.inner_text()
    page.screenshot(
        path=screenshots / f"dialog-sent-{page.viewport_size['width']}.png", scale="css"
    )

    row = stored_inquiry(served_site, reference.inner_text())
    assert (row["name"], row["contact"]) == ("Dilnoza Karimova", contact)
    assert title in row["message"]
    assert row["page_url"] == article_url
    assert not row["is_spam"], row["spam_reasons"]

    press(page, dialog.get_by_role("button", name="Back to the page"))
    dialog.wait_for(state="hidden")


def test_from_a_product_to_an_inquiry_about_it(served_site, page):
    page.goto(served_site.url("/"))
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Products"))
    follow(page, page.locator("main .card a[href], main article a[href]").first)
    product_url = page.url
    product = page.locator("main h1").first.inner_text()

    # The product's own button behaves like every inquiry button: the dialog, about the
    # product; without JavaScript, a link to the inquiry page with the product chosen.
    about = page.get_by_role("link", name="Send inquiry about this product").first
    href = about.get_attribute("href")
    assert "?product=" in href
    press(page, about)
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    assert dialog.locator("[data-inquiry-product-line]").inner_text() == f"About: {product}"
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.url == product_url

    # The dialog knows the product too, and the inquiry is linked to it.
    press(page, inquiry_opener(page, "Send inquiry"))
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    assert dialog.locator("[data-inquiry-product-line]").inner_text() == f"About: {product}"
    contact = unique_contact("product")
    page.fill("#inquiry-dialog-name", "Wei Zhang")
    page.fill("#inquiry-dialog-contact", contact)
    page.fill("#inquiry-dialog-message", "请报价：20 台，运往阿拉木图。")
    page.fill("#inquiry-dialog-quantity", "20")
    press(page, dialog.get_by_role("button", name="Send inquiry"))
    reference = dialog.locator(".reference")
    reference.wait_for(state="visible", timeout=15_000)
    assert product in dialog.inner_text()
    row = stored_inquiry(served_site, reference.inner_text())
    assert row["linked_product"] == product
    assert row["message"] == "请报价：20 台，运往阿拉木图。"
    assert row["quantity"] == 20

    # On the product page the header's "Contact supplier" (on a phone its one action,
    # "Send inquiry") is about the product too…
    header_action = "Send inquiry" if page.context.kind == "mobile" else "Contact supplier"
    page.goto(product_url)
    press(page, inquiry_opener(page, header_action))
    dialog.wait_for(state="visible")
    assert dialog.locator("[data-inquiry-product-line]").inner_text() == f"About: {product}"
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    # …while elsewhere it asks in general: no product attached.
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Contact"))
    press(page, inquiry_opener(page, header_action))
    dialog.wait_for(state="visible")
    assert dialog.locator("[data-inquiry-product-line]").is_hidden()


@pytest.mark.parametrize("context", ["desktop"], indirect=True)
def test_the_dialog_with_the_keyboard_alone(served_site, page):
    page.goto(served_site.url("/"))
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    for _ in range(40):
        if focused(page)["text"] == "Send inquiry":
            break
        page.keyboard.press("Tab")
    opener = focused(page)
    assert opener["text"] == "Send inquiry", "the inquiry action cannot be reached with Tab"
    assert opener["outline"] != "none" or opener["shadow"] != "none", "focus is invisible"
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")

    page.keyboard.type("Aigerim Nurlanova")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "contact"
    page.keyboard.type(unique_contact("keyboard"))
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "message"
    page.keyboard.type("Do you ship DN50 ball valves to Almaty?")
    for _ in range(12):
        if focused(page)["text"] == "Send inquiry" and focused(page)["inDialog"]:
            break
        page.keyboard.press("Tab")
        assert focused(page)["inDialog"]
    submit = focused(page)
    assert submit["tag"] == "BUTTON"
    assert submit["outline"] != "none" or submit["shadow"] != "none", "focus is invisible"
    page.keyboard.press("Enter")
    dialog.locator(".reference").wait_for(state="visible", timeout=15_000)
    assert focused(page)["inDialog"]  # the confirmation's heading, read out
    stored_inquiry(served_site, dialog.locator(".reference").inner_text())

    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert focused(page)["text"] == "Send inquiry"  # back where the buyer was


def test_without_javascript_the_inquiry_page_does_the_work(served_site, browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(served_site.url("/"))
    opener = page.locator(".header-actions a", has_text="Contact supplier")
    with page.expect_navigation():
        opener.click()
    assert page.locator("form[data-inquiry-form=page]").is_visible()
    assert page.get_by_role("dialog").count() == 0 or not page.locator("dialog[open]").count()

    with page.expect_navigation():
        page.get_by_role("button", name="Send inquiry").click()
    for name in ("name", "contact", "message"):
        assert page.locator(f"#inquiry-{name}-error").is_visible()
        assert page.locator(f"#inquiry-{name}").get_attribute("aria-invalid") == "true"

    contact = unique_contact("nojs")
    page.fill("#inquiry-name", "Olzhas Bekov")
    page.fill("#inquiry-contact", contact)
    page.fill("#inquiry-message", "Please send the price list for gate valves.")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Send inquiry").click()
    assert posted.value.status == 303
    page.wait_for_load_state()
    reference = page.locator(".reference").inner_text()
    assert REFERENCE.match(reference)
    assert page.locator("h1").inner_text() == "Thank you, your inquiry has been sent"
    assert stored_inquiry(served_site, reference)["contact"] == contact
    page.reload()  # reloading the confirmation sends nothing twice
    assert (
        len(served_site.query("SELECT id FROM inquiries_inquiry WHERE contact = ?", contact)) == 1
    )
    context.close()


def test_the_contact_panel_shows_a_person_the_email_and_phone(served_site, page):
    page.goto(served_site.url("/"))
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Contact"))
    company = served_site.query("SELECT sales_emails, phone FROM core_companyprofile")[0]
    email = company["sales_emails"].split(",")[0].strip()
    phone = company["phone"]

    mail = page.locator(f"a.protected-contact.is-revealed[href='mailto:{email}']").first
    assert mail.is_visible() and mail.inner_text() == email
    tel = page.locator("a.protected-contact.is-revealed[href^='tel:']").first
    assert tel.is_visible() and tel.inner_text() == phone
    assert tel.get_attribute("href") == "tel:+" + "".join(c for c in phone if c.isdigit())
    # Harvesters reading the HTML find neither.
    html = page.request.get(page.url).text()
    assert email not in html and phone not in html
