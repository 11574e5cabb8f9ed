"""The public site as a visitor and a harvester see it."""

import base64
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from caravan.core.models import CompanyProfile, ContactPage, HomePage, StandardPage
from caravan.testing import EMAIL_RE, crawl, phone_patterns

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_root_redirects_to_the_language_prefixed_home(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_every_page_reachable_from_home_answers_200(client):
    pages = crawl(client, "/en/")
    html_pages = [p for p, r in pages.items() if r.get("Content-Type", "").startswith("text/html")]
    assert {"/en/", "/en/about/", "/en/contact/", "/en/privacy/"} <= set(pages)
    broken = {
        path: r.status_code
        for path, r in pages.items()
        if r.status_code != 200 and not handed_to_whatsapp(path, r)
    }
    assert broken == {}
    assert len(html_pages) >= 4


def handed_to_whatsapp(path, response):
    """The chat hand-off answers with a redirect to WhatsApp (after counting the click)."""
    return (
        "/inquiry/chat/whatsapp/" in path
        and response.status_code == 302
        and response["Location"].startswith("https://wa.me/")
    )


def test_no_email_address_or_phone_number_in_public_html(client, company):
    assert company.public_email and company.phone and company.whatsapp
    forbidden = set()
    for number in (company.phone, company.whatsapp):
        forbidden |= phone_patterns(number)
    for path, response in crawl(client, "/en/").items():
        body = response.content.decode(errors="replace")
        assert not EMAIL_RE.search(body), f"e-mail address in {path}"
        for pattern in forbidden:
            assert pattern not in body, f"phone number {pattern!r} in {path}"
    for asset in ("/static/js/site.js", "/static/css/site.css"):
        from django.contrib.staticfiles import finders

        text = Path(finders.find(asset.removeprefix("/static/"))).read_text()
        assert not EMAIL_RE.search(text)


def test_contact_panel_carries_scrambled_contacts_that_decode_to_the_real_ones(client, company):
    page = soup(client.get("/en/contact/"))
    links = {a["data-kind"]: a for a in page.select("form.protected-contact")}
    assert set(links) >= {"email", "phone", "whatsapp"}

    def unscramble(value):
        return base64.b64decode(value).decode()[::-1]

    assert unscramble(links["email"]["data-value"]) == company.public_email
    assert unscramble(links["email"]["data-scheme"]) == "mailto:"
    assert unscramble(links["phone"]["data-link"]) == "+862955500123"
    assert (
        unscramble(links["whatsapp"]["data-scheme"]) + unscramble(links["whatsapp"]["data-link"])
        == "https://wa.me/8613955500123"
    )
    # Without JavaScript the button asks for a page that shows the address.
    assert links["email"]["method"] == "post"
    assert links["email"]["action"] == "/en/show-contact/"
    assert links["email"].get_text(strip=True) == "Show e-mail address"


@pytest.mark.parametrize(
    ("kind", "shown", "href"),
    [
        ("email", "sales@", "mailto:"),
        ("phone", "+86", "tel:+862955500123"),
        ("whatsapp", "+86", "https://wa.me/8613955500123"),
    ],
)
def test_without_javascript_the_show_button_answers_a_page_with_the_contact(
    client, company, kind, shown, href
):
    """The no-JavaScript path: the form's POST answers a new page (not the contact page
    again) showing the contact as a link, in the visitor's language, storing nothing."""
    contact_page = soup(client.get("/ru/contact/"))
    form = contact_page.select_one(f"form.protected-contact[data-kind={kind}]")
    response = client.post(form["action"], {"kind": kind})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    page = soup(response)
    link = page.select_one("main a.protected-contact")
    assert link.get_text().startswith(shown)
    assert link["href"].startswith(href)
    assert page.html["lang"] == "ru"


def test_the_contact_page_is_only_shown_to_a_form_of_this_site(client, company):
    assert client.get("/en/show-contact/").status_code == 405  # a harvester's link
    refused = client.post("/en/show-contact/", {"kind": "email"}, HTTP_ORIGIN="https://x.example")
    assert refused.status_code == 403
    assert not EMAIL_RE.search(refused.content.decode())
    unknown = client.post("/en/show-contact/", {"kind": "fax"})
    assert unknown.status_code == 400
    assert "no such contact" in unknown.content.decode()


def test_public_pages_set_no_cookie_and_need_no_session(client):
    for path in ("/en/", "/en/about/", "/en/contact/", "/en/search/?q=valve"):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies, f"{path} set {list(response.cookies)}"


def test_home_page_shows_hero_company_and_navigation(client, company):
    response = client.get("/en/")
    page = soup(response)
    assert page.html["lang"] == "en" and page.html["dir"] == "ltr"
    assert (
        page.h1.get_text(strip=True)
        == HomePage.objects.get(locale__language_code="en").hero_heading
    )
    nav = [a.get_text(strip=True) for a in page.select("nav.site-nav a")]
    assert nav[0] == "Home" and "About us" in nav and "Contact" in nav
    assert company.name in page.select_one(".brand__name").get_text()
    assert page.select_one("a.skip-link")["href"] == "#main"
    assert page.select_one("main#main")
    hero = page.select_one("img.hero__image")
    assert hero["alt"] and hero["width"] and hero["height"]
    assert page.select_one("picture source[type='image/webp']")
    assert page.select_one("form[role=search]")["action"] == "/en/search/"
    # No breadcrumb on the home page.
    assert not page.select("nav.breadcrumb")


def test_breadcrumb_on_inner_pages_with_json_ld(client):
    page = soup(client.get("/en/about/"))
    crumbs = page.select("nav.breadcrumb li")
    assert [c.get_text(strip=True) for c in crumbs] == ["Home", "About us"]
    assert crumbs[0].a["href"] == "/en/"
    assert crumbs[-1].select_one("[aria-current=page]")
    data = [json.loads(s.string) for s in page.select("script[type='application/ld+json']")]
    crumb_ld = next(d for d in data if d["@type"] == "BreadcrumbList")
    assert [i["name"] for i in crumb_ld["itemListElement"]] == [
        "Silkline Flow Controls",
        "About us",
    ]
    assert crumb_ld["itemListElement"][1]["item"].endswith("/en/about/")


def test_seo_head_canonical_description_and_social_tags(client):
    page = soup(client.get("/en/"))
    home = HomePage.objects.get(locale__language_code="en")
    assert page.title.string.startswith(home.seo_title)
    assert page.select_one("meta[name=description]")["content"] == home.search_description
    assert page.select_one("link[rel=canonical]")["href"].endswith("/en/")
    assert page.select_one("meta[property='og:image']")["content"].startswith("http")
    assert page.select_one("meta[name='twitter:card']")["content"] == "summary_large_image"
    org = next(
        json.loads(s.string)
        for s in page.select("script[type='application/ld+json']")
        if json.loads(s.string)["@type"] == "Organization"
    )
    assert org["name"] == "Silkline Flow Controls"
    assert not EMAIL_RE.search(json.dumps(org))


def test_json_ld_cannot_be_closed_by_content(client, home):
    home.seo_title = "</script><script>alert(1)</script>"
    home.save_revision().publish()
    about = StandardPage.objects.get(slug="about", locale__language_code="en")
    about.title = "About </script><b>x"
    about.save_revision().publish()
    body = client.get("/en/about/").content.decode()
    assert "</script><b>" not in body
    assert "\\u003C/script\\u003E" in body


def test_unknown_page_gives_the_branded_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Page not found"
    assert page.select_one("header.site-header")


def test_search_box_finds_pages_and_survives_bad_input(client):
    response = client.get("/en/search/", {"q": "foundry"})
    assert response.status_code == 200
    assert "About us" in soup(response).select_one(".search-results").get_text()
    for params in ({"q": ""}, {"q": "x" * 1000}, {"q": "valve", "page": "abc"}, {"q": "%00<>"}):
        assert client.get("/en/search/", params).status_code == 200


def test_contact_page_shows_address_hours_and_reply_time(client, company):
    text = soup(client.get("/en/contact/")).select_one("main").get_text(" ", strip=True)
    assert "Qinling Industrial Road" in text
    assert company.business_hours in text
    assert company.reply_time in text


def test_company_profile_rejects_a_bad_sales_address():
    from django.core.exceptions import ValidationError

    profile = CompanyProfile(name="X", sales_emails="sales@example.com, not-an-address")
    with pytest.raises(ValidationError, match="not-an-address"):
        profile.full_clean(exclude=["site"])


def test_contact_page_cannot_be_added_twice(home):
    assert not ContactPage.can_create_at(home)
    assert StandardPage.can_create_at(home)


def test_pages_require_alt_text_on_shown_images(home):
    from django.core.exceptions import ValidationError

    image = home.hero_image
    image.description = ""
    image.save()
    with pytest.raises(ValidationError, match="alt text"):
        home.full_clean()


def test_static_and_media_are_served(client):
    assert client.get("/static/css/site.css").status_code == 200
    html = client.get("/en/").content.decode()
    media = re.search(r'src="(/media/[^"]+)"', html).group(1)
    assert client.get(media).status_code == 200
