"""The demo catalogue of Silkline Flow Controls, as the demo loader leaves it."""

import pytest
from bs4 import BeautifulSoup

from caravan.core.models import HomePage
from caravan.products.models import ProductCategory, ProductIndexPage, ProductPage

pytestmark = pytest.mark.django_db


def test_demo_has_three_categories_and_twelve_complete_products():
    index = ProductIndexPage.objects.live().get(locale__language_code="en")
    assert index.show_in_menus and index.get_parent().specific_class is HomePage
    assert ProductCategory.objects.filter(locale=index.locale).count() == 3
    products = list(ProductPage.objects.child_of(index).live())
    assert len(products) == 12
    for product in products:
        assert 2 <= len(product.gallery) <= 4, product.title
        assert all(item.image.description for item in product.gallery)
        assert len(product.specification_rows()) >= 4
        assert product.moq_quantity and product.moq_unit and product.lead_time
        assert product.trade_terms and product.payment_terms and product.certifications
        assert product.categories.exists()
        assert product.related_products.exists()
        [row] = product.document_list()
        data = row.document.file.read()
        row.document.file.close()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        # The cross-reference table points at the objects it names.
        xref_at = int(data.rsplit(b"startxref", 1)[1].split()[0])
        assert data[xref_at:].startswith(b"xref")
        assert row.document.file_size == len(data)
    assert len({p.sku for p in products}) == 12


def test_demo_home_features_products_and_links_to_the_catalogue(client):
    home = HomePage.objects.get(locale__language_code="en")
    assert home.featured_products.count() == 4
    page = BeautifulSoup(client.get("/en/").content, "html.parser")
    assert len(page.select(".featured-products .product-card")) == 4
    nav = [a.get_text(strip=True) for a in page.select("nav.site-nav a")]
    assert nav[:2] == ["Home", "Products"]


def test_every_demo_product_page_answers(client):
    for product in ProductPage.objects.live():
        response = client.get(product.url)
        assert response.status_code == 200, product.url
        assert product.sku in response.content.decode()
