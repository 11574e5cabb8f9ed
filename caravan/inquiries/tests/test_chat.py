"""The chat hand-off and the inquiry basket's server-rendered part, as a buyer and the
sales team meet them: "Chat on WhatsApp" on a product page goes through a counting
redirect to the company's WhatsApp with the product named, and nowhere else; the sources
report shows the clicks beside the inquiries; "Add to inquiry" works as a plain link."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from caravan.inquiries.models import ChatClick
from caravan.news.models import NewsPage
from caravan.products.models import ProductPage
from caravan.testing import make_inquiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_product(home):
    return ProductPage.objects.live().filter(locale__language_code="en").order_by("pk").first()


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_a_product_page_offers_whatsapp_without_showing_the_number(
    anon_client, company, demo_product
):
    soup = soup_of(anon_client, demo_product.url)
    link = soup.find("a", string="Chat on WhatsApp")
    assert link is not None
    href = urlsplit(link["href"])
    assert href.path == "/en/inquiry/chat/whatsapp/"
    assert parse_qs(href.query) == {"product": [str(demo_product.pk)], "page": [demo_product.url]}
    assert company.whatsapp_digits not in str(soup)  # harvesters find no number
    assert company.wechat_id in soup.select_one(".product-chat").get_text()


def test_a_chat_click_is_counted_and_sent_to_whatsapp_with_the_product(
    anon_client, company, demo_product
):
    url = f"/en/inquiry/chat/whatsapp/?product={demo_product.pk}&page={demo_product.url}"
    for expected in (1, 2):
        response = anon_client.get(url)
        assert response.status_code == 302
        target = urlsplit(response["Location"])
        assert (target.scheme, target.netloc) == ("https", "wa.me")
        assert target.path == f"/{company.whatsapp_digits}"
        text = parse_qs(target.query)["text"][0]
        assert demo_product.title in text
        assert demo_product.get_full_url() in text
        assert "Set-Cookie" not in response.headers
        click = ChatClick.objects.get(product=demo_product)
        assert (click.count, click.page_path, click.channel) == (
            expected,
            demo_product.url,
            "whatsapp",
        )


@pytest.mark.parametrize(
    "page",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_the_chat_redirect_goes_nowhere_but_whatsapp(anon_client, demo_product, page):
    response = anon_client.get(
        "/en/inquiry/chat/whatsapp/",
        {"product": demo_product.pk, "page": page, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert urlsplit(response["Location"]).netloc == "wa.me"
    assert "evil" not in response["Location"]
    assert ChatClick.objects.get(product=demo_product).page_path == ""


@pytest.mark.parametrize(
    "url",
    [
        "/en/inquiry/chat/telegram/?product={pk}",
        "/en/inquiry/chat/whatsapp/?product=999999",
        "/en/inquiry/chat/whatsapp/?product=abc",
        "/en/inquiry/chat/whatsapp/",
    ],
)
def test_an_unknown_channel_or_product_is_not_found(anon_client, demo_product, url):
    response = anon_client.get(url.format(pk=demo_product.pk))
    assert response.status_code == 404
    assert not ChatClick.objects.exists()


def test_no_whatsapp_number_no_chat(anon_client, company, demo_product):
    company.whatsapp = ""
    company.save()
    response = anon_client.get(f"/en/inquiry/chat/whatsapp/?product={demo_product.pk}")
    assert response.status_code == 404


def test_the_sources_report_shows_chat_clicks_beside_inquiries(
    sales_client, anon_client, demo_product
):
    make_inquiry(product=demo_product, product_title=demo_product.title)
    for _ in range(3):
        anon_client.get(f"/en/inquiry/chat/whatsapp/?product={demo_product.pk}&page=/en/")
    soup = soup_of(sales_client, "/admin/inquiries/reports/sources/")
    rows = {
        tr.select("td")[0].get_text(strip=True): [int(td.get_text()) for td in tr.select("td")[1:]]
        for tr in soup.select("#source-chat tbody tr")
    }
    assert rows[demo_product.title] == [1, 3]


def test_add_to_inquiry_is_a_link_to_the_inquiry_page_without_javascript(anon_client, demo_product):
    page = soup_of(anon_client, demo_product.url)
    index = soup_of(anon_client, demo_product.get_parent().url)
    for soup in (page, index):
        button = soup.select_one(f"a[data-basket-add][data-product-id='{demo_product.pk}']")
        assert button is not None and "Add to inquiry" in button.get_text()
        assert button["href"] == f"/en/inquiry/?product={demo_product.pk}"
        assert button["data-product-key"] == str(demo_product.translation_key)
        assert button["data-product-title"] == demo_product.title
        assert button["data-product-url"] == demo_product.url
    link = page.select_one("[data-basket-link]")
    assert link.has_attr("hidden") and link["href"] == "/en/inquiry/"
    assert page.select_one("[data-basket-status][role=status]") is not None


def test_add_to_inquiry_is_on_the_home_page_and_on_articles_about_products(anon_client):
    home = soup_of(anon_client, "/en/")
    assert home.select(".featured-products a[data-basket-add][data-product-key]")
    article = (
        NewsPage.objects.live()
        .filter(locale__language_code="en", related_products__isnull=False)
        .first()
    )
    cards = soup_of(anon_client, article.url).select(".related-products .product-card")
    assert cards and all(card.select_one("a[data-basket-add][data-product-id]") for card in cards)
