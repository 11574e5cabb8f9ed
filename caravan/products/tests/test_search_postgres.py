"""Site search on PostgreSQL's full-text search (the backend settings choose when the
database is PostgreSQL). These tests run when the suite itself runs on PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/pytest -m postgres

and are skipped, saying so, on any other database."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from caravan.products.tests.test_search import NASTY_QUERIES
from caravan.testing import make_product

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def titles(response):
    page = BeautifulSoup(response.content, "html.parser")
    return [" ".join(h.get_text().split()) for h in page.select(".search-result__title")]


@pytest.fixture
def quokka():
    return make_product(
        "Quokka pressure regulators",
        sku="QK-77-ZX9",
        specs=[("Diaphragm", "Fluorosilicone unobtainium", "")],
    )


def test_settings_choose_postgres_full_text_search():
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]
    assert backend["BACKEND"] == "wagtail.search.backends.database.postgres.postgres"
    from wagtail.search.backends import get_search_backend

    assert type(get_search_backend()).__name__ == "PostgresSearchBackend"


@pytest.mark.parametrize(
    "query",
    ["quokka", "QK-77-ZX9", "qk-77-zx9", "QK77ZX9", "ZX9", "unobtainium", "Fluorosilicone"],
)
def test_finds_a_product_by_name_model_number_and_specification(client, quokka, query):
    assert titles(client.get("/en/search/", {"q": query})) == ["Quokka pressure regulators"]


def test_stemming_finds_singular_and_plural(client, quokka):
    assert titles(client.get("/en/search/", {"q": "regulator"})) == ["Quokka pressure regulators"]


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_every_query_gets_a_page(client, quokka, query):
    assert client.get("/en/search/", {"q": query}).status_code == 200
