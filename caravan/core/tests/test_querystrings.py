"""Which query strings leave a public page unchanged (served from its file)."""

import pytest

from caravan.core.querystrings import ignorable


@pytest.mark.parametrize(
    "query",
    [
        "",
        "utm_source=newsletter&utm_medium=email&utm_campaign=autumn-2026",
        "utm_id=42&utm_source_platform=google",
        "gclid=Cj0KCQiA&gbraid=0AAAAA",
        "fbclid=IwAR2x",
        "msclkid=5e1b",
        "srsltid=AfmBOoq",
        "utm_source=",
        "fbclid",
        "_gl=1*abc*_ga*MTI3&_ga=2.1",
        "utm_source=a&",
    ],
)
def test_tracking_parameters_leave_the_page_as_it_is(query):
    assert ignorable(query)


@pytest.mark.parametrize(
    "query",
    [
        "q=valve",
        "page=2",
        "p=2",  # the sitemap's sections
        "utm_source=mail&page=2",
        "page=2&utm_source=mail",
        "gclidx=1",
        "utm_=1",
        "&",
        "next=/en/",
    ],
)
def test_any_other_parameter_goes_to_the_app(query):
    assert not ignorable(query)
