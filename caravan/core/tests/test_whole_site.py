"""Every language a whole site: every section reachable in every language, in the source's
order; a page not translated yet stands in with its source's content, honestly marked and
hidden from search engines; the switcher keeps the visitor where they are; translations
start as drafts; dates in valid HTML."""

import re
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.models import Locale, Page
from wagtail_localize.operations import TranslationCreator
from wagtail_localize.synctree import create_aliases_for_new_page

from caravan import testing
from caravan.news.models import NewsIndexPage, NewsPage
from caravan.products.models import ProductPage

pytestmark = pytest.mark.django_db

CODES = [code for code, _name in settings.LANGUAGES]


def soup(response):
    assert response.status_code == 200, response
    return BeautifulSoup(response.content, "html.parser")


def menu(page_soup):
    return [(a.get_text(strip=True), a["href"]) for a in page_soup.select(".site-nav a")]


def canonical(page_soup):
    return page_soup.find("link", rel="canonical")["href"]


def hreflangs(page_soup):
    return {link["hreflang"]: link["href"] for link in page_soup.select("link[hreflang]")}


def switcher(page_soup):
    return [a["href"] for a in page_soup.select(".language-switcher a")]


def source_key_order(hrefs):
    """The English pages the menu links stand for, as translation keys."""
    return [_page_at(href).translation_key for href in hrefs]


def _page_at(path):
    code = path.split("/")[1]
    pages = Page.objects.filter(locale__language_code=code, depth__lte=3)
    return next(page for page in pages if page.url == path)


def stand_in_article(code="es"):
    """A new English article with its stand-ins in the synchronised languages (what the
    admin's "add page" does through wagtail-localize's hook)."""
    news = NewsIndexPage.objects.get(locale__language_code="en")
    article = testing.make_article(news, "Pressure test bench doubled", summary="Twice the tests.")
    create_aliases_for_new_page(article)
    stand_in = NewsPage.objects.get(
        translation_key=article.translation_key, locale__language_code=code
    )
    return article, stand_in


def test_every_language_has_every_section_in_the_source_order(client):
    english = menu(soup(client.get("/en/")))
    assert len(english) == 5
    english_keys = source_key_order([href for _text, href in english])
    for code in CODES:
        items = menu(soup(client.get(f"/{code}/")))
        hrefs = [href for _text, href in items]
        assert all(href.startswith(f"/{code}/") for href in hrefs), (code, hrefs)
        assert source_key_order(hrefs) == english_keys, code
        for href in hrefs:
            assert client.get(href).status_code == 200, href


@pytest.mark.parametrize("path", ["/ar/news/", "/es/products/", "/ar/products/", "/es/news/"])
def test_sections_answer_in_their_language_without_redirecting(client, path):
    page_soup = soup(client.get(path))
    code = path.split("/")[1]
    assert page_soup.html["lang"] == code
    for notice in page_soup.select(".untranslated-notice"):
        notice.decompose()  # its link leads to the source, on purpose
    links = [
        a["href"]
        for a in page_soup.select("main a[href^='/']")
        if not a["href"].startswith(("/media/", "/documents/", "/static/"))
    ]
    assert links, "it lists its section's pages"
    assert all(href.startswith(f"/{code}/") for href in links), links


def test_a_stand_in_shows_its_source_marked_and_points_search_engines_to_it(client):
    article, stand_in = stand_in_article("ar")
    assert stand_in.url.startswith("/ar/news/")
    page_soup = soup(client.get(stand_in.url))
    assert page_soup.html["lang"] == "ar"
    assert page_soup.html["dir"] == "rtl"
    main = page_soup.main
    assert (main["lang"], main["dir"]) == ("en", "ltr")
    assert "Pressure test bench doubled" in main.h1.get_text()
    notice = page_soup.select_one(".untranslated-notice")
    assert notice["lang"] == "ar" and notice["dir"] == "rtl"
    assert notice.a["href"] == article.url
    assert canonical(page_soup) == article.full_url
    assert hreflangs(page_soup) == {}
    # The English page names no Arabic version; its switcher still leads to Arabic.
    english = soup(client.get(article.url))
    assert "ar" not in hreflangs(english)
    assert f"/language/ar/?next={stand_in.url}" in switcher(english)
    # Where the Arabic site shows the English title and summary, they are marked English
    # (so "wait." keeps its full stop on the right); Arabic titles are not.
    crumb = page_soup.select_one(".breadcrumb [aria-current=page]")
    assert (crumb["lang"], crumb["dir"]) == ("en", "ltr")
    listing = soup(client.get("/ar/news/"))
    card = listing.find("a", string="Pressure test bench doubled")
    assert (card["lang"], card["dir"]) == ("en", "ltr")
    summary = card.find_parent(class_="news-card").select_one(".news-card__summary")
    assert summary["lang"] == "en"
    translated = listing.select(".news-card__title a")[1]
    assert not translated.has_attr("lang")


