"""Every public page a buyer passes through, at 1280 px and on a 375 px touch screen:
accessible (axe-core finds nothing serious or critical), self-contained (every request
goes to the site's own origin), nothing wider than the screen; and a screenshot of each
in test-output/screenshots/ for people to look at."""

import pytest

from caravan.testing import browser as support

pytestmark = pytest.mark.browser

PAGES = [
    "home",
    "news list",
    "news detail",
    "product list",
    "product detail",
    "contact",
    "inquiry page",
]


def load(page, url):
    """Open `url`, recording every request, and scroll to the end so that lazy images
    load; return the requested URLs."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    page.evaluate(
        "async () => { for (let y = 0; y < document.body.scrollHeight; y += 500) {"
        " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 30)); }"
        " window.scrollTo(0, 0); }"
    )
    page.wait_for_load_state("networkidle")
    return requested


def overflow(page):
    """Elements reaching past the right edge of the screen (a sideways scroll on phones)."""
    return page.evaluate(
        "() => { const w = document.documentElement.clientWidth;"
        " if (document.documentElement.scrollWidth <= w) return [];"
        " return [...document.querySelectorAll('body *')].filter(el => {"
        "   const r = el.getBoundingClientRect(); return r.right > w + 1 && r.width > 0; })"
        " .slice(0, 5).map(el => el.outerHTML.slice(0, 100)); }"
    )


def duplicate_ids(page):
    """ids used more than once (labels, aria-labelledby and in-page links then point to
    the wrong element; axe-core no longer reports this)."""
    return page.evaluate(
        "() => { const seen = {}; document.querySelectorAll('[id]').forEach(el => {"
        " seen[el.id] = (seen[el.id] || 0) + 1; });"
        " return Object.keys(seen).filter(id => seen[id] > 1); }"
    )


def covered_at_the_end(page):
    """Whether, scrolled to the very end, something fixed (the inquiry bar on phones)
    covers the last line of the page."""
    return page.evaluate(
        "() => { window.scrollTo(0, document.documentElement.scrollHeight);"
        " const last = [...document.querySelectorAll('footer *')].filter(el =>"
        "   el.children.length === 0 && el.textContent.trim()).pop();"
        " const r = last.getBoundingClientRect();"
        " const top = document.elementFromPoint(r.left + 2, r.top + r.height / 2);"
        " window.scrollTo(0, 0);"
        " return top && !last.contains(top) && !top.contains(last) ? top.outerHTML.slice(0, 80) : null; }"
    )


@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible_self_contained_and_fits_the_screen(
    served_site, pages, page, axe_source, screenshots, name
):
    requested = load(page, pages[name])
    assert len(requested) > 1
    assert support.foreign_requests(requested, served_site.base) == []
    assert overflow(page) == []
    assert covered_at_the_end(page) is None
    assert page.locator("h1").count() == 1
    assert duplicate_ids(page) == []
    width = page.viewport_size["width"]
    page.screenshot(path=screenshots / f"{name.replace(' ', '-')}-{width}.png", full_page=True)
    assert support.axe_violations(page, axe_source) == []


@pytest.mark.parametrize("with_errors", [False, True], ids=["open", "errors"])
def test_the_open_dialog_is_accessible(
    served_site, pages, page, axe_source, screenshots, with_errors
):
    requested = load(page, pages["news detail"])
    page.locator("a[data-inquiry-open]:visible", has_text="Send inquiry").first.click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    page.wait_for_load_state("networkidle")  # the form token has arrived
    if with_errors:
        dialog.get_by_role("button", name="Send inquiry").click()
        page.locator("#inquiry-dialog-name-error").wait_for(state="visible")
    assert support.foreign_requests(requested, served_site.base) == []
    width = page.viewport_size["width"]
    state = "dialog-errors" if with_errors else "dialog"
    page.screenshot(path=screenshots / f"{state}-{width}.png", scale="css")
    assert support.axe_violations(page, axe_source) == []
