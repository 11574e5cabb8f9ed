"""Products an editor chooses (featured on the home page, related to a product, related
to an article) show alike everywhere: only those a visitor may see, each once, in the
editor's order, and in the language of the page that shows them."""

import pytest
from bs4 import BeautifulSoup

from caravan.core.models import HomePage
from caravan.products.models import HomePageFeaturedProduct, ProductIndexPage, ProductPage
from caravan.testing import make_article, make_news_index, make_product

pytestmark = pytest.mark.django_db


def card_links(client, url, section):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return [a["href"] for a in page.select(f"{section} a.card__link")]


def test_chosen_products_are_the_visible_ones_in_the_pages_language(client):
    english = ProductPage.objects.live().filter(locale__language_code="en")
    russian = {
        p.translation_key: p for p in ProductPage.objects.live().filter(locale__language_code="ru")
    }
    translated = next(p for p in english.order_by("path") if p.translation_key in russian)
    untranslated = make_product("English-only valve", slug="english-only-valve")
    draft = make_product("Draft valve", slug="draft-valve", publish=False)
    chosen = [translated, draft, untranslated, translated]
    expected = [russian[translated.translation_key].url, untranslated.url]

    home = HomePage.objects.live().get(locale__language_code="ru")
    home.featured_products = [HomePageFeaturedProduct(product=p) for p in chosen]
    home.save_revision().publish()
    assert card_links(client, "/ru/", ".featured-products") == expected

    news = make_news_index(home, title="Новости", slug="novosti")
    article = make_article(news, "Статья о клапанах", slug="valves-article", products=chosen)
    assert card_links(client, article.url, ".related-products") == expected

    catalogue = ProductIndexPage.objects.live().get(locale__language_code="ru")
    product = make_product("Задвижка", slug="host-valve", index=catalogue, related=chosen)
    assert card_links(client, product.url, "#related") == expected
