"""The storefront looked at, not guessed: the first screen of home, product list,
product, article, contact and inquiry pages at 390, 768 and 1366 px in every language,
compared with the baselines in browser_tests/screenshots/ (`make screenshots` refreshes
them when a change of look is intended); and the frame around them steady: the header
is equally tall in every language and on every page at each width, its search
placeholder is never cut, it stays on screen when scrolled without hiding what it
scrolls to, and on a phone the product's or article's title is on the first screen."""

from urllib.parse import parse_qs, urlsplit

import pytest

from caravan.testing import screenshots

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "es", "ar", "ru", "zh-hans"]
PAGES = {
    "home": "home",
    "product-list": "product list",
    "product": "product detail",
    "article": "news detail",
    "contact": "contact",
    "inquiry": "inquiry page",
}
SCREENS = {390: 844, 768: 1024, 1366: 900}


@pytest.fixture(scope="module")
def localized_pages(served_site, browser, pages):
    """{(page name, language): url}: the English pages under test and their versions in
    each language, as the language menu links to them."""
    context = browser.new_context()
    page = context.new_page()
    found = {}
    for name, key in PAGES.items():
        page.goto(pages[key])
        found[name, "en"] = pages[key]
        for link in page.locator(".language-switcher a[hreflang]").all():
            target = parse_qs(urlsplit(link.get_attribute("href")).query)["next"][0]
            language = link.get_attribute("href").split("/")[2]
            found[name, language] = served_site.url(target)
    context.close()
    missing = [(n, lang) for n in PAGES for lang in LANGUAGES if (n, lang) not in found]
    assert not missing, f"pages without a version in every language: {missing}"
    return found


def open_screen(browser, width, javascript=True):
    """A browser tab of `width` (the site's CSS stops transitions for reduced motion)."""
    context = browser.new_context(
        viewport={"width": width, "height": SCREENS[width]},
        reduced_motion="reduce",
        java_script_enabled=javascript,
    )
    return context, context.new_page()


def settle(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")


@pytest.mark.parametrize("width", SCREENS)
@pytest.mark.parametrize("name", PAGES)
def test_the_first_screen_looks_as_it_did(browser, localized_pages, name, width):
    context, page = open_screen(browser, width)
    problems = []
    try:
        for language in LANGUAGES:
            settle(page, localized_pages[name, language])
            shot = page.screenshot(animations="disabled", caret="hide")
            key = f"{language}/{name}-{width}"
            problem = screenshots.compare(shot, key)
            if problem and screenshots.updating():
                # Only what changed beyond the tolerance is rewritten: the diff shows
                # real changes of look, not anti-aliasing.
                print(f"baseline rewritten: {screenshots.save_baseline(shot, key)}")
            elif problem:
                problems.append(problem)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


HEADER = """() => {
  const header = document.querySelector('.site-header');
  const input = document.querySelector('.site-header input[type=search]');
  const style = getComputedStyle(input);
  const canvas = document.createElement('canvas').getContext('2d');
  canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = input.clientWidth - parseFloat(style.paddingInlineStart) - parseFloat(style.paddingInlineEnd);
  return {
    height: header.getBoundingClientRect().height,
    placeholder: input.placeholder,
    placeholderWidth: canvas.measureText(input.placeholder).width,
    room: input.getClientRects().length ? room : null,
  };
}"""


@pytest.mark.parametrize("width", SCREENS)
def test_the_header_is_as_tall_in_every_language_and_on_every_page(browser, localized_pages, width):
    context, page = open_screen(browser, width)
    heights = {}
    cut = []
    try:
        for name in PAGES:
            for language in LANGUAGES:
                settle(page, localized_pages[name, language])
                if page.locator(".site-menu__toggle").is_visible():
                    page.locator(".site-menu__toggle").click()  # the search is in the menu
                header = page.evaluate(HEADER)
                heights[name, language] = header["height"]
                if header["room"] is not None and header["placeholderWidth"] > header["room"]:
                    cut.append(f"{language}: “{header['placeholder']}”")
    finally:
        context.close()
    assert len(set(heights.values())) == 1, f"header heights at {width} px: {heights}"
    assert next(iter(heights.values())) <= (64 if width < 1024 else 120)
    assert not cut, f"search placeholder cut at {width} px: {sorted(set(cut))}"


@pytest.mark.parametrize("name", ["product", "article"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_the_title_is_on_the_first_screen(browser, localized_pages, name, language):
    context, page = open_screen(browser, 390)
    try:
        settle(page, localized_pages[name, language])
        title = page.locator("main h1").first.bounding_box()
    finally:
        context.close()
    assert title["y"] + title["height"] <= SCREENS[390], f"{name} title ends at {title} on a phone"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_phone_menu_opens_without_javascript(browser, localized_pages, language):
    context, page = open_screen(browser, 390, javascript=False)
    try:
        settle(page, localized_pages["home", language])
        links = page.locator(".site-nav a")
        assert not links.first.is_visible()
        toggle = page.locator(".site-menu__toggle")
        assert toggle.is_visible()
        toggle.click()
        assert (
            links.first.is_visible()
            and page.locator(".site-header input[type=search]").is_visible()
        )
        page.locator(".language-switcher__toggle").click()
        assert page.locator(".language-switcher a[hreflang]").first.is_visible()
    finally:
        context.close()


def test_the_header_stays_in_view_without_hiding_what_it_scrolls_to(browser, localized_pages):
    context, page = open_screen(browser, 1366)
    try:
        settle(page, localized_pages["article", "en"])
        page.mouse.wheel(0, 1500)
        page.wait_for_function("window.scrollY > 1000")
        header = page.locator(".site-header").bounding_box()
        assert header["y"] == 0, "the header scrolled away"
        # The skip link's target ("#main") lands below the header, not under it.
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_timeout(100)
        main_top = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
        assert main_top >= header["height"] - 1, (main_top, header)
    finally:
        context.close()


@pytest.mark.parametrize("name", ["home", "product"])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_on_a_phone_every_link_and_button_is_a_finger_sized_target(
    browser, localized_pages, axe_source, name, language
):
    """WCAG 2.5.8 (what Lighthouse's "touch targets" audit runs): every link and button
    at least 24×24 CSS px, or far enough from its neighbours; the certificates' "View"
    and "Verify" links were not."""
    context, page = open_screen(browser, 390)
    try:
        settle(page, localized_pages[name, language])
        page.evaluate(axe_source + "\n;undefined")
        failing = page.evaluate(
            "async () => (await axe.run(document, {runOnly: ['target-size'],"
            " resultTypes: ['violations']})).violations"
            ".flatMap(v => v.nodes.map(n => n.html.slice(0, 120)))"
        )
    finally:
        context.close()
    assert failing == [], f"{name} ({language}): targets too small or too close: {failing}"
