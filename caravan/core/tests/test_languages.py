"""The site in five languages as visitors and search engines see it: language versions
announced symmetrically, the switcher, the first visit to `/`, right-to-left Arabic,
sitemap.xml, robots.txt, errors in the visitor's language and inquiries from a
translated page."""

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import translation
from wagtail.models import Page, Site

from caravan.core.models import CompanyText
from caravan.inquiries.models import Inquiry
from caravan.testing import inquiry_data, post_inquiry

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
XHTML_LINK = "{http://www.w3.org/1999/xhtml}link"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def parse_xml(content):
    return ET.fromstring(content)  # noqa: S314 - the site's own sitemap


def live_pages():
    return list(Page.objects.live().public().filter(depth__gt=1).select_related("locale"))


def alternates(page_soup):
    return {
        link["hreflang"]: link["href"]
        for link in page_soup.select('head link[rel="alternate"][hreflang]')
    }


@pytest.fixture
def root(db):
    """The demo site's configured address, which absolute URLs start with."""
    return Site.objects.get(is_default_site=True).root_url


@pytest.fixture(scope="module")
def rendered_site(django_db_setup, django_db_blocker):
    """Every live page of the demo site, fetched once for the tests of this module
    (inside a transaction that is rolled back, so the renditions made on the way are
    not kept): {full_url: (page, BeautifulSoup)}."""
    rendered = {}
    with django_db_blocker.unblock(), transaction.atomic():
        client = Client()
        for page in live_pages():
            response = client.get(page.get_url())
            assert response.status_code == 200, page.url
            rendered[page.get_full_url()] = (page, soup(response))
        transaction.set_rollback(True)
    return rendered


def test_every_page_announces_its_language_versions_symmetrically(rendered_site, root):
    assert len({page.locale.language_code for page, _ in rendered_site.values()}) == 5
    for url, (page, page_soup) in rendered_site.items():
        links = alternates(page_soup)
        expected = {p.get_full_url() for p in page.get_translations(inclusive=True).live().public()}
        assert set(links.values()) - {links.get("x-default")} <= expected | {links["x-default"]}
        assert {href for code, href in links.items() if code != "x-default"} == expected, url
        assert url in links.values()
        # Every version names the same set, and the same x-default.
        for href in links.values():
            assert alternates(rendered_site[href][1]) == links, (url, href)
    about = alternates(rendered_site[f"{root}/en/about/"][1])
    assert about == {
        "en": f"{root}/en/about/",
        "zh-Hans": f"{root}/zh-hans/about/",
        "ru": f"{root}/ru/about/",
        "es": f"{root}/es/about/",
        "ar": f"{root}/ar/about/",
        "x-default": f"{root}/en/about/",
    }


def test_switcher_offers_the_languages_the_page_exists_in(rendered_site, root):
    def offered(url):
        nav = rendered_site[url][1].select_one(".language-switcher")
        if nav is None:
            return None
        links = {a["hreflang"]: a for a in nav.select("a")}
        for code, link in links.items():
            assert link["lang"] == code
        return links

    home = offered(f"{root}/en/")
    assert set(home) == {"zh-Hans", "ru", "es", "ar"}
    assert home["ru"].get_text() == "Русский" and home["ar"]["dir"] == "rtl"
    assert home["ru"]["href"] == "/language/ru/?next=/ru/"
    about_ru = offered(f"{root}/ru/about/")
    assert set(about_ru) == {"en", "zh-Hans", "es", "ar"}
    current = rendered_site[f"{root}/ru/about/"][1].select_one(".language-switcher [aria-current]")
    assert current.get_text() == "Русский"
    # The demo is complete: every page offers every other language.
    assert set(offered(f"{root}/en/privacy/")) == {"zh-Hans", "ru", "es", "ar"}


