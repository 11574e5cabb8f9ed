"""Fixtures of the news tests: an empty news section of their own beside the demo one."""

import json

import pytest
from bs4 import BeautifulSoup

from caravan.testing import make_news_index


@pytest.fixture
def press(home):
    """An empty, published news section at /en/press-room/."""
    return make_news_index(home, per_page=3)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def json_ld(page, kind):
    """The JSON-LD object of type `kind` in a parsed page (fails if absent or twice)."""
    found = [
        data
        for data in (
            json.loads(s.string) for s in page.select("script[type='application/ld+json']")
        )
        if data.get("@type") == kind
    ]
    assert len(found) == 1, f"{len(found)} {kind} objects"
    return found[0]
