"""The fast path's per-worker cache (serve.FileCache): a file already seen is answered
without opening it, and a republished, removed or large file is never answered from a
stale copy."""

import json
import os

import pytest

from caravan.static_site import files, serve
from caravan.static_site.serve import FileCache, PublicFiles
from caravan.static_site.tests.test_serving import call, django_app


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "public"
    files.write(root, "en/page/index.html", b"<p>one</p>")
    (root / serve.HEADERS_FILE).write_text(json.dumps({"X-Frame-Options": "DENY"}))
    return root


@pytest.fixture
def app(root):
    return PublicFiles(django_app, root, languages=["en"], allowed_hosts=["testserver"])


@pytest.fixture
def opened(monkeypatch):
    """The page files the fast path opens (not the recorded headers)."""
    seen = []

    def counting_open(path, *args, **kwargs):
        if not os.fspath(path).endswith(serve.HEADERS_FILE):
            seen.append(os.fspath(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(serve, "open", counting_open, raising=False)
    return seen


def test_a_file_already_seen_is_answered_without_opening_it(app, opened):
    first = call(app, "/en/page/")
    assert first["body"] == b"<p>one</p>" and len(opened) == 1
    again = call(app, "/en/page/")
    assert again == first
    assert len(opened) == 1, "answered from the cache"
    assert again["headers"]["X-Frame-Options"] == "DENY"
    assert again["headers"]["Content-Language"] == "en"


def test_a_republished_file_is_never_served_stale(root, app, opened):
    """Same size, same second: the new bytes are served, with the tag of the new file."""
    assert call(app, "/en/page/")["body"] == b"<p>one</p>"
    for body in (b"<p>two</p>", b"<p>six</p>"):
        assert files.write(root, "en/page/index.html", body)
        answer = call(app, "/en/page/")
        assert answer["body"] == body
        stat = (root / "en/page/index.html").stat()
        assert answer["headers"]["ETag"] == files.etag(stat)
        assert answer["headers"]["Content-Length"] == str(stat.st_size)
    assert len(opened) == 3  # once per version


def test_a_removed_file_goes_to_django(root, app):
    assert call(app, "/en/page/")["body"] == b"<p>one</p>"
    (root / "en/page/index.html").unlink()
    assert call(app, "/en/page/")["headers"].get("X-From") == "django"


def test_head_and_304_from_the_cache(app, opened):
    tag = call(app, "/en/page/")["headers"]["ETag"]
    head = call(app, "/en/page/", method="HEAD")
    assert head["status"] == 200 and head["body"] == b""
    assert head["headers"]["Content-Length"] == str(len(b"<p>one</p>"))
    for method in ("GET", "HEAD"):
        answer = call(app, "/en/page/", method=method, if_none_match=tag)
        assert answer["status"] == 304 and answer["body"] == b""
        assert answer["headers"]["ETag"] == tag
        assert "Content-Length" not in answer["headers"]
    assert call(app, "/en/page/", if_none_match='"0-0"')["body"] == b"<p>one</p>"
    assert len(opened) == 1


def test_new_recorded_headers_are_sent_with_a_cached_file(root, app):
    assert call(app, "/en/page/")["headers"]["X-Frame-Options"] == "DENY"
    (root / serve.HEADERS_FILE).write_text(json.dumps({"X-Frame-Options": "SAMEORIGIN"}))
    os.utime(root / serve.HEADERS_FILE, ns=(1, 1))  # another modification time for sure
    app._headers_checked = 0.0  # the once-a-second check is due
    assert call(app, "/en/page/")["headers"]["X-Frame-Options"] == "SAMEORIGIN"


def test_a_large_file_is_not_kept_and_goes_to_the_server_s_file_wrapper(root, app, opened):
    big = b"x" * (serve.SMALL_FILE + 1)
    files.write(root, "en/big/index.html", big)
    for _ in range(2):
        assert call(app, "/en/big/")["body"] == big
    assert len(opened) == 2, "read per request, never kept"
    assert app.files.bytes == 0

    wrapped = []

    def file_wrapper(source, block_size):
        wrapped.append(source)
        return iter(lambda: source.read(block_size), b"")

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/en/big/",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.file_wrapper": file_wrapper,
    }
    assert b"".join(app(environ, lambda status, headers: None)) == big
    assert len(wrapped) == 1


def test_the_cache_is_bounded_and_drops_the_oldest(tmp_path):
    cache = FileCache(max_files=3, max_bytes=100)
    stat = tmp_path.stat()

    def entry(size):
        return serve.Entry(stat, (), [], [], b"x" * size)

    for name in "abc":
        cache.put(name, entry(30))
    assert list(cache.entries) == ["a", "b", "c"] and cache.bytes == 90
    cache.put("d", entry(30))  # too many files and too many bytes: "a" goes
    assert list(cache.entries) == ["b", "c", "d"] and cache.bytes == 90
    cache.put("e", entry(80))  # only room for it beside nothing else
    assert list(cache.entries) == ["e"] and cache.bytes == 80
    cache.put("e", entry(10))  # replaced, not counted twice
    assert cache.bytes == 10
