"""The error pages speak the visitor's language and run in its direction."""

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.utils import translation

from caravan.operations.views import server_error


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "heading", "direction"),
    [("ru", "Страница не найдена", "ltr"), ("ar", "الصفحة غير موجودة", "rtl")],
)
def test_the_404_page_is_in_the_language_of_the_address(client, lang, heading, direction):
    response = client.get(f"/{lang}/no-such-page/")
    assert response.status_code == 404
    page = BeautifulSoup(response.content, "html.parser")
    assert (page.html["lang"], page.html["dir"]) == (lang, direction)
    assert page.h1.get_text(strip=True) == heading
    assert "Page not found" not in page.get_text()


@pytest.mark.parametrize(
    ("lang", "heading", "direction"),
    [("zh-hans", "我们这边出了问题", "ltr"), ("ar", "حدث خطأ من جهتنا", "rtl")],
)
def test_the_500_page_is_in_the_language_of_the_request(lang, heading, direction):
    with translation.override(lang):
        response = server_error(RequestFactory().get(f"/{lang}/"))
    assert response.status_code == 500
    page = BeautifulSoup(response.content, "html.parser")
    assert (page.html["lang"], page.html["dir"]) == (lang, direction)
    assert page.h1.get_text(strip=True) == heading
    assert "Something went wrong" not in page.get_text()
