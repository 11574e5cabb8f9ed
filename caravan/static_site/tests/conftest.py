import pytest

from caravan.static_site import files
from caravan.static_site.build import Publisher


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
        for url, _page_id in targets():
            renderer.render(url)


@pytest.fixture
def built(public_dir, renditions_made, db):
    """The demo site rendered to files (one process)."""
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