def test_stand_ins_are_left_out_of_the_sitemap_and_feeds(client):
    article, stand_in = stand_in_article("es")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert article.full_url in sitemap
    assert stand_in.full_url not in sitemap
    index = stand_in.get_parent()
    feed = client.get(index.url + "feed/rss/")
    assert feed.status_code == 200
    assert b"Pressure test bench doubled" not in feed.content
    assert b"Pressure test bench doubled" in client.get("/en/news/feed/rss/").content


def test_translate_this_page_makes_a_draft(client):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    article = testing.make_article(news, "Valves for the new water works")
    assert article.live
    russian = Locale.objects.get(language_code="ru")
    TranslationCreator(None, [russian]).create_translations(article)
    translation = article.get_translation(russian)
    assert not translation.live
    assert client.get(f"/ru/news/{translation.slug}/").status_code in (302, 404)
    assert "ru" not in hreflangs(soup(client.get(article.url)))


def test_translating_a_stand_in_keeps_it_a_stand_in_until_published(client):
    article, stand_in = stand_in_article("ru")
    russian = Locale.objects.get(language_code="ru")
    TranslationCreator(None, [russian]).create_translations(article)
    stand_in.refresh_from_db()
    assert stand_in.alias_of_id is None  # now a draft translation
    page_soup = soup(client.get(stand_in.url))
    assert canonical(page_soup) == article.full_url
    assert page_soup.select_one(".untranslated-notice") is not None
    assert "ru" not in hreflangs(soup(client.get(article.url)))
    # The editor publishes the translation: it is a version of its own from then on.
    stand_in.specific.get_latest_revision().publish()
    page_soup = soup(client.get(stand_in.url))
    assert canonical(page_soup) == Page.objects.get(pk=stand_in.pk).full_url
    assert page_soup.select_one(".untranslated-notice") is None
    assert set(hreflangs(soup(client.get(article.url)))) >= {"en", "ru"}


def test_the_switcher_keeps_the_search_query(client):
    page_soup = soup(client.get("/zh-hans/search/", {"q": "闸阀"}))
    links = switcher(page_soup)
    assert len(links) == len(CODES) - 1
    for code in CODES:
        if code != "zh-hans":
            target = client.get(f"/language/{code}/", {"next": f"/{code}/search/?q=闸阀"})
            assert unquote(target["Location"]) == f"/{code}/search/?q=闸阀"
    assert "/language/ru/?next=/ru/search/%3Fq%3D%25E9%2597%25B8%25E9%2598%2580" in links


def test_the_switcher_keeps_the_inquiry_and_its_product(client):
    english = ProductPage.objects.live().filter(locale__language_code="en").first()
    russian = english.get_translation(Locale.objects.get(language_code="ru"))
    page_soup = soup(client.get("/ru/inquiry/", {"product": russian.pk}))
    links = switcher(page_soup)
    assert f"/language/en/?next=/en/inquiry/%3Fproduct%3D{english.pk}" in links
    assert len(links) == len(CODES) - 1


def test_time_elements_have_at_most_three_digits_of_fractions(client):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    article = testing.make_article(news, "Dated to the microsecond")
    for url in (article.url, news.url):
        values = [t["datetime"] for t in soup(client.get(url)).select("time[datetime]")]
        assert values
        for value in values:
            assert not re.search(r"\.\d{4,}", value), value


def test_the_switcher_on_a_missing_page_leads_to_the_home_pages(client):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    links = switcher(BeautifulSoup(response.content, "html.parser"))
    assert "/language/en/?next=/en/" in links
    assert not any("no-such-page" in link for link in links)
