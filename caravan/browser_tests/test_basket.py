"""The inquiry basket and the chat hand-off in Chromium, at 1280 px and on a 375×812 touch
screen: products added from cards and product pages, the count in the header, the basket
kept across reloads and languages, the inquiry page showing the basket's lines and
writing edits back, a request sent with a drawing; without JavaScript "Add to inquiry" is
a link that fills the inquiry page's row; "Chat on WhatsApp" is counted and leads to
WhatsApp only."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from .test_journeys import follow, press, unique_contact

pytestmark = pytest.mark.browser

BASKET = "caravan-basket"


def basket(page):
    return json.loads(page.evaluate(f"() => localStorage.getItem('{BASKET}') || 'null'"))


def header_count(page):
    link = page.locator("[data-basket-link]")
    return int(link.locator("[data-basket-count]").inner_text()) if link.is_visible() else 0


def open_product_list(served_site, page):
    page.goto(served_site.url("/"))
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Products"))


def switch_language(page, code):
    """Open the language menu and follow it to `code` (it redirects to the page's
    translation)."""
    link = page.locator(f".language-switcher a[hreflang={code}]").first
    if not link.is_visible():
        press(page, page.locator(".language-switcher__toggle"))
    with page.expect_navigation(url=lambda url: f"/{code}/" in url):
        press(page, link)
    assert page.locator("html").get_attribute("lang") == code


def card_buttons(page):
    return page.locator("main .product-card button[data-basket-add]")


def needs_basket_rows(page):
    """The inquiry page's product rows (the formset with prefix `items`) are the basket
    page: without them the basket's lines have nowhere to go."""
    assert page.locator("#inquiry-item-template").count(), "no product rows on the inquiry page"


def test_products_added_from_cards_and_a_product_page_are_counted_and_kept(served_site, page):
    open_product_list(served_site, page)
    assert page.locator("[data-basket-link]").is_hidden()  # an empty basket shows nothing
    header_height = page.locator(".site-header").bounding_box()["height"]
    first, second = card_buttons(page).nth(0), card_buttons(page).nth(1)
    first_key = first.get_attribute("data-product-key")
    first_title = first.get_attribute("data-product-title")

    press(page, first)
    assert first.get_attribute("aria-pressed") == "true"
    # The count joins the header's actions without making the header taller.
    assert page.locator("[data-basket-link]").is_visible()
    header = page.locator(".site-header").bounding_box()
    count = page.locator("[data-basket-link]").bounding_box()
    assert header["height"] == header_height
    assert (
        header["y"] <= count["y"] and count["y"] + count["height"] <= header["y"] + header["height"]
    )
    assert header_count(page) == 1
    assert page.locator("[data-basket-status]").inner_text().endswith(" 1")
    stored = basket(page)
    assert stored["v"] == 1
    (line,) = stored["lines"]
    assert (line["key"], line["title"], line["quantity"], line["unit"]) == (
        first_key,
        first_title,
        1,
        "piece",
    )
    assert line["lang"] == "en" and line["url"].endswith("/") and line["id"] > 0

    # From the second product's own page.
    follow(page, page.locator("main .product-card").nth(1).locator("a.card__link"))
    on_page = page.locator(".product-summary button[data-basket-add]")
    assert on_page.get_attribute("aria-pressed") == "false"
    press(page, on_page)
    assert header_count(page) == 2
    assert on_page.get_attribute("aria-pressed") == "true"

    # The basket survives a reload and shows on the cards it came from.
    open_product_list(served_site, page)
    assert header_count(page) == 2
    assert first.get_attribute("aria-pressed") == "true"
    assert second.get_attribute("aria-pressed") == "true"
    # A second press takes the product out again.
    press(page, first)
    assert header_count(page) == 1
    assert [line["key"] for line in basket(page)["lines"]] == [
        second.get_attribute("data-product-key")
    ]


def test_the_basket_follows_a_switch_of_language(served_site, page):
    open_product_list(served_site, page)
    button = card_buttons(page).first
    key = button.get_attribute("data-product-key")
    press(page, button)
    switch_language(page, "ar")
    assert header_count(page) == 1
    same = page.locator(f"main button[data-basket-add][data-product-key='{key}']")
    assert same.get_attribute("aria-pressed") == "true"
    assert same.get_attribute("data-product-title") != basket(page)["lines"][0]["title"]