def test_translated_pages_show_translated_content_and_company_texts(rendered_site, root):
    ru_home = rendered_site[f"{root}/ru/"][1]
    assert ru_home.html["lang"] == "ru"
    assert ru_home.h1.get_text() == "Арматура и расходомеры, которые приходят готовыми к монтажу"
    tagline = CompanyText.objects.get(locale__language_code="ru").tagline
    assert ru_home.select_one(".brand__tagline").get_text() == tagline
    menu = [a["href"] for a in ru_home.select(".site-nav a")]
    # In the English menu's order.
    assert menu == ["/ru/", "/ru/products/", "/ru/news/", "/ru/about/", "/ru/contact/"]
    # Featured products and the hero button lead to the Russian versions where they exist.
    featured = {a["href"]: a.get_text() for a in ru_home.select(".featured-products h3 a")}
    assert featured["/ru/products/resilient-seated-gate-valve/"] == "Задвижка с обрезиненным клином"
    assert featured and all(href.startswith("/ru/") for href in featured)
    assert ru_home.select_one(".hero a.button")["href"] == "/ru/products/"
    zh_product = rendered_site[f"{root}/zh-hans/products/flanged-electromagnetic-flow-meter/"][1]
    assert zh_product.h1.get_text(strip=True) == "法兰式电磁流量计"
    en_tagline = rendered_site[f"{root}/en/"][1].select_one(".brand__tagline")
    assert en_tagline.get_text().startswith("Valves and flow meters")


def test_arabic_pages_are_right_to_left(rendered_site, root):
    arabic = rendered_site[f"{root}/ar/"][1]
    assert (arabic.html["lang"], arabic.html["dir"]) == ("ar", "rtl")
    assert arabic.h1.get_text() == "صمامات وعدادات تدفق تصل جاهزة للتركيب"
    for url, (page, page_soup) in rendered_site.items():
        expected = "rtl" if page.locale.language_code == "ar" else "ltr"
        assert page_soup.html["dir"] == expected, url


def test_organization_json_ld_on_the_home_page_without_the_email(rendered_site, company, root):
    for url in (f"{root}/en/", f"{root}/ru/"):
        page_soup = rendered_site[url][1]
        blocks = [
            json.loads(s.string) for s in page_soup.select('script[type="application/ld+json"]')
        ]
        organization = next(b for b in blocks if b.get("@type") == "Organization")
        assert organization["name"] == company.name
        assert organization["logo"]["url"].startswith(f"{root}/")
        assert organization["contactPoint"]["url"].startswith(url)
        text = json.dumps(organization)
        assert company.public_email not in text and "@" not in text.replace('"@', "")


def test_first_visit_to_root_goes_to_the_browsers_language(client):
    cases = {
        "ru-RU,ru;q=0.9,en;q=0.5": "/ru/",
        "zh-CN,zh;q=0.9": "/zh-hans/",
        "ar": "/ar/",
        "es-MX,es;q=0.8": "/es/",
        "de-DE,de;q=0.9": "/en/",
        "": "/en/",
    }
    for accept, target in cases.items():
        response = Client(HTTP_ACCEPT_LANGUAGE=accept).get("/")
        assert (response.status_code, response["Location"]) == (302, target), accept
        assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
        assert "private" in response["Cache-Control"]


