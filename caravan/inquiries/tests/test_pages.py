"""What a visitor sees: the inquiry actions on every page, the dialog's markup, the
inquiry page and the token the dialog fetches."""

import re

import pytest
from bs4 import BeautifulSoup

from caravan.core.models import StandardPage
from caravan.inquiries.tokens import check_token
from caravan.testing import crawl

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def html_pages(client):
    return {
        path: response
        for path, response in crawl(client, "/en/").items()
        if response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and not re.match(r"/[\w-]+/inquiry/", path)
    }


def test_every_public_page_offers_both_inquiry_actions_as_plain_links(client):
    pages = html_pages(client)
    assert len(pages) >= 4
    for path, response in pages.items():
        page = soup(response)
        lang = path.split("/")[1]  # the crawl reaches every language through the switcher
        assert not page.select(".inquiry-bar"), path  # one set of actions, in the header
        for place in (".header-actions",):
            links = {
                a.get_text(strip=True): a for a in page.select(f"{place} a[data-inquiry-open]")
            }
            if lang == "en":
                assert set(links) == {"Contact supplier", "Send inquiry"}, (path, place)
            assert len(links) == 2, (path, place)
            assert all(a["href"].startswith(f"/{lang}/inquiry/") for a in links.values()), path
        dialog = page.select_one("dialog#inquiry-dialog")
        assert dialog["aria-labelledby"] == "inquiry-dialog-title", path
        assert page.select_one("#inquiry-dialog-title").get_text(strip=True)
        assert dialog.select_one("form")["action"] == f"/{lang}/inquiry/"
        scripts = [s["src"] for s in page.select("script[src]")]
        assert any(re.search(r"/static/js/inquiry\.[\w.]*js$", src) for src in scripts), path
        assert page.select_one("script[src*='inquiry']").has_attr("defer")


def test_every_link_to_the_inquiry_page_opens_the_dialog_when_javascript_runs(client):
    """One behaviour for every inquiry button (header, bar, the product's own buttons,
    the article's product cards, the contact page): each is a plain link to the inquiry
    page that inquiry.js turns into the dialog, about the product where there is one.
    The basket's links are not inquiry buttons: "Add to inquiry" collects the product and
    the header's basket count opens the inquiry page with the collected lines."""
    seen = set()
    for path, response in html_pages(client).items():
        for link in soup(response).select("a[href*='/inquiry/']"):
            if not re.fullmatch(r"/[\w-]+/inquiry/", link["href"].split("?")[0]):
                continue  # the inquiry page itself, not the chat hand-off under it
            if link.has_attr("data-basket-add") or link.has_attr("data-basket-link"):
                assert not link.has_attr("data-inquiry-open"), (path, str(link)[:160])
                continue
            assert link.has_attr("data-inquiry-open"), (path, str(link)[:160])
            product = re.search(r"product=(\d+)", link["href"])
            if product:
                assert link["data-product-id"] == product.group(1), (path, str(link)[:160])
            seen.add(link.get_text(strip=True).split(":")[0])
    assert {"Send inquiry about this product", "Send inquiry", "Contact supplier"} <= seen


def test_the_dialog_markup_holds_the_public_field_names_and_no_per_visitor_state(client):
    first = client.get("/en/about/")
    second = client.get("/en/about/")
    assert first.content == second.content  # nothing differs between two visits
    assert not first.cookies and "csrfmiddlewaretoken" not in first.content.decode()
    form = soup(first).select_one("dialog#inquiry-dialog form")
    names = {el["name"] for el in form.select("input[name], textarea[name], select[name]")}
    assert {"name", "contact", "message", "company", "country", "product", "quantity"} <= names
    assert form.select_one("input[name=token]")["value"] == ""  # fetched when it opens
    for field in ("name", "contact", "message"):
        control = form.select_one(f"[name={field}]")
        assert control.has_attr("required")
        label = form.select_one(f"label[for={control['id']}]")
        assert label and label.get_text(strip=True)
    privacy = form.select_one(".inquiry-privacy a")
    assert privacy["href"] == "/en/privacy/"
    # The honeypot is hidden from people and assistive technology and cannot be tabbed to.
    honeypot = form.select_one("input[name=website]")
    assert honeypot["tabindex"] == "-1" and honeypot.find_parent(attrs={"aria-hidden": "true"})


def test_no_inline_script_or_style_in_pages_with_the_inquiry_ui(client, product):
    for path in ("/en/", "/en/about/", "/en/inquiry/", f"/en/inquiry/?product={product.pk}"):
        page = soup(client.get(path))
        inline = [
            s for s in page.select("script:not([src])") if s.get("type") != "application/ld+json"
        ]
        assert inline == [], path
        assert not page.select("[style]"), path
        assert not page.select("[onclick], [onsubmit]"), path


def test_send_inquiry_preselects_the_pages_inquiry_product(client, product, monkeypatch):
    # The products and news branches give their page types `inquiry_product`; any page
    # type that has it gets its product pre-selected.
    monkeypatch.setattr(
        StandardPage, "inquiry_product", property(lambda self: product), raising=False
    )
    page = soup(client.get("/en/about/"))
    for place in (".header-actions",):
        send = page.select(f"{place} a[data-inquiry-open]")[1]
        assert send["href"] == f"/en/inquiry/?product={product.pk}"
        assert send["data-product-id"] == str(product.pk)
        assert send["data-product-title"] == product.title
        contact = page.select(f"{place} a[data-inquiry-open]")[0]
        assert contact["href"] == "/en/inquiry/"


