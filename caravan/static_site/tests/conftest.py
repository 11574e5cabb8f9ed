import pytest

from caravan.static_site import files
from caravan.static_site.build import Publisher, site_wide_urls


@pytest.fixture
def public_dir(tmp_path, settings):
    settings.CARAVAN_PUBLIC_DIR = tmp_path / "public"
    return settings.CARAVAN_PUBLIC_DIR


@pytest.fixture(scope="session")
def renditions_made(django_db_setup, django_db_blocker):
    """Every page rendered once for the session, outside the per-test transaction, so the
    image renditions it makes (AVIF encoding, slow) are kept for every test."""
    from caravan.static_site.build import targets
    from caravan.static_site.render import Renderer

    with django_db_blocker.unblock():
        renderer = Renderer()
        for url, _page_id, _page_url in targets():
            renderer.render(url)


@pytest.fixture
def built(public_dir, renditions_made, db):
    """The demo site's English pages and site-wide files rendered to files (one process;
    every language is built by test_build's first test only, to keep the suite fast)."""
    publisher = Publisher(public_dir, brotli_quality=files.BUILD_BROTLI_QUALITY)
    publisher.build(under="/en/")
    for url in site_wide_urls():
        publisher.publish(url, None)
    return publisher


@pytest.fixture
def built_everything(public_dir, renditions_made, db):
    publisher = Publisher(public_dir, brotli_quality=files.BUILD_BROTLI_QUALITY)
    publisher.build()
    return publisher


@pytest.fixture
def publishing(settings, django_capture_on_commit_callbacks):
    """Publishing re-renders files, as in production: the changes of a `with publishing():`
    block commit (on-commit callbacks run) and the refresh task runs at once."""
    settings.CARAVAN_STATIC_PUBLISH = True

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block
