"""The public-page cache: what is stored, who gets it, and that every change an editor
makes is on the next request."""

import pytest
from django.test import Client, override_settings

from caravan.core.models import CompanyProfile, StandardPage
from caravan.news.models import NewsPage

pytestmark = pytest.mark.django_db

ON = override_settings(CARAVAN_PAGE_CACHE_SECONDS=600)


@pytest.fixture(autouse=True)
def page_cache():
    from django.core.cache import cache

    cache.clear()
    with ON:
        yield
    cache.clear()


def test_a_public_page_is_rendered_once_then_served_from_the_cache(client):
    article = NewsPage.objects.live().first()
    first = client.get(article.url)
    second = client.get(article.url)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first["X-Caravan-Cache"] == "miss" and second["X-Caravan-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second  # headers are still added to stored pages
    assert not second.cookies


def test_a_signed_in_editor_gets_the_same_public_bytes_and_stores_nothing(client, editor_client):
    about = StandardPage.objects.live().get(slug="about", locale__language_code="en")
    signed_in = editor_client
    # The editor's own request renders the page but does not put it in the cache…
    assert "X-Caravan-Cache" not in signed_in.get(about.url)
    anonymous = client.get(about.url)
    assert anonymous["X-Caravan-Cache"] == "miss"
    # …and once an anonymous request stored it, the editor gets exactly those bytes.
    assert signed_in.get(about.url).content == anonymous.content


def test_publishing_a_change_is_on_the_next_request(client):
    article = NewsPage.objects.live().first()
    client.get(article.url)
    assert client.get(article.url)["X-Caravan-Cache"] == "hit"

    article.title = "Brand-new headline for the cache test"
    article.save_revision()  # a draft changes nothing for visitors…
    assert b"Brand-new headline" not in client.get(article.url).content
    article.get_latest_revision().publish()  # …publishing does, at once
    fresh = client.get(article.url)
    assert fresh["X-Caravan-Cache"] == "miss"
    assert b"Brand-new headline for the cache test" in fresh.content


def test_unpublishing_removes_the_page_at_once(client):
    about = StandardPage.objects.live().get(slug="about", locale__language_code="en")
    assert client.get(about.url).status_code == 200
    about.unpublish()
    assert client.get(about.url).status_code == 404


def test_a_settings_or_snippet_change_reaches_every_stored_page(client, home):
    from caravan.core.models import CompanyText

    client.get(home.url)
    profile = CompanyProfile.objects.get()
    profile.name = "Silkline Flow Controls Renamed"
    profile.save()  # a site setting
    assert b"Silkline Flow Controls Renamed" in client.get(home.url).content

    russian = CompanyText.objects.get(locale__language_code="ru")
    client.get("/ru/")
    russian.tagline = "Новый слоган сразу в шапке"
    russian.save()  # a translatable snippet
    assert "Новый слоган сразу в шапке" in client.get("/ru/").content.decode()


def test_a_campaign_link_shares_the_stored_page(client, home):
    client.get(home.url)
    tagged = client.get(home.url + "?utm_source=newsletter&utm_campaign=autumn&gclid=abc")
    assert tagged["X-Caravan-Cache"] == "hit"
    assert tagged.content == client.get(home.url).content


@pytest.mark.parametrize(
    "path",
    ["/en/search/?q=valve", "/en/inquiry/", "/en/inquiry/?product=1", "/en/?utm_source=a&p=2"],
)
def test_search_and_the_inquiry_page_are_never_stored(client, path):
    client.get(path)
    assert "X-Caravan-Cache" not in client.get(path)


def test_the_admin_is_never_served_from_the_cache(admin_client, rf):
    from django.core.cache import cache

    from caravan.core import pagecache

    # An entry at the admin's address (as a mistake elsewhere could leave) is never
    # served there: the signed-in editor gets the live admin.
    stale = (b"<p>a stored copy of the admin</p>", [("Content-Type", "text/html")])
    cache.set(pagecache._key(rf.get("/admin/"), pagecache.generation()), stale)
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "X-Caravan-Cache" not in response
    assert b"a stored copy" not in response.content


def test_a_page_made_private_is_never_served_from_the_cache(client):
    from django.urls import reverse
    from wagtail.models import PageViewRestriction

    about = StandardPage.objects.live().get(slug="about", locale__language_code="en")
    client.get(about.url)
    assert client.get(about.url)["X-Caravan-Cache"] == "hit"

    restriction = PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    answer = client.get(about.url)
    assert "X-Caravan-Cache" not in answer
    assert b'name="password"' in answer.content and about.title.encode() not in answer.content

    # A visitor who knows the password sees the page; what they got is not kept for others.
    visitor = Client()
    visitor.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, about.pk]),
        {"password": "secret", "return_url": about.url},
    )
    for _ in range(2):
        answer = visitor.get(about.url)
        assert answer.status_code == 200 and b'name="password"' not in answer.content
        assert "X-Caravan-Cache" not in answer
    assert b'name="password"' in Client().get(about.url).content

    restriction.delete()  # public again: the next visitor gets the page
    answer = Client().get(about.url)
    assert b'name="password"' not in answer.content and answer.status_code == 200
