"""Cards and home sections rendered once and reused by the pages Django serves to
anonymous visitors (`{% shared %}`, caravan/core/shared.py) until content changes: a
publish, an unpublish or a new view restriction shows on the next render, and an
editor's preview shows its draft, never kept markup of the page it is of."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from caravan.products.models import HomePageFeaturedProduct, ProductIndexPage, ProductPage
from caravan.testing import make_product, preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_index():
    """The demo's product index without its products."""
    index = ProductIndexPage.objects.get(locale__language_code="en")
    for product in ProductPage.objects.child_of(index):
        product.delete()
    return index


def card_titles(response, scope=".product-card"):
    page = BeautifulSoup(response.content, "html.parser")
    return [h.get_text(strip=True) for h in page.select(f"{scope} .card__title")]


def template_names(response):
    return {template.name for template in response.templates}


def test_a_kept_card_is_not_rendered_again_by_the_next_request(client, empty_index, keeping):
    make_product("Kept valve")
    first = client.get("/en/products/")
    assert "Kept valve" in card_titles(first)
    assert "products/includes/card_facts.html" in template_names(first)
    again = client.get("/en/products/")
    assert again.content == first.content
    assert "products/includes/card_facts.html" not in template_names(again)  # kept


def test_a_published_edit_shows_at_once_in_the_kept_cards(client, home, empty_index, keeping):
    product = make_product("Old name valve")
    home.featured_products = [HomePageFeaturedProduct(product=product)]
    home.save_revision().publish()
    assert "Old name valve" in card_titles(client.get("/en/products/"))
    assert "Old name valve" in card_titles(client.get("/en/"))
    product.title = "New name valve"
    product.save_revision().publish()
    listed = card_titles(client.get("/en/products/"))
    assert "New name valve" in listed and "Old name valve" not in listed
    featured = card_titles(client.get("/en/"))
    assert "New name valve" in featured and "Old name valve" not in featured


def test_an_unpublished_or_restricted_product_leaves_the_kept_lists(client, empty_index, keeping):
    gone = make_product("Withdrawn valve")
    private = make_product("Private valve")
    listed = card_titles(client.get("/en/products/"))
    assert {"Withdrawn valve", "Private valve"} <= set(listed)
    gone.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    listed = card_titles(client.get("/en/products/"))
    assert "Withdrawn valve" not in listed
    assert "Private valve" not in listed


def test_a_preview_shows_the_draft_not_a_kept_card(client, editor_client, home, keeping):
    published = make_product("Published valve")
    drafted = make_product("Drafted valve")
    home.featured_products = [HomePageFeaturedProduct(product=published)]
    home.save_revision().publish()
    assert "Published valve" in card_titles(client.get("/en/"))
    home.featured_products = [HomePageFeaturedProduct(product=drafted)]
    revision = home.save_revision()
    preview = editor_client.get(
        reverse("wagtailadmin_pages:revisions_view", args=[home.pk, revision.pk])
    )
    assert preview.status_code == 200
    shown = card_titles(preview)
    assert "Drafted valve" in shown and "Published valve" not in shown
    assert "Published valve" in card_titles(client.get("/en/"))  # the draft stays a draft


def test_each_preview_shows_its_own_draft_of_the_sections(home, keeping):
    """Previews keep what the published site shows (cards, menus), never the markup of
    the draft itself: the next preview shows the next draft."""
    first, second = make_product("First valve"), make_product("Second valve")
    home.featured_products = [HomePageFeaturedProduct(product=first)]
    assert "First valve" in card_titles(preview(home))
    home.featured_products = [HomePageFeaturedProduct(product=second)]
    shown = card_titles(preview(home))
    assert "Second valve" in shown and "First valve" not in shown


def test_a_preview_of_the_catalogue_shows_its_draft_over_the_kept_list(empty_index, keeping):
    """A list's markup shows the published pages below the section, which no draft of the
    section changes: previews keep and reuse it, and still show the draft's own fields."""
    make_product("Listed valve")
    preview(empty_index)
    with CaptureQueriesContext(connection) as queries:
        shown = preview(empty_index, title="Our valves, retitled")
    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    assert BeautifulSoup(shown.content, "html.parser").h1.get_text(strip=True) == (
        "Our valves, retitled"
    )
    assert card_titles(shown) == ["Listed valve"]
    assert '"products_productpage"."sku"' not in sql  # the cards' products: not loaded


def test_a_product_asked_again_does_not_load_its_related_products(client, keeping):
    """The related products' markup is kept under the ids it shows: a product page asked
    again loads neither those products nor their pictures; a related product that is
    withdrawn leaves it at once."""
    first = make_product("Related first valve")
    second = make_product("Related second valve")
    product = make_product("Host valve", related=[first, second])
    loads_related = '"products_productpage"."page_ptr_id" IN ('
    with CaptureQueriesContext(connection) as queries:
        shown = client.get(product.url)
    assert card_titles(shown, "#related") == ["Related first valve", "Related second valve"]
    first_sql = "\n".join(query["sql"] for query in queries.captured_queries)
    assert loads_related in first_sql
    with CaptureQueriesContext(connection) as queries:
        again = client.get(product.url)
    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    assert again.content == shown.content
    assert loads_related not in sql  # neither the related products nor their pictures
    renditions = 'FROM "core_caravanrendition"'
    assert sql.count(renditions) < first_sql.count(renditions)
    second.unpublish()
    assert card_titles(client.get(product.url), "#related") == ["Related first valve"]


def test_a_preview_shows_the_related_products_of_its_draft(keeping):
    from caravan.products.models import ProductPageRelatedProduct

    first, second = make_product("First related"), make_product("Second related")
    product = make_product("Previewed valve", related=[first])
    assert card_titles(preview(product), "#related") == ["First related"]
    product.related_products = [ProductPageRelatedProduct(product=second)]
    assert card_titles(preview(product), "#related") == ["Second related"]
    product.related_products = []
    assert not BeautifulSoup(preview(product).content, "html.parser").select("#related")


def test_a_new_view_restriction_guards_a_page_at_once(client, keeping):
    product = make_product("Soon private valve")
    assert client.get(product.url).status_code == 200
    assert "products/product_page.html" in template_names(client.get(product.url))
    PageViewRestriction.objects.create(page=product, restriction_type="password", password="x")
    guarded = client.get(product.url)
    assert "products/product_page.html" not in template_names(guarded)
    assert "core/password_required.html" in template_names(guarded)


@pytest.mark.parametrize(
    ("path", "budget"),
    [("/en/", 10), ("/en/products/", 12), ("/en/news/", 14)],
)
def test_a_kept_page_reads_little_and_no_view_restriction(client, keeping, path, budget):
    """What the pages served to anonymous visitors take once their shared look-ups are
    kept: the page itself and its own rows, not the site's restrictions, menus, cards."""
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if "wagtailcore_pageviewrestriction" in q]
    assert len(sql) <= budget
