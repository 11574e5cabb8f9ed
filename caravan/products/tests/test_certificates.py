"""The trust centre: certificates on the home page, the certificates page and the
products they apply to, gone by themselves the day after their last valid day, and the
public files that showed one refreshed by the periodic job."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from caravan.core.models import ContactPage, HomePage, StandardPage
from caravan.products.jobs import announce_expired_certificates
from caravan.products.models import Certificate, ProductPage
from caravan.static_site.build import Publisher
from caravan.static_site.models import PublicFile

pytestmark = pytest.mark.django_db

CE = "CE marking (PED 2014/68/EU)"


def names(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [h.get_text(strip=True) for h in page.select(".certificate__name")]


def valve():
    return ProductPage.objects.get(locale__language_code="en", slug="resilient-seated-gate-valve")


def certificates_page(language="en"):
    return StandardPage.objects.get(locale__language_code=language, slug="certificates")


def expire(name, on):
    certificate = Certificate.objects.get(locale__language_code="en", name=name)
    Certificate.objects.filter(translation_key=certificate.translation_key).update(valid_until=on)
    return certificate


def test_a_certificate_shows_on_home_certificates_page_and_its_products(client):
    assert CE in names(client, "/en/")
    assert CE in names(client, valve().url)
    assert CE in names(client, certificates_page().url)
    page = BeautifulSoup(client.get(certificates_page().url).content, "html.parser")
    card = next(c for c in page.select(".certificate") if CE in c.get_text())
    assert "Rhein Pressure Notified Body" in card.get_text()
    assert "PED-H-0457" in card.get_text()
    assert card.select_one(".certificate__links a")["href"].endswith(".pdf")
    # In the visitor's language: the Russian version of the certificate.
    assert "Маркировка CE (PED 2014/68/EU)" in names(client, certificates_page("ru").url)


def test_a_certificate_valid_until_yesterday_is_gone_everywhere(client):
    today = timezone.localdate()
    expire(CE, today)
    assert CE in names(client, "/en/")  # its last valid day
    expire(CE, today - datetime.timedelta(days=1))
    for url in ("/en/", valve().url, certificates_page().url):
        shown = names(client, url)
        assert CE not in shown, url
        assert "ISO 9001:2015" in shown, url
    assert "Маркировка CE (PED 2014/68/EU)" not in names(client, certificates_page("ru").url)


def test_with_every_certificate_expired_the_section_is_not_shown(client):
    Certificate.objects.update(valid_until=timezone.localdate() - datetime.timedelta(days=3))
    page = BeautifulSoup(client.get("/en/").content, "html.parser")
    assert not page.select(".certificates-section")
    assert "Certificates" not in [h.get_text() for h in page.select("h2")]


def test_the_job_refreshes_the_public_files_that_showed_an_expired_certificate(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.CARAVAN_PUBLIC_DIR = tmp_path / "public"
    publisher = Publisher(settings.CARAVAN_PUBLIC_DIR)
    home = HomePage.objects.get(locale__language_code="en")
    shown = [home, valve(), certificates_page()]
    pages = [(page.url, page.pk) for page in shown]
    contact = ContactPage.objects.get(locale__language_code="en")  # shows no certificate
    for url, page_id in [*pages, (contact.url, contact.pk)]:
        publisher.publish(url, page_id)

    def file(url):
        return (settings.CARAVAN_PUBLIC_DIR / PublicFile.objects.get(url=url).path).read_bytes()

    contact_before = PublicFile.objects.get(url=contact.url).rendered_at
    expire(CE, timezone.localdate() - datetime.timedelta(days=1))
    assert all(CE.encode() in file(url) for url, _ in pages)  # nothing has told the files

    settings.CARAVAN_STATIC_PUBLISH = True
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_expired_certificates() == 5  # English and its four translations
    for url, _ in pages:
        assert CE.encode() not in file(url), url
        assert b"ISO 9001:2015" in file(url), url
    assert PublicFile.objects.get(url=contact.url).rendered_at == contact_before
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_expired_certificates() == 0  # once only


def test_a_certificate_valid_again_is_announced_again_when_it_expires():
    certificate = expire(CE, timezone.localdate() - datetime.timedelta(days=1))
    announce_expired_certificates()
    certificate.refresh_from_db()
    assert certificate.expiry_announced
    certificate.valid_until = timezone.localdate() + datetime.timedelta(days=365)
    certificate.save()
    assert not Certificate.objects.get(pk=certificate.pk).expiry_announced


def test_a_product_card_answers_the_buyers_first_questions(client):
    product = valve()
    page = BeautifulSoup(client.get("/en/products/").content, "html.parser")
    card = next(
        c
        for c in page.select(".product-card")
        if c.select_one(".card__title a")["href"] == product.url
    )
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in card.select(".card-facts dt")
    }
    assert facts["Minimum order"] == product.moq
    assert facts["Lead time"] == product.lead_time
    assert facts["Origin"] == product.place_of_origin
    name, value, unit = product.specification_rows()[0]
    assert facts[name] == f"{value} {unit}".strip()
    assert len(facts) == 5  # three facts and the first two specifications
