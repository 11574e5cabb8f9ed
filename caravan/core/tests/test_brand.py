"""The company's colours, font and logo as a buyer's browser receives them, and the
contrast check an editor meets when saving the company profile."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from caravan.core import brand
from caravan.testing.factories import make_document, make_image

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_contrast_ratios_are_those_of_wcag():
    assert brand.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert brand.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert brand.contrast("#0b5c8c", "#ffffff") >= 4.5  # the defaults pass


def test_every_page_links_the_brand_stylesheet_with_the_saved_colours(client, company):
    company.primary_colour = "#1a4d2e"
    company.accent_colour = "#7a1f5c"
    company.save()
    for path in ("/en/", "/ar/contact/", "/en/inquiry/"):
        links = [link["href"] for link in soup(client.get(path)).select("link[rel=stylesheet]")]
        assert links[-1] == "/brand.css", path  # after the site's own, so it wins
    css = client.get("/brand.css")
    assert css["Content-Type"].startswith("text/css")
    assert not css.cookies
    text = css.content.decode()
    assert "--brand:#1a4d2e;" in text
    assert "--accent:#7a1f5c;" in text
    assert "--on-brand:#ffffff;" in text


def test_a_colour_pair_without_enough_contrast_is_refused_with_its_ratio(company):
    company.accent_colour = "#f4b400"  # yellow under white text
    with pytest.raises(ValidationError) as refused:
        company.full_clean()
    message = " ".join(refused.value.message_dict["accent_colour"])
    assert "text on the accent colour" in message
    assert "1.8" in message and "4.5:1" in message
    company.accent_colour = "#b34700"
    company.full_clean()  # the default passes


def test_a_colour_that_is_not_one_is_refused(company):
    company.primary_colour = "blue"
    with pytest.raises(ValidationError) as refused:
        company.full_clean()
    assert "six hexadecimal digits" in " ".join(refused.value.message_dict["primary_colour"])


def test_the_company_font_reaches_the_pages_and_must_be_woff2(client, company):
    company.font = make_document("Brand font", "brand.woff2", data=b"wOF2" + b"\0" * 60)
    company.full_clean()
    company.save()
    text = client.get("/brand.css").content.decode()
    assert "@font-face" in text and company.font.url in text and 'format("woff2")' in text
    assert '--font:"Caravan brand",' in text
    company.font = make_document("Not a font", "brand.pdf")
    with pytest.raises(ValidationError) as refused:
        company.full_clean()
    assert "WOFF2" in " ".join(refused.value.message_dict["font"])


def test_the_logo_is_sharp_on_high_density_screens(client, company):
    company.logo = make_image("Logo", size=(300, 200))
    company.save()
    logo = soup(client.get("/en/")).select_one("header img.brand__logo")
    one, two = [candidate.split() for candidate in logo["srcset"].split(", ")]
    assert one[1] == "1x" and two[1] == "2x"
    assert logo["src"] == one[0] and logo["height"] == "48"
    assert ".height-96." in two[0]
    company.logo = make_image("Tiny logo", size=(40, 30))  # no 2x to be had
    company.save()
    logo = soup(client.get("/en/")).select_one("header img.brand__logo")
    assert not logo.has_attr("srcset")