def test_the_inquiry_page_is_the_basket_and_sends_the_lines_with_a_drawing(
    served_site, page, tmp_path
):
    open_product_list(served_site, page)
    wanted = [card_buttons(page).nth(i) for i in range(3)]
    keys = [button.get_attribute("data-product-key") for button in wanted]
    for button in wanted:
        press(page, button)
    follow(page, page.locator("[data-basket-link]"))
    needs_basket_rows(page)

    rows = page.locator("#inquiry-items .inquiry-item")
    assert rows.count() == 3
    assert page.locator("[name=items-TOTAL_FORMS]").input_value() == "3"
    chosen = [
        rows.nth(i).locator("select[name$=-product] option:checked").get_attribute("data-key")
        for i in range(3)
    ]
    assert chosen == keys

    # Edits are written back to the basket; a removed line leaves it.
    rows.nth(0).locator("input[name$=-quantity]").fill("12")
    rows.nth(0).locator("select[name$=-unit]").select_option("carton")
    rows.nth(0).locator("input[name$=-note]").fill("Blue handwheels")
    first = basket(page)["lines"][0]
    assert (first["quantity"], first["unit"], first["note"]) == (12, "carton", "Blue handwheels")
    press(page, rows.nth(2).get_by_role("button", name="Remove"))
    assert rows.count() == 2 and header_count(page) == 2
    assert page.locator("[name=items-TOTAL_FORMS]").input_value() == "2"
    assert [line["key"] for line in basket(page)["lines"]] == keys[:2]

    # In Arabic: the same products, named in Arabic, with the quantities kept.
    english = rows.nth(0).locator("select[name$=-product] option:checked").inner_text()
    switch_language(page, "ar")
    rows = page.locator("#inquiry-items .inquiry-item")
    assert rows.count() == 2
    option = rows.nth(0).locator("select[name$=-product] option:checked")
    assert option.get_attribute("data-key") == keys[0]
    assert option.inner_text() != english
    assert rows.nth(0).locator("input[name$=-quantity]").input_value() == "12"
    arabic = [
        rows.nth(i).locator("select[name$=-product] option:checked").inner_text() for i in range(2)
    ]

    # Sent with a drawing: the confirmation lists the lines and the basket is emptied.
    drawing = tmp_path / "drawing.pdf"
    drawing.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.fill("#inquiry-name", "Layla Haddad")
    page.fill("#inquiry-contact", unique_contact("basket"))
    page.fill("#inquiry-message", "Please quote these two lines, CIF Jebel Ali.")
    page.set_input_files("input[name=attachments]", str(drawing))
    with page.expect_navigation():
        press(page, page.locator("form[data-inquiry-form=page] button[type=submit]"))
    assert page.locator(".reference").is_visible()
    confirmation = page.locator("main").inner_text()
    assert all(title in confirmation for title in arabic), confirmation
    assert header_count(page) == 0 and basket(page)["lines"] == []


def test_without_javascript_add_to_inquiry_fills_the_inquiry_page(served_site, browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    context.kind = "desktop"
    page = context.new_page()
    open_product_list(served_site, page)
    link = page.locator("main .product-card a[data-basket-add]").first
    title = link.get_attribute("data-product-title")
    product_id = link.get_attribute("data-product-id")
    follow(page, link)
    assert parse_qs(urlsplit(page.url).query) == {"product": [product_id]}
    chosen = page.locator("form[data-inquiry-form=page] select option:checked", has_text=title)
    assert chosen.count() >= 1
    context.close()


def test_a_chat_click_is_counted_and_leads_to_whatsapp(served_site, page):
    open_product_list(served_site, page)
    follow(page, page.locator("main .product-card a.card__link").first)
    title = page.locator("main h1").inner_text()
    product_id = page.locator(".product-summary [data-basket-add]").get_attribute("data-product-id")

    def clicks():
        rows = served_site.query(
            "SELECT SUM(count) AS n FROM inquiries_chatclick WHERE product_id = ?", product_id
        )
        return rows[0]["n"] or 0

    before = clicks()
    # WhatsApp itself is not visited: the site's answer is read here and stands in.
    answers = []

    def hand_off(route):
        answer = route.fetch(max_redirects=0)
        answers.append((answer.status, answer.headers.get("location", "")))
        route.fulfill(body="WhatsApp")

    page.route("**/inquiry/chat/**", hand_off)
    with page.expect_navigation():
        press(page, page.get_by_role("link", name="Chat on WhatsApp"))
    assert clicks() == before + 1
    ((status, location),) = answers
    target = urlsplit(location)
    assert status == 302 and target.netloc == "wa.me"
    assert target.path.strip("/").isdigit()
    assert title in parse_qs(target.query)["text"][0]

    # The address never leads anywhere but WhatsApp, whatever it is given.
    answer = page.context.request.get(
        served_site.url(
            f"/en/inquiry/chat/whatsapp/?product={product_id}&page=https://evil.example/"
            "&next=https://evil.example/"
        ),
        max_redirects=0,
    )
    assert answer.status == 302
    assert urlsplit(answer.headers["location"]).netloc == "wa.me"


@pytest.mark.parametrize("size", [(390, 844), (1366, 900)], ids=["phone", "desktop"])
def test_screenshots_of_a_product_page_and_the_basket(served_site, browser, screenshots, size):
    """For people to look at (test-output/screenshots/): a product page with its basket
    button and chat links, and the basket on the inquiry page, in English and Arabic."""
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    context.kind = "desktop"
    page = context.new_page()
    open_product_list(served_site, page)
    for i in range(2):
        press(page, card_buttons(page).nth(i))
    follow(page, page.locator("main .product-card a.card__link").first)
    english_product = page.url
    for language in ("en", "ar"):
        if language == "ar":
            page.goto(english_product)
            switch_language(page, "ar")
        assert page.locator("[data-basket-link]").is_visible()
        page.locator(".product-summary__actions").scroll_into_view_if_needed()
        page.screenshot(path=screenshots / f"basket-product-{language}-{width}.png")
        follow(page, page.locator("[data-basket-link]"))
        page.locator("form[data-inquiry-form=page]").scroll_into_view_if_needed()
        page.screenshot(path=screenshots / f"basket-inquiry-{language}-{width}.png", full_page=True)
    context.close()
