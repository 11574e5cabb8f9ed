"""A page an editor protected with a password asks for it in the site's own chrome and
in the visitor's language, and shows the page only once the password is right."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from caravan.core.models import StandardPage

pytestmark = pytest.mark.django_db


def protect(page, password="harbour-7"):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=password
    )


def test_a_protected_page_asks_for_its_password_in_the_site_chrome(client, company):
    about = StandardPage.objects.live().get(slug="about", locale__language_code="en")
    restriction = protect(about)

    answer = client.get(about.url)
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "<h1>Password required</h1>" in html
    assert company.name in html  # the header and footer of the site, not a bare form
    assert 'name="password"' in html and 'name="robots" content="noindex"' in html
    assert about.title not in html.split("<h1>")[1]  # nothing of the page itself

    action = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, about.pk])
    wrong = client.post(action, {"password": "nope", "return_url": about.url})
    assert wrong.status_code == 200 and 'class="field field--invalid"' in wrong.content.decode()
    right = client.post(action, {"password": "harbour-7", "return_url": about.url})
    assert right.status_code == 302
    assert "Password required" not in client.get(about.url).content.decode()


def test_the_password_page_speaks_the_visitors_language(client, company):
    about = StandardPage.objects.live().get(slug="about", locale__language_code="ru")
    protect(about)
    html = client.get(about.url).content.decode()
    assert "<h1>Требуется пароль</h1>" in html
    assert "Продолжить" in html and 'lang="ru"' in html
    assert company.name in html