def test_the_switchers_choice_sticks_through_the_language_cookie(settings):
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = visitor.get("/language/ru/?next=/ru/about/")
    assert (response.status_code, response["Location"]) == (302, "/ru/about/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert visitor.get("/")["Location"] == "/ru/"
    # The page itself sets nothing and varies with nothing the visitor sends.
    page = visitor.get("/ru/about/")
    assert page.status_code == 200 and not page.cookies
    assert "Accept-Language" not in page.get("Vary", "") and "Cookie" not in page.get("Vary", "")
    # Only addresses of this site in the chosen language are followed.
    for bad in ("https://evil.example/", "//evil.example/ru/", "/en/about/"):
        assert visitor.get(f"/language/ru/?next={bad}")["Location"] == "/ru/"
    assert visitor.get("/language/xx/?next=/en/").status_code == 400


def test_an_untranslated_address_leads_to_the_version_that_exists(client):
    from caravan.products.models import ProductCategory

    # A language tree that does not follow the English one (no synchronisation): a page
    # or category with no version in it leads to the English one.
    for code, slug in (("ru", "privacy"), ("es", "about")):
        Page.objects.get(locale__language_code=code, depth=3, slug=slug).delete()
    ProductCategory.objects.get(
        locale__language_code="ru", slug="strainers-and-check-valves"
    ).delete()
    assert client.get("/ru/privacy/")["Location"] == "/en/privacy/"
    assert client.get("/es/about/")["Location"] == "/en/about/"
    response = client.get("/ru/products/category/strainers-and-check-valves/")
    assert response["Location"] == "/en/products/category/strainers-and-check-valves/"
    assert client.get("/ru/products/category/valves/").status_code == 200


def test_not_found_speaks_the_language_of_its_prefix(client):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    page = soup(response)
    assert (page.html["lang"], page.html["dir"]) == ("ar", "rtl")
    assert page.select_one(".error-page a.button")["href"] == "/ar/"
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert soup(client.get("/ru/nothing-here/")).html["lang"] == "ru"


def test_server_error_page_in_the_visitors_language(rf):
    from caravan.operations.views import server_error

    with translation.override("ar"):
        response = server_error(rf.get("/ar/"))
    page = soup(response)
    assert response.status_code == 500
    assert (page.html["lang"], page.html["dir"]) == ("ar", "rtl")
    assert page.select_one(".error-page a.button")["href"] == "/ar/"


def test_sitemap_lists_exactly_the_live_pages_with_alternates(client, root):
    private = Page.objects.get(slug="privacy", locale__language_code="en")
    private.unpublish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urlset = parse_xml(response.content)
    entries = {
        url.find("sm:loc", SITEMAP_NS).text: url for url in urlset.findall("sm:url", SITEMAP_NS)
    }
    expected = {page.get_full_url() for page in live_pages()}
    assert set(entries) == expected
    assert f"{root}/en/privacy/" not in entries
    for url in entries.values():
        assert url.find("sm:lastmod", SITEMAP_NS).text[:2] == "20"
    links = {
        link.get("hreflang"): link.get("href")
        for link in entries[f"{root}/ru/news/"].findall(XHTML_LINK)
    }
    assert links == {
        "en": f"{root}/en/news/",
        "zh-Hans": f"{root}/zh-hans/news/",
        "ru": f"{root}/ru/news/",
        "es": f"{root}/es/news/",
        "ar": f"{root}/ar/news/",
        "x-default": f"{root}/en/news/",
    }


def test_sitemap_alternates_are_looked_up_in_parts(client, monkeypatch):
    """A large site's keys go to the database a few thousand at a time (SQLite takes
    about 32,000 parameters in one query): the result is the same in any parts."""
    from caravan.core import sitemaps

    whole = client.get("/sitemap.xml").content
    parts = sitemaps._parts
    monkeypatch.setattr(sitemaps, "_parts", lambda items: parts(items, size=2))
    assert client.get("/sitemap.xml").content == whole
    assert whole.count(b'hreflang="x-default"') > 10


def test_sitemap_becomes_an_index_when_it_outgrows_one_file(client, settings):
    settings.CARAVAN_SITEMAP_LIMIT = 20
    index = parse_xml(client.get("/sitemap.xml").content)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    sections = [loc.text for loc in index.findall("sm:sitemap/sm:loc", SITEMAP_NS)]
    count = len(live_pages())
    assert len(sections) == -(-count // 20)
    # Each section has an address of its own (a file after a build, not ?p=N).
    assert sections == [
        "http://testserver/sitemap-pages.xml",
        *(f"http://testserver/sitemap-pages-{n}.xml" for n in range(2, len(sections) + 1)),
    ]
    listed = []
    for section in sections:
        part = parse_xml(client.get(section.removeprefix("http://testserver")).content)
        listed += [loc.text for loc in part.findall("sm:url/sm:loc", SITEMAP_NS)]
    assert len(listed) == len(set(listed)) == count
    # The ?p=N form of earlier indexes still answers, with the same section.
    assert (
        client.get("/sitemap-pages.xml?p=2").content == client.get("/sitemap-pages-2.xml").content
    )
    for wrong in (
        "/sitemap-pages-1.xml",
        "/sitemap-pages-abc.xml",
        "/sitemap-pages-0.xml",
        f"/sitemap-pages-{len(sections) + 1}.xml",
        "/sitemap-other-2.xml",
    ):
        assert client.get(wrong).status_code == 404, wrong


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out(client, settings, root):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Disallow: /{settings.CARAVAN_ADMIN_PATH}/" in lines
    for code in ("en", "zh-hans", "ru", "es", "ar"):
        assert f"Disallow: /{code}/inquiry/" in lines
    sitemap = next(line.split(" ", 1)[1] for line in lines if line.startswith("Sitemap: "))
    assert sitemap == f"{root}/sitemap.xml"
    assert client.get("/sitemap.xml").status_code == 200


def test_inquiry_from_a_russian_page_is_recorded_and_answered_in_russian(client):
    data = inquiry_data(page="http://testserver/ru/about/")
    response = post_inquiry(client, data, lang="ru")
    assert response.status_code == 303
    inquiry = Inquiry.objects.get()
    assert inquiry.language == "ru"
    autoreply = next(m for m in mail.outbox if m.to == [inquiry.reply_email])
    assert autoreply.extra_headers["Content-Language"] == "ru"
    # Rendered with Russian active: the company's texts come in their Russian version.
    assert CompanyText.objects.get(locale__language_code="ru").reply_time in autoreply.body
    assert "within one business day" not in autoreply.body


def test_editors_translate_pages_and_snippets_with_wagtail_localize(client, admin_user):
    from wagtail.models import Locale

    from caravan.news.models import NewsIndexPage
    from caravan.products.models import ProductCategory
    from caravan.testing import make_article

    client.force_login(admin_user)
    spanish = Locale.objects.get(language_code="es")
    news = NewsIndexPage.objects.get(locale__language_code="en")
    article = make_article(news, "Flanges for the new pumping station")
    response = client.post(f"/admin/localize/submit/page/{article.pk}/", {"locales": [spanish.pk]})
    assert response.status_code == 302
    translation_ = article.get_translation(spanish)
    assert not translation_.live  # a draft until the translator publishes it
    assert client.get(f"/admin/pages/{translation_.pk}/edit/").status_code == 200

    category = ProductCategory.objects.create(
        name="Actuators", slug="actuators", locale=article.locale
    )
    response = client.post(
        f"/admin/localize/submit/snippet/products/productcategory/{category.pk}/",
        {"locales": [spanish.pk]},
    )
    assert response.status_code == 302
    assert category.has_translation(spanish)
    texts = CompanyText.objects.get(locale=article.locale)
    CompanyText.objects.filter(locale=spanish).delete()
    assert not texts.has_translation(spanish)
    response = client.post(
        f"/admin/localize/submit/snippet/core/companytext/{texts.pk}/", {"locales": [spanish.pk]}
    )
    assert texts.has_translation(spanish)


def test_the_language_setting_says_what_is_wrong_with_it():
    from django.core.exceptions import ImproperlyConfigured

    from caravan.core.languages import choices

    assert [code for code, _ in choices(["ru", " EN", "ar", "ru"], default="en")] == [
        "en",
        "ru",
        "ar",
    ]
    with pytest.raises(ImproperlyConfigured, match="'klingon' is not a language code"):
        choices(["en", "klingon"], default="en")
    with pytest.raises(ImproperlyConfigured, match="must include the default language 'en'"):
        choices(["ru", "zh-hans"], default="en")
