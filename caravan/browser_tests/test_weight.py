"""The weight budget, measured by Chromium on a 375 px touch screen with an empty cache
(bench/weight.py prints the same figures for every page): a news article transfers at
most 60 KB of HTML + CSS + JS and 250 KB in all; no page shifts its layout as images
arrive; nothing from another origin can hold up the first paint."""

import pytest

from caravan.testing import browser as support

from .test_pages import PAGES

pytestmark = pytest.mark.browser

KB = 1024


@pytest.fixture(scope="module")
def weights(served_site, pages, browser):
    return {name: support.measure(browser, pages[name]) for name in PAGES}


def test_a_news_article_is_light_on_a_phone(weights):
    article = weights["news detail"]
    assert article["image_bytes"] > 0  # its pictures were loaded and counted
    assert article["text_bytes"] <= 60 * KB, support.dumps(article["requests"])
    assert article["total_bytes"] <= 250 * KB, support.dumps(article["requests"])


@pytest.mark.parametrize("name", PAGES)
def test_images_take_their_place_before_they_arrive(weights, name):
    measured = weights[name]
    assert measured["unsized_images"] == []
    assert measured["cls"] < 0.01, support.dumps(measured["shifts"])


@pytest.mark.parametrize("name", PAGES)
def test_only_the_site_itself_can_block_rendering(served_site, weights, name):
    measured = weights[name]
    assert support.foreign_requests(measured["blocking"], served_site.base) == []
    assert (
        support.foreign_requests([r["url"] for r in measured["requests"]], served_site.base) == []
    )
    # Scripts never block: they are deferred.
    assert not [u for u in measured["blocking"] if u.endswith(".js")]
