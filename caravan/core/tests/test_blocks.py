"""Each block of the shared StreamField body (core.blocks) renders through its own template."""

import pytest
from bs4 import BeautifulSoup

from caravan.core.blocks import BaseStreamBlock
from caravan.testing import make_image

pytestmark = pytest.mark.django_db

EXPECTED = {
    "heading": "h2.block-heading",
    "paragraph": ".rich-text p",
    "figure": "figure.figure picture img[width][height][alt]",
    "quote": "figure.quote blockquote",
    "callout": "aside.callout .callout__title",
    "timeline": ".timeline ol.timeline__list li .timeline__date",
    "table": ".table-wrap table caption",
    "video": "figure.video a.video__link",
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_block_renders_its_preview_value_through_its_template(name):
    newest = make_image("newest", alt="The newest picture")
    block = BaseStreamBlock().child_blocks[name]
    assert block.meta.template == f"blocks/{name}_block.html"
    assert block.meta.description and block.meta.icon
    value = block.get_preview_value()
    html = BeautifulSoup(block.render(value), "html.parser")
    assert html.select_one(EXPECTED[name]), html
    if name == "figure":
        assert html.img["alt"] == newest.alt


def test_every_stream_block_has_an_expectation():
    assert set(BaseStreamBlock().child_blocks) == set(EXPECTED)


def table(rows, header, first_col=False):
    block = BaseStreamBlock().child_blocks["table"]
    value = {
        "data": rows,
        "first_row_is_table_header": header,
        "first_col_is_header": first_col,
        "table_caption": "",
    }
    return BeautifulSoup(block.render(value), "html.parser")


def test_table_with_only_a_header_row_has_no_empty_body():
    html = table([["Size", "Rating"]], header=True)
    assert [th.get_text() for th in html.select("thead th")] == ["Size", "Rating"]
    assert not html.select("tbody")
    assert html.select_one(".table-wrap")["aria-label"] == "Table"


def test_table_without_header_puts_every_row_in_the_body():
    html = table([["DN50", 0], ["DN80", None]], header=False)
    assert not html.select("thead")
    assert [td.get_text() for td in html.select("tbody td")] == ["DN50", "0", "DN80", ""]


def test_video_without_poster_is_still_a_labelled_link():
    block = BaseStreamBlock().child_blocks["video"]
    value = block.to_python({"url": "https://www.youtube.com/watch?v=x", "title": "Tour"})
    html = BeautifulSoup(block.render(value), "html.parser")
    link = html.select_one("a.video__link")
    assert link["href"] == "https://www.youtube.com/watch?v=x"
    assert link.get_text(" ", strip=True) == "Tour (video on youtube.com)"
    assert not html.select("img, iframe")
