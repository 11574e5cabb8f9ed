"""An editor can open and save what the foundation gives them in the Wagtail admin."""

import pytest
from wagtail.models import Page, Site

from caravan.core.models import CompanyProfile, ContactPage, HomePage, StandardPage

pytestmark = pytest.mark.django_db


def test_dashboard_and_page_editors_open(admin_client):
    assert admin_client.get("/admin/").status_code == 200
    for model in (HomePage, StandardPage, ContactPage):
        page = model.objects.first()
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, model


def test_company_profile_settings_open_and_save(admin_client):
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/core/companyprofile/{site.pk}/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b"Sales e-mail addresses" in response.content


def test_editor_can_add_a_standard_page_under_home(admin_client, client):
    home = HomePage.objects.get(locale__language_code="en")
    response = admin_client.get(f"/admin/pages/add/core/standardpage/{home.pk}/")
    assert response.status_code == 200
    response = admin_client.post(
        f"/admin/pages/add/core/standardpage/{home.pk}/",
        {
            "title": "Terms of sale",
            "slug": "terms",
            "introduction": "How we quote and ship.",
            "body-count": "0",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    page = Page.objects.get(slug="terms", locale__language_code="en")
    assert page.live
    assert client.get("/en/terms/").status_code == 200
    # The other languages' trees follow at once: the new page stands in for its
    # translations (the English text in each language's frame) until they are written.
    stand_ins = Page.objects.filter(alias_of=page)
    assert sorted(stand_ins.values_list("locale__language_code", flat=True)) == [
        "ar",
        "es",
        "ru",
        "zh-hans",
    ]
    assert client.get("/ar/terms/").status_code == 200


def test_company_profile_is_not_created_by_reading_a_page(client):
    CompanyProfile.objects.all().delete()
    assert client.get("/en/about/").status_code == 200
    assert not CompanyProfile.objects.exists()