def test_inquiry_url_tag_follows_the_contract(product):
    from django.template import Context, Template

    html = Template("{% load inquiry_tags %}{% inquiry_url product %}|{% inquiry_url %}").render(
        Context({"product": product})
    )
    assert html == f"/en/inquiry/?product={product.pk}|/en/inquiry/"


def test_inquiry_page_embeds_a_fresh_token_and_preselects_the_product(client, product):
    response = client.get(
        f"/en/inquiry/?product={product.pk}", HTTP_REFERER="http://testserver/en/about/"
    )
    assert response.status_code == 200
    assert not response.cookies
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    page = soup(response)
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert page.h1.get_text(strip=True) == "Send an inquiry"
    assert "within one business day" in page.select_one(".lead").get_text()
    form = page.select_one("form[data-inquiry-form=page]")
    assert form["method"] == "post" and form["action"] == "/en/inquiry/"
    assert check_token(form.select_one("input[name=token]")["value"]).valid
    assert form.select_one("select[name=items-0-product] option[selected]")["value"] == str(
        product.pk
    )
    assert form.select_one("input[name=page]")["value"] == "http://testserver/en/about/"
    countries = {o["value"]: o.get_text() for o in form.select("select[name=country] option")}
    assert countries["KZ"] == "Kazakhstan" and len(countries) > 200
    assert form.select_one(".inquiry-privacy a")["href"] == "/en/privacy/"
    # The inquiry page has its form; it does not also carry the dialog.
    assert not page.select("dialog#inquiry-dialog")
    # Two visitors get two different tokens.
    other = soup(client.get("/en/inquiry/")).select_one("input[name=token]")["value"]
    assert other != form.select_one("input[name=token]")["value"]


def test_inquiry_page_ignores_unknown_or_malformed_product_ids(client):
    for value in ("999999", "abc", "-1", "1e3", "٣", "99999999999999999999"):
        response = client.get("/en/inquiry/", {"product": value})
        assert response.status_code == 200, value
        assert not soup(response).select("select[name=items-0-product] option[selected]"), value


def test_a_referer_from_another_site_is_not_taken_as_the_page(client):
    response = client.get("/en/inquiry/", HTTP_REFERER="https://elsewhere.example/page")
    assert soup(response).select_one("input[name=page]")["value"] == ""


def test_token_endpoint_gives_a_fresh_token_and_countries_uncached(client):
    response = client.get("/en/inquiry/token/")
    assert response.status_code == 200
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert check_token(data["token"]).valid
    assert ["KZ", "Kazakhstan"] in data["countries"]
    assert client.get("/en/inquiry/token/").json()["token"] != data["token"]


def test_inquiry_script_and_styles_are_served(client):
    script = client.get("/static/js/inquiry.js")
    assert script.status_code == 200
    body = b"".join(script.streaming_content).decode()
    assert "showModal" in body and "sessionStorage" in body
    assert "alert(" not in body and "document.cookie" not in body
    assert client.get("/static/css/inquiries.css").status_code == 200


def test_the_contact_page_invites_an_inquiry(client):
    page = soup(client.get("/en/contact/"))
    cta = page.select_one("main .inquiry-cta")
    assert "within one business day" in cta.get_text()
    link = cta.select_one("a[data-inquiry-open]")
    assert link["href"] == "/en/inquiry/" and link.get_text(strip=True) == "Send inquiry"


def test_on_a_product_page_both_actions_are_about_the_product(client):
    from caravan.news.models import NewsPage
    from caravan.products.models import ProductPage

    product = ProductPage.objects.live().filter(locale__language_code="en").first()
    page = soup(client.get(product.url))
    for place in (".header-actions",):
        hrefs = [a["href"] for a in page.select(f"{place} a[data-inquiry-open]")]
        assert hrefs == [f"/en/inquiry/?product={product.pk}"] * 2, place
    # Elsewhere "Contact supplier" is a general question; "Send inquiry" names the
    # article's product.
    article = next(a for a in NewsPage.objects.live() if a.inquiry_product)
    links = soup(client.get(article.url)).select(".header-actions a[data-inquiry-open]")
    assert [a["href"] for a in links] == [
        f"/{article.locale.language_code}/inquiry/",
        f"/{article.locale.language_code}/inquiry/?product={article.inquiry_product.pk}",
    ]


def test_the_inquiry_page_is_sent_compressed_within_a_phones_budget(client):
    """Its country and currency lists make the page's HTML larger than the 60 KB a page
    may cost a phone (HTML, CSS and JavaScript together); sent compressed, it fits."""
    import gzip

    response = client.get("/en/inquiry/", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert len(response.content) < 20 * 1024
    assert b"<form" in gzip.decompress(response.content)
    # A client that does not accept gzip still gets the page as it is.
    assert b"<form" in client.get("/en/inquiry/").content
