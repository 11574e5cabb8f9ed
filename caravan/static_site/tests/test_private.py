"""A page made private (Wagtail's Privacy action: a password, login or group restriction)
leaves the public file tree the moment the change commits, with everything below it, and
every file that showed it is rendered again; made public again, it comes back."""

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from caravan.news.models import NewsIndexPage, NewsPage
from caravan.static_site.build import Publisher, site_wide_urls
from caravan.static_site.models import PublicFile
from caravan.static_site.serve import PublicFiles

from .test_serving import call, django_app


@pytest.fixture
def fast(built, public_dir):
    return PublicFiles(django_app, public_dir, allowed_hosts=["testserver"])


def from_django(fast, url):
    return call(fast, url)["headers"].get("X-From") == "django"


def body_of(public_dir, url):
    return (public_dir / PublicFile.objects.get(url=url).path).read_bytes().decode()


def sitemap_text(public_dir):
    return "".join(
        body_of(public_dir, record.url)
        for record in PublicFile.objects.filter(page_id=None)
        if record.url.endswith(".xml")
    )


def assert_up_to_date(capsys):
    call_command("check_public", under="/en/")
    assert "up-to-date" in capsys.readouterr().out


def news_section():
    news = NewsIndexPage.objects.get(locale__language_code="en")
    article = NewsPage.objects.child_of(news).visible().newest_first().first()
    return news, article


@pytest.mark.parametrize(
    "restriction",
    [
        {"restriction_type": PageViewRestriction.PASSWORD, "password": "secret"},
        {"restriction_type": PageViewRestriction.LOGIN},
    ],
)
def test_a_page_made_private_leaves_the_public_files_with_everything_below_it(
    built, public_dir, publishing, fast, capsys, restriction
):
    news, article = news_section()
    feed = news.url + "feed/rss/"
    private = [news.url, article.url, feed]
    for url in private:
        assert not from_django(fast, url), url
    assert f'href="{news.url}"' in body_of(public_dir, "/en/")  # the menu links it
    assert article.title in body_of(public_dir, "/en/")  # the home page lists it
    assert site_wide_urls() and article.full_url in sitemap_text(public_dir)
    with publishing():
        PageViewRestriction.objects.create(page=news, **restriction)

    for url in private:
        assert from_django(fast, url), url  # only Django answers it now
        assert not PublicFile.objects.filter(url=url).exists(), url
    assert not list((public_dir / news.url.strip("/")).rglob("*"))
    home = body_of(public_dir, "/en/")  # the menu and the listings no longer show it
    assert f'href="{news.url}"' not in home
    assert article.title not in home
    for record in PublicFile.objects.exclude(page_id=None):
        assert f'href="{article.url}"' not in body_of(public_dir, record.url), record.url
    sitemap = sitemap_text(public_dir)
    assert news.full_url not in sitemap and article.full_url not in sitemap
    assert_up_to_date(capsys)

    # A whole build agrees: nothing of the section comes back.
    built.build(under="/en/")
    for url in private:
        assert from_django(fast, url), url
    assert_up_to_date(capsys)


def test_a_page_public_again_comes_back_everywhere_it_was_shown(
    built, public_dir, publishing, fast, capsys
):
    news, article = news_section()
    with publishing():
        restriction = PageViewRestriction.objects.create(
            page=news, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    assert from_django(fast, article.url)
    with publishing():
        restriction.delete()

    for url in (news.url, article.url, news.url + "feed/rss/"):
        assert not from_django(fast, url), url
    home = body_of(public_dir, "/en/")
    assert f'href="{news.url}"' in home and article.title in home
    assert f'href="{news.url}"' in body_of(public_dir, "/en/products/")  # the menu
    assert article.full_url in sitemap_text(public_dir)
    assert_up_to_date(capsys)


def test_a_private_page_is_withdrawn_even_when_publishing_renders_nothing(
    built, public_dir, publishing, fast, settings
):
    news, article = news_section()
    with publishing():
        settings.CARAVAN_STATIC_PUBLISH = False
        PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)
    assert from_django(fast, news.url) and from_django(fast, article.url)


def test_the_renderer_never_keeps_a_private_page(built, public_dir):
    news, article = news_section()
    PageViewRestriction.objects.create(
        page=news, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    publisher = Publisher(public_dir)
    for url in (news.url, article.url):
        assert not publisher.publish(url, article.pk).storable, url
        assert not PublicFile.objects.filter(url=url).exists(), url


def test_deleting_a_private_page_or_a_restriction_by_query(built, public_dir, publishing, fast):
    news, article = news_section()
    older = NewsPage.objects.child_of(news).visible().newest_first()[1]
    with publishing():
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
        PageViewRestriction.objects.create(page=older, restriction_type=PageViewRestriction.LOGIN)
    assert from_django(fast, article.url) and from_django(fast, older.url)
    with publishing():
        article.delete()  # its restriction goes with it: nothing comes back
    assert not PublicFile.objects.filter(url=article.url).exists()
    assert from_django(fast, article.url)
    with publishing():
        PageViewRestriction.objects.filter(page=older).delete()
    assert not from_django(fast, older.url)
    assert older.title in body_of(public_dir, news.url)
