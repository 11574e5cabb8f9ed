"""The WordPress importer against files a real WordPress wrote: tests/fixtures/
northline.wordpress.xml is WordPress 6.1's own export_wp() of a site with Gutenberg and
classic posts, pictures, a gallery, embeds, shortcodes, a draft, a scheduled and a
private post, pages in a hierarchy, WooCommerce-style products, Yoast, Rank Math and
Polylang data; fixtures/uploads is its wp-content/uploads."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from caravan.core.models import CaravanImage, StandardPage
from caravan.importers.media import MediaError, MediaLibrary
from caravan.importers.models import ImportedItem
from caravan.importers.wordpress import WordPressImport
from caravan.importers.wxr import WXRFile
from caravan.inquiries.models import DeliveryStatus, Inquiry
from caravan.news.models import NewsPage
from caravan.products.models import ProductPage

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "northline.wordpress.xml"
UPLOADS = FIXTURES / "uploads"


def run(**options):
    options.setdefault("media_dir", UPLOADS)
    return WordPressImport(EXPORT, **options).run()


@pytest.fixture
def imported(db):
    return run()


def article(slug):
    return NewsPage.objects.get(slug=slug, locale__language_code="en")


def imported_page(kind, wp_id):
    return ImportedItem.objects.get(kind=kind, key=str(wp_id)).target.specific


def test_a_gutenberg_post_becomes_an_article_with_its_blocks(imported, client):
    page = article("first-train-to-almaty")
    assert page.live
    assert page.author == "Mei Lin"
    assert page.summary.startswith("Forty valves travelled by rail")
    assert page.date.isoformat().startswith("2024-03-05")
    assert page.hero_image.description == "A blue gate valve on the test bench"
    kinds = [block.block_type for block in page.body]
    assert kinds == [
        "paragraph", "heading", "paragraph", "figure", "quote", "table",
        "figure", "figure", "video",
    ]  # fmt: skip
    figure = page.body[3].value
    assert figure["caption"] == "Every valve is tested before it is painted."
    assert figure["image"].title == "Test bay"
    assert page.body[4].value["attribution"] == "Procurement engineer, Novosibirsk"
    assert page.body[5].value["data"][1] == ["DN50", "PN16"]
    assert page.body[8].value["url"] == "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
    assert sorted(tag.name for tag in page.tags.all()) == [
        "Company news", "Rail", "rail freight", "valves",
    ]  # fmt: skip
    assert page.seo_title == "First rail shipment to Almaty | Northline"
    assert page.search_description.startswith("How forty gate valves")
    html = client.get(page.url).content.decode()
    assert "Forty valves" in html and "Loading the train" in html


def test_classic_html_and_shortcodes(imported):
    page = article("canton-fair-2024")
    kinds = [block.block_type for block in page.body]
    assert kinds.count("figure") == 3  # [caption] and a two-picture [gallery]
    assert "video" in kinds  # [embed] of a Vimeo address
    text = json.dumps(list(page.body.raw_data))
    assert "/en/inquiry/" in text  # Contact Form 7 → our inquiry form
    assert "fair_countdown" in text  # an unknown shortcode is kept as text...
    assert imported.unknown_shortcodes["fair_countdown"] == 1  # ...and reported
    assert page.seo_title == "Canton Fair 2024: our stand"  # Rank Math
    # Links to the old site point at the new page (by address and by ?p=ID).
    target = article("first-train-to-almaty").pk
    assert text.count(f'linktype=\\"page\\" id=\\"{target}\\"') == 2


def test_status_is_never_more_public(imported):
    assert not article("new-warehouse").live
    scheduled = article("spring-price-list")
    assert not scheduled.live and scheduled.go_live_at.year == 2030
    private = article("dealer-margins")
    assert not private.live
    assert any("dealer-margins" in note or "private" in note for note in imported.lists["notes"])


def test_pages_keep_hierarchy_and_menu_order(imported, home):
    about, factory, quality = (imported_page("page", wp_id) for wp_id in (17, 18, 19))
    assert isinstance(about, StandardPage) and about.title == "About us"
    assert factory.get_parent().pk == about.pk
    siblings = [p.pk for p in home.get_children() if p.pk in (about.pk, quality.pk)]
    assert siblings == [quality.pk, about.pk]  # menu order 1, then 2
    assert about.search_description == "A valve maker in Xi'an since 2009."


def test_products_with_categories_specifications_and_datasheet(imported):
    product = ProductPage.objects.get(sku="NL-Z45X")
    assert product.live
    assert product.short_description == "Resilient-seated gate valve, DN50 to DN600."
    assert [c.slug for c in product.categories.all()] == ["valves", "gate-valves"] or {
        c.slug for c in product.categories.all()
    } == {"valves", "gate-valves"}
    specs = {row.value["name"]: row.value["value"] for row in product.specifications}
    assert specs == {
        "Material": "Ductile iron, EPDM",
        "Nominal size": "DN100, DN50",
        "Working pressure": "1.6 MPa",
    }
    assert [g.image.title for g in product.gallery_images.all()] == [
        "Gate valve Z45X", "Test bay", "Export crate",
    ]  # fmt: skip
    assert [d.title for d in product.documents.all()] == ["Datasheet"]
    assert not ProductPage.objects.get(sku="NL-BF").live  # a draft stays a draft
    assert {"sku": "NL-Z45X", "price": "120"} in imported.lists["prices"]


def test_old_addresses_redirect_permanently(imported, client):
    page = article("first-train-to-almaty")
    for old in ("/first-train-to-almaty/", "/?p=11"):
        redirect = Redirect.objects.get(old_path=Redirect.normalise_path(old))
        assert redirect.is_permanent and redirect.redirect_page_id == page.pk
    response = client.get("/first-train-to-almaty/")
    assert response.status_code == 301 and response["Location"].endswith(page.url)
    response = client.get("/?p=11")
    assert response.status_code == 301 and response["Location"].endswith(page.url)
    response = client.get("/category/shipping/rail/")
    assert response.status_code == 301 and "/news/tag/rail/" in response["Location"]
    assert Redirect.objects.filter(old_path="/product/gate-valve-z45x").exists()


def test_polylang_translations_and_unmapped_languages(imported):
    source = article("first-train-to-almaty")
    russian = NewsPage.objects.get(
        locale__language_code="ru", translation_key=source.translation_key
    )
    assert russian.title == "Первый поезд в Алматы"
    assert russian.slug == "pervyj-poezd"
    assert russian.live
    assert imported.unmapped_languages == {"Deutsch (de)": 1}


def test_media_each_file_once_with_alt_text(imported):
    images = CaravanImage.objects.filter(title__in=["Test bay", "Export crate", "Flange"])
    assert images.count() == 3
    assert images.get(title="Test bay").description == "The hydrostatic test bay"
    assert imported.counts["media"]["created"] == 6


def test_a_second_run_updates_and_creates_nothing_twice(imported):
    pages, images = Page.objects.count(), CaravanImage.objects.count()
    redirects = Redirect.objects.count()
    again = run()
    assert Page.objects.count() == pages and CaravanImage.objects.count() == images
    assert Redirect.objects.count() == redirects
    assert again.counts["news"]["unchanged"] >= 5
    assert "created" not in again.counts["news"]


def test_dry_run_writes_nothing(db):
    pages = Page.objects.count()
    report = run(dry_run=True)
    assert Page.objects.count() == pages
    assert not ImportedItem.objects.exists()
    assert report.counts["news"]["created"] >= 5 and report.dry_run


def test_one_bad_item_is_skipped_and_reported(db, tmp_path):
    text = EXPORT.read_text().replace(
        "<wp:post_name><![CDATA[canton-fair-2024]]></wp:post_name>",
        "<wp:post_name><![CDATA[canton-fair-2024]]></wp:post_name>"
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
        "<wp:meta_value>not-a-number</wp:meta_value></wp:postmeta>",
    )
    broken = tmp_path / "broken.xml"
    broken.write_text(text)
    report = WordPressImport(broken, media_dir=UPLOADS).run()
    assert report.counts["news"]["skipped"] == 1
    assert report.lists["skipped"][0]["title"] == "Canton Fair 2024"
    assert NewsPage.objects.filter(slug="first-train-to-almaty").exists()


def test_entities_are_refused(db, tmp_path):
    evil = tmp_path / "evil.xml"
    evil.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<rss><channel><title>&x;</title></channel></rss>"
    )
    with pytest.raises(CommandError, match="entities"):
        call_command("import_wordpress", str(evil))


class FakeResponse:
    def __init__(self, body, status=200):
        self.body, self.status_code = body, status
        self.headers = {"Content-Length": str(len(body))}

    def iter_content(self, size):
        yield self.body

    def close(self):
        pass


def test_media_are_fetched_from_the_old_site_only(db):
    asked = []

    class Session:
        def get(self, url, **kwargs):
            asked.append((url, kwargs["timeout"], kwargs["allow_redirects"]))
            name = url.rsplit("/", 1)[-1]
            return FakeResponse((UPLOADS / "2024" / "03" / name).read_bytes())

    report = run(media_dir=None, media_url="http://files.example.org", session=Session())
    assert len(asked) == 6  # each file once
    assert all(url.startswith("http://files.example.org/wp-content/uploads/") for url, *_ in asked)
    assert all(timeout and not redirects for _url, timeout, redirects in asked)
    assert report.counts["media"]["created"] == 6
    library = MediaLibrary(WXRFile(EXPORT).site(), report, session=Session())
    with pytest.raises(MediaError, match="not on the old site"):
        library._fetch("http://169.254.169.254/latest/meta-data")
    library.max_bytes = 100
    with pytest.raises(MediaError, match="larger than"):
        library._fetch("http://127.0.0.1:8089/wp-content/uploads/2024/03/crate.jpg")


def test_flamingo_leads_are_imported_and_never_emailed(db, tmp_path, mailoutbox):
    leads = tmp_path / "flamingo.csv"
    leads.write_text(
        "your-name,your-email,your-subject,your-message,Date\n"
        "Aigerim,buyer@example.kz,DN100 valves,Price for 40 pieces?,2023-11-02 08:15:00\n"
        "Nobody,,,No way to answer,2023-11-03 08:15:00\n"
    )
    report = WordPressImport(leads_csv=leads).run()
    inquiry = Inquiry.objects.get(contact="buyer@example.kz")
    assert inquiry.created_at.year == 2023 and "Price for 40 pieces?" in inquiry.message
    assert inquiry.notification_status == DeliveryStatus.SKIPPED
    assert inquiry.utm_source == "wordpress-flamingo"
    assert mailoutbox == []
    assert report.counts["leads"] == {"created": 1, "skipped": 1}
    WordPressImport(leads_csv=leads).run()
    assert Inquiry.objects.filter(contact="buyer@example.kz").count() == 1


def test_command_prints_the_report_and_writes_json(db, tmp_path):
    out = tmp_path / "report.json"
    from io import StringIO

    stdout = StringIO()
    call_command(
        "import_wordpress", str(EXPORT), media_dir=str(UPLOADS), report=str(out), stdout=stdout
    )
    assert "news:" in stdout.getvalue()
    data = json.loads(out.read_text())
    assert data["counts"]["products"]["created"] == 2
    assert data["redirects"] > 10


def test_woocommerce_product_csv(db):
    csv_file = FIXTURES / "woocommerce-sample-products.csv"
    report = WordPressImport(products_csv=csv_file).run()
    tee = ProductPage.objects.get(sku="woo-vneck-tee")
    assert tee.live and tee.title == "Awesome V-Neck T-Shirt"
    assert tee.short_description == "This is a variable product."
    specs = {row.value["name"]: row.value["value"] for row in tee.specifications}
    assert specs == {"Color": "Blue, Green, Red", "Size": "Large, Medium, Small"}
    assert {c.name for c in tee.categories.all()} == {"Clothing", "Tshirts"}
    assert report.counts["products"] == {"created": 3, "skipped": 1}  # the variation
    assert {"sku": "woo-album", "price": "15"} in report.lists["prices"]
    assert any("vneck-tee-2.jpg" in entry for entry in report.lists["missing_media"])
    again = WordPressImport(products_csv=csv_file).run()
    assert again.counts["products"]["unchanged"] == 3
    assert ProductPage.objects.filter(sku__startswith="woo-").count() == 3


def test_an_interrupted_run_is_resumed_by_running_again(db):
    class StopImportError(Exception):
        pass

    def stop_halfway(share, label):
        if label == "content" and share > 0.5:
            raise StopImportError

    with pytest.raises(StopImportError):
        run(progress=stop_halfway)
    done_before = ImportedItem.objects.filter(kind="post").count()
    assert 0 < done_before < 8  # what was imported before the interruption stays
    report = run()
    assert ImportedItem.objects.filter(kind="post").count() == 8
    assert report.counts["news"]["unchanged"] == done_before
    assert NewsPage.objects.filter(title="First train to Almaty").count() == 1


def test_wpml_translations_from_wpml_export_and_import_fields(db, tmp_path):
    def wpml(slug, language):
        return (
            f"<wp:post_name><![CDATA[{slug}]]></wp:post_name>"
            f"<wp:postmeta><wp:meta_key>_wpml_import_language_code</wp:meta_key>"
            f"<wp:meta_value>{language}</wp:meta_value></wp:postmeta>"
            f"<wp:postmeta><wp:meta_key>_wpml_import_translation_group</wp:meta_key>"
            f"<wp:meta_value>group-7</wp:meta_value></wp:postmeta>"
        )

    text = EXPORT.read_text()
    for slug, language in (("hello-world", "en"), ("rail-freight-history", "es")):
        text = text.replace(
            f"<wp:post_name><![CDATA[{slug}]]></wp:post_name>", wpml(slug, language)
        )
    export = tmp_path / "wpml.xml"
    export.write_text(text)
    WordPressImport(export, media_dir=UPLOADS).run()
    source = imported_page("post", 1)
    translation = imported_page("post", 4)
    assert source.locale.language_code == "en"
    assert translation.locale.language_code == "es"
    assert translation.translation_key == source.translation_key
    assert translation.title == "Rail freight history"
