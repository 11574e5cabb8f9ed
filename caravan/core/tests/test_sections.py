"""Home and landing pages built from sections: what a buyer sees of each section, in
their language, and nothing at all (no empty heading) where a section has nothing to
show."""

import json

import pytest
from bs4 import BeautifulSoup

from caravan.core.models import HomePage, LandingPage
from caravan.demo.steps import stream
from caravan.testing import publish

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def section_titles(page):
    return [h.get_text(strip=True) for h in page.select("main .section-title")]


def test_the_demo_home_shows_its_sections_in_the_editors_order(client):
    page = soup(client.get("/en/"))
    figures = [
        (item.dd.get_text(strip=True), item.dt.get_text(strip=True))
        for item in page.select(".trust-strip__item")
    ]
    assert figures[0] == ("18", "years of making valves")
    assert ("240", "people, 31 of them engineers") in figures
    assert section_titles(page) == [
        "Featured products",
        "Product categories",
        "Certificates",
        "Inside our works",
        "Markets we serve",
        "Our customers",
        "Latest news",
    ]
    assert "ISO 9001:2015" in [h.get_text() for h in page.select(".certificate__name")]
    tiles = page.select(".category-tile")
    assert tiles and tiles[0]["href"].startswith("/en/products/category/")
    assert "Kazakhstan" in [chip.get_text() for chip in page.select(".markets__list li")]
    assert page.select(".customer img")[0]["alt"] == "Nomad Line Utilities"
    assert page.select_one(".factory .video__link")["href"].startswith("https://video.example/")
    call = page.select_one(".inquiry-call")
    assert call.h2.get_text() == "Send us your drawing or your list"
    assert call.select_one("a[data-inquiry-open]")["href"].startswith("/en/inquiry")
    assert len(page.select("h1")) == 1


def test_sections_speak_the_visitors_language(client):
    page = soup(client.get("/ar/"))
    assert "كازاخستان" in [chip.get_text() for chip in page.select(".markets__list li")]
    assert "الشهادات" in section_titles(page)
    figures = [item.dt.get_text(strip=True) for item in page.select(".trust-strip__item")]
    assert "عامًا في صناعة الصمامات" in figures
    page = soup(client.get("/zh-hans/"))
    assert "哈萨克斯坦" in [chip.get_text() for chip in page.select(".markets__list li")]


def landing(home, body, title="Valves for Kazakhstan"):
    return publish(home, LandingPage(title=title, slug="kazakhstan", body=json.dumps(body)))


def test_sections_with_nothing_to_show_leave_no_heading(client, home):
    from caravan.products.models import Certificate

    Certificate.objects.all().delete()
    body = json.loads(
        stream(
            ("certificates", {"title": "Our certificates", "show": "all", "certificates": []}),
            ("markets", {"title": "Where we sell", "text": "", "places": []}),
            ("customers", {"title": "Who buys from us", "customers": []}),
            ("products", {"title": "Picked for you", "products": []}),
            ("factory", {"title": "Our works", "text": "", "image": None, "video_url": ""}),
            ("trust_strip", {"figures": []}),
        )
    )
    page = soup(client.get(landing(home, body).url))
    assert page.h1.get_text() == "Valves for Kazakhstan"
    main = page.select_one("main")
    assert [h.get_text() for h in main.select("h2")] == []
    assert not main.select(".trust-strip")


def test_a_landing_page_uses_the_same_sections(client, home):
    body = json.loads(
        stream(
            ("hero", {"heading": "Valves for Kazakhstan's heat networks", "text": "By rail."}),
            ("markets", {"title": "", "text": "", "places": ["KZ", "143"]}),
            ("news", {"title": "From the works", "count": 2}),
        )
    )
    page = soup(client.get(landing(home, body).url))
    assert [h.get_text() for h in page.select("h1")] == ["Valves for Kazakhstan's heat networks"]
    assert [chip.get_text() for chip in page.select(".markets__list li")] == [
        "Kazakhstan",
        "Central Asia",
    ]
    assert "From the works" in section_titles(page)
    assert len(page.select(".latest-news .news-list > *")) == 2


def test_a_home_page_without_sections_shows_its_hero_featured_products_and_news(client):
    home = HomePage.objects.get(locale__language_code="en")
    home.body = []
    home.save_revision().publish()
    page = soup(client.get("/en/"))
    assert page.h1.get_text() == home.hero_heading
    assert page.select("section.featured-products .card")
    assert page.select("section.latest-news .news-list > *")
    assert not page.select(".trust-strip")


def test_a_hero_section_takes_the_place_of_the_hero_fields(client):
    home = HomePage.objects.get(locale__language_code="en")
    home.body = json.dumps(
        [{"type": "hero", "value": {"heading": "Made in Xi'an, tested one by one"}}]
        + json.loads(json.dumps(home.body.get_prep_value()))
    )
    home.save_revision().publish()
    page = soup(client.get("/en/"))
    assert [h.get_text() for h in page.select("h1")] == ["Made in Xi'an, tested one by one"]


def test_every_section_describes_itself_in_the_block_picker():
    from caravan.core.blocks import SectionsStreamBlock, StandardStreamBlock

    for block in [
        *SectionsStreamBlock().child_blocks.values(),
        StandardStreamBlock().child_blocks["certificates"],
    ]:
        assert block.meta.icon and block.meta.template and block.meta.description, block.name
        assert block.meta.preview_value is not None, block.name


def test_a_markets_section_reads_its_places_without_walking_every_territory(monkeypatch):
    """A stored place is a code; reading one does not go through the list of about 300
    territories (Wagtail's choice blocks rebuild and search it for every value), while
    an editor still cannot save a code that names no territory."""
    from django import forms
    from django.core.exceptions import ValidationError

    from caravan.core.blocks import MarketsBlock

    block = MarketsBlock()
    place = block.child_blocks["places"].child_block
    with pytest.raises(ValidationError):
        place.clean("XX")
    assert place.clean("KZ") == "KZ"

    def no_list(field):
        raise AssertionError("the list of territories was read")

    monkeypatch.setattr(forms.ChoiceField, "choices", property(no_list))
    value = block.to_python({"title": "", "text": "", "places": ["KZ", "143"]})
    assert list(value["places"]) == ["KZ", "143"]


def test_the_next_preview_renders_again_only_the_sections_the_draft_changed(home, keeping):
    """The admin's preview panel renders the page after each pause in typing: sections
    whose value is unchanged are reused, the edited one shows its new value."""
    from django.test.signals import template_rendered

    from caravan.testing import preview

    page = landing(
        home,
        json.loads(
            stream(
                ("trust_strip", {"figures": [{"number": "18", "label": "years"}]}),
                ("markets", {"title": "Where we sell", "text": "", "places": ["KZ"]}),
            )
        ),
    )
    preview(page)
    edited = page.body.get_prep_value()  # as the editor's form posts it back
    edited[1]["value"]["places"] = [{**edited[1]["value"]["places"][0], "value": "UZ"}]
    page.body = edited
    rendered = []

    def note(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(note)
    try:
        shown = soup(preview(page))
    finally:
        template_rendered.disconnect(note)
    assert [chip.get_text() for chip in shown.select(".markets__list li")] == ["Uzbekistan"]
    assert "blocks/markets_block.html" in rendered
    assert "blocks/trust_strip_block.html" not in rendered
    assert shown.select_one(".trust-strip__item dd").get_text(strip=True) == "18"
