"""The product page as a buyer and a search engine read it: every field, the specification
table, downloads, related products and news, the inquiry link, JSON-LD and queries."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caravan.demo.steps import stream
from caravan.products.models import (
    ProductCategory,
)
from caravan.testing import make_document, make_image, make_product

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def json_ld(page, kind):
    found = [
        json.loads(s.string)
        for s in page.select("script[type='application/ld+json']")
        if json.loads(s.string).get("@type") == kind
    ]
    return found


def walk_keys(data):
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from walk_keys(value)
    elif isinstance(data, list):
        for item in data:
            yield from walk_keys(item)


@pytest.fixture
def full_product():
    """A product with every field filled in."""
    category = ProductCategory.objects.create(name="Knife gate valves", slug="knife-gate-valves")
    datasheet = make_document("Knife gate datasheet", "knife-gate-datasheet.pdf")
    certificate = make_document("Knife gate PED certificate", "knife-gate-ped.pdf")
    figure = make_image("Knife gate cut-away", "A knife gate valve cut open to show its blade")
    neighbour = make_product("Slurry pinch valve", sku="SPV-100")
    return make_product(
        "Knife gate valve",
        sku="KGV-DN300",
        images=3,
        categories=[category],
        related=[neighbour],
        documents=[datasheet],
        specs=[
            "Ratings",
            ("Nominal pressure", "1.0", "MPa"),
            ("Temperature", "-10 to 120", "°C"),
            "Materials",
            ("Blade", "Duplex stainless 2205", ""),
        ],
        short_description="A bi-directional knife gate valve for pulp and mining slurry.",
        description=stream(
            ("heading", {"text": "Why a knife gate", "level": "h2"}),
            ("paragraph", "<p>The blade <b>cuts through</b> fibrous stock.</p>"),
            (
                "figure",
                {"image": figure.pk, "alt_text": "", "caption": "Blade and seat", "credit": ""},
            ),
            (
                "table",
                {
                    "data": [["Size", "Stroke"], ["DN300", "320 mm"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Strokes",
                },
            ),
        ),
        moq_quantity=8,
        moq_unit="sets",
        lead_time="30 days after the deposit",
        trade_terms=stream(
            ("term", {"incoterm": "FOB", "place": "Tianjin"}),
            ("term", {"incoterm": "DAP", "place": "Karaganda"}),
        ),
        payment_terms="T/T 40% deposit",
        packaging="Steel-framed crates",
        place_of_origin="Baoji, China",
        certifications=stream(
            (
                "certification",
                {"name": "CE (PED)", "detail": "Module H", "document": certificate.pk},
            ),
            ("certification", {"name": "ATEX", "detail": "", "document": None}),
        ),
    )


def test_every_field_is_rendered(client, full_product):
    response = client.get(full_product.url)
    assert response.status_code == 200
    page = soup(response)
    main = page.select_one("main")
    text = main.get_text(" ", strip=True)
    assert page.h1.get_text(strip=True) == "Knife gate valve"
    assert "Model KGV-DN300" in text
    assert "A bi-directional knife gate valve for pulp and mining slurry." in text
    # Categories link to their listing.
    chip = main.select_one(".product-summary__categories a")
    assert chip.get_text(strip=True) == "Knife gate valves"
    assert chip["href"] == "/en/products/category/knife-gate-valves/"
    # Gallery: three pictures, the first loaded eagerly, each with alt text.
    slides = main.select(".product-gallery__slide img")
    assert len(slides) == 3
    assert all(img["alt"] == "A test picture of a valve" for img in slides)
    assert "loading" not in slides[0].attrs and slides[1]["loading"] == "lazy"
    assert slides[0]["width"] and slides[0]["height"]
    assert main.select_one(".product-gallery__slide source[type='image/avif']")
    assert [a["href"] for a in main.select(".product-gallery__thumbs a")] == [
        "#picture-1",
        "#picture-2",
        "#picture-3",
    ]
    # Facts
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in main.select(".product-facts dt")
    }
    assert facts == {
        "Minimum order": "8 sets",
        "Lead time": "30 days after the deposit",
        "Trade terms": "FOB Tianjin DAP Karaganda",
        "Payment terms": "T/T 40% deposit",
        "Packaging": "Steel-framed crates",
        "Place of origin": "Baoji, China",
    }
    assert main.select_one(".trade-terms abbr[title='Free on Board']").get_text() == "FOB"
    # Description stream: heading, text, figure, table.
    description = main.select_one("#description")
    assert description.select_one("h2.block-heading").get_text() == "Why a knife gate"
    assert description.select_one(".rich-text b").get_text() == "cuts through"
    assert (
        description.select_one("figure.figure img")["alt"]
        == "A knife gate valve cut open to show its blade"
    )
    assert description.select_one("table caption").get_text() == "Strokes"
    # Certifications, with the certificate to download.
    certs = main.select("#certifications li")
    assert [c.select_one(".certification__name").get_text() for c in certs] == ["CE (PED)", "ATEX"]
    assert certs[0].select_one("a[download]")["href"].startswith("/documents/")
    assert [b.get_text() for b in main.select(".cert-badges li")] == ["CE (PED)", "ATEX"]
    # Downloads
    download = main.select_one("#downloads a.download")
    assert download.has_attr("download")
    assert download["href"].endswith("/knife-gate-datasheet.pdf")
    assert "PDF" in download.get_text() and "KB" in download.get_text()
    # Related products
    related = main.select("#related .product-card .card__title")
    assert [r.get_text(strip=True) for r in related] == ["Slurry pinch valve"]


def test_specifications_are_a_table_of_name_value_and_unit(client, full_product):
    table = soup(client.get(full_product.url)).select_one("#specifications table.spec-table")
    assert [th.get_text() for th in table.select("thead th")] == ["Specification", "Value", "Unit"]
    groups = table.select("tbody")
    assert [g.select_one("th[scope=rowgroup]").get_text() for g in groups] == [
        "Ratings",
        "Materials",
    ]
    rows = [
        [cell.get_text() for cell in tr.select("th[scope=row], td")]
        for tr in table.select("tbody tr")
        if tr.select_one("th[scope=row]")
    ]
    assert rows == [
        ["Nominal pressure", "1.0", "MPa"],
        ["Temperature", "-10 to 120", "°C"],
        ["Blade", "Duplex stainless 2205", ""],
    ]


def test_send_inquiry_link_preselects_the_product(client, full_product):
    page = soup(client.get(full_product.url))
    links = page.select("main a.button--accent")
    assert links, "no inquiry link"
    assert {a["href"] for a in links} == {f"/en/inquiry/?product={full_product.pk}"}
    assert links[0].get_text(strip=True) == "Send inquiry about this product"
    assert full_product.inquiry_product == full_product
    # The plain link leads somewhere that answers, without JavaScript.
    assert client.get(links[0]["href"]).status_code == 200


def test_product_json_ld_states_only_what_the_supplier_says(client, full_product, company):
    page = soup(client.get(full_product.url))
    [product] = json_ld(page, "Product")
    assert product["@context"] == "https://schema.org"
    assert product["name"] == "Knife gate valve"
    assert product["sku"] == product["mpn"] == "KGV-DN300"
    assert product["url"].startswith("http") and product["url"].endswith(full_product.url)
    assert product["description"].startswith("A bi-directional knife gate valve")
    assert len(product["image"]) == 3
    assert all(url.startswith("http") and ".jpg" in url for url in product["image"])
    assert product["brand"] == {"@type": "Brand", "name": company.name}
    assert product["manufacturer"]["@type"] == "Organization"
    assert product["manufacturer"]["name"] == company.name
    assert product["category"] == "Knife gate valves"
    assert product["additionalProperty"] == [
        {"@type": "PropertyValue", "name": "Nominal pressure", "value": "1.0", "unitText": "MPa"},
        {"@type": "PropertyValue", "name": "Temperature", "value": "-10 to 120", "unitText": "°C"},
        {"@type": "PropertyValue", "name": "Blade", "value": "Duplex stainless 2205"},
    ]
    invented = {"offers", "aggregateRating", "review", "price", "priceCurrency", "ratingValue"}
    assert not invented & set(walk_keys(product))
    # The breadcrumb's BreadcrumbList is there once, from the base template.
    [crumbs] = json_ld(page, "BreadcrumbList")
    assert [i["name"] for i in crumbs["itemListElement"]][-2:] == ["Products", "Knife gate valve"]


def test_head_has_canonical_description_and_open_graph(client, full_product):
    page = soup(client.get(full_product.url))
    canonical = page.select_one("link[rel=canonical]")["href"]
    assert canonical.startswith("http") and canonical.endswith(full_product.url)
    assert page.select_one("meta[property='og:url']")["content"] == canonical
    description = "A bi-directional knife gate valve for pulp and mining slurry."
    assert page.select_one("meta[name=description]")["content"] == description
    assert page.select_one("meta[property='og:title']")["content"] == "Knife gate valve"
    og_image = page.select_one("meta[property='og:image']")["content"]
    assert og_image.startswith("http") and og_image.endswith(".jpg")
    assert (
        page.select_one("meta[property='og:image:alt']")["content"] == "A test picture of a valve"
    )


def test_public_product_pages_carry_no_cookie_or_csrf_token(client, full_product):
    response = client.get(full_product.url)
    assert not response.cookies
    assert b"csrfmiddlewaretoken" not in response.content
    index = client.get("/en/products/")
    assert not index.cookies


def test_related_products_leave_out_drafts(client):
    draft = make_product("Hidden draft valve", publish=False)
    live = make_product("Visible valve")
    product = make_product("Host valve", related=[draft, live])
    titles = [
        h.get_text(strip=True)
        for h in soup(client.get(product.url)).select("#related .card__title")
    ]
    assert titles == ["Visible valve"]


def test_in_the_news_lists_the_published_articles_that_name_the_product(client):
    from caravan.testing import make_article, make_news_index

    product = make_product("Newsworthy valve")
    other = make_product("Quiet valve")
    assert not soup(client.get(product.url)).select("#news")
    press = make_news_index()
    make_article(press, "Older mention", products=[product], date=days_ago(9))
    make_article(press, "Newer mention", products=[product, other], date=days_ago(2))
    make_article(press, "Draft mention", products=[product], publish_now=False)
    make_article(press, "Unrelated article", products=[other])
    section = soup(client.get(product.url)).select_one("#news")
    assert [a.get_text(strip=True) for a in section.select("li a")] == [
        "Newer mention",
        "Older mention",
    ]
    assert section.select_one("time")["datetime"]


def days_ago(n):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() - timedelta(days=n)


def detail_queries(client, path):
    client.get(path)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_detail_queries_do_not_grow_with_pictures_specs_documents_or_related(
    client, django_assert_max_num_queries
):
    category = ProductCategory.objects.create(name="Meters", slug="meters")
    document = make_document()
    small = make_product(
        "Small meter",
        images=1,
        specs=[("Size", "DN50", "")],
        categories=[category],
        related=[make_product("Neighbour 0")],
        documents=[document],
    )
    with_one = detail_queries(client, small.url)

    neighbours = [make_product(f"Neighbour {n}", images=2) for n in range(1, 31)]
    big = make_product(
        "Big meter",
        images=30,
        specs=[(f"Property {n}", str(n), "mm") for n in range(30)],
        categories=[category],
        related=neighbours,
        documents=[document] * 30,
    )
    client.get(big.url)
    cache.clear()
    with django_assert_max_num_queries(with_one):
        response = client.get(big.url)
    page = soup(response)
    assert len(page.select(".product-gallery__slide img")) == 30
    assert len(page.select("#specifications tbody tr")) == 30
    assert len(page.select("#related .product-card")) == 30
