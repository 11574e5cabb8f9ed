"""Static files served by Django (WhiteNoise, caravan/static_site/caching.py) when no web
server sends them: the collected tree is read once per process, not each time Wagtail
builds the middleware anew for a preview."""

from pathlib import Path

import pytest
import whitenoise.base
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from caravan.static_site.caching import StaticFilesMiddleware


@pytest.fixture
def collected(tmp_path):
    """A collected static tree of its own, read without autorefresh (as in production)."""
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.0123456789ab.css").write_text("body{color:#123}")
    with override_settings(
        STATIC_ROOT=str(tmp_path), WHITENOISE_AUTOREFRESH=False, WHITENOISE_USE_FINDERS=False
    ):
        yield tmp_path


def test_the_static_tree_is_read_once_for_every_middleware_of_the_process(collected, monkeypatch):
    reads = []
    scan = whitenoise.base.scantree

    def counting_scan(root):
        if Path(root) == collected:  # not the folders below, read on the way
            reads.append(root)
        return scan(root)

    monkeypatch.setattr(whitenoise.base, "scantree", counting_scan)
    request = RequestFactory().get("/static/css/site.0123456789ab.css")
    answers = []
    for _ in range(3):  # the site's middleware, then two previews'
        middleware = StaticFilesMiddleware(lambda request: HttpResponse(status=404))
        response = middleware(request)
        answers.append((response.status_code, b"".join(response.streaming_content)))
    assert answers == [(200, b"body{color:#123}")] * 3
    assert len(reads) == 1
