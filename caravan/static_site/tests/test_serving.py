"""The embedded fast path (caravan.wsgi) and what a signed-in editor gets."""

import brotli
import pytest

from caravan.news.models import NewsIndexPage
from caravan.static_site.models import PublicFile
from caravan.static_site.serve import PublicFiles, accepted_encodings, wrap


def django_app(environ, start_response):
    """Stands for Django behind the fast path."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-From", "django")])
    return [b"from django"]


def call(app, path, method="GET", query="", scheme="http", **headers):
    headers.setdefault("host", "testserver")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path.encode().decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "wsgi.url_scheme": scheme,
        **{f"HTTP_{k.upper()}": v for k, v in headers.items() if v is not None},
    }
    answer = {}

    def start_response(status, response_headers):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)

    answer["body"] = b"".join(app(environ, start_response))
    return answer


@pytest.fixture
def fast(built, public_dir):
    return PublicFiles(
        django_app,
        public_dir,
        skip_prefixes=["/admin/"],
        languages=["en"],
        allowed_hosts=["testserver"],
    )


def test_the_fast_path_sends_the_variant_the_client_accepts(built, public_dir, fast):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    plain = (public_dir / PublicFile.objects.get(url=news.url).path).read_bytes()

    answer = call(fast, news.url, accept_encoding="gzip, deflate, br")
    assert answer["headers"]["Content-Encoding"] == "br"
    assert brotli.decompress(answer["body"]) == plain
    assert answer["headers"]["Vary"] == "Accept-Encoding"
    assert answer["headers"]["Content-Type"] == "text/html; charset=utf-8"
    assert answer["headers"]["Content-Language"] == "en"
    assert "frame-ancestors 'none'" in answer["headers"]["Content-Security-Policy"]

    assert call(fast, news.url, accept_encoding="gzip, br;q=0")["headers"]["Content-Encoding"] == (
        "gzip"
    )
    answer = call(fast, news.url)
    assert answer["body"] == plain and "Content-Encoding" not in answer["headers"]
    assert int(answer["headers"]["Content-Length"]) == len(plain)

    feed = call(fast, news.url + "feed/atom/")
    assert feed["headers"]["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert call(fast, news.url, method="HEAD")["body"] == b""


@pytest.mark.parametrize(
    ("path", "method", "query"),
    [
        ("/en/news/", "POST", ""),  # a form sent to a page
        ("/en/news/", "GET", "page=2"),  # a query string: search, filters, ?page=abc
        ("/en/news/", "GET", "utm_source=mail&page=2"),  # tracking and something else
        ("/en/no-such-page/", "GET", ""),  # no file: Django answers (404)
        ("/admin/", "GET", ""),
        ("/en/../../etc/passwd", "GET", ""),
        ("/en/news", "GET", ""),  # Django redirects to the address with the slash
    ],
)
def test_everything_else_goes_to_django(fast, path, method, query):
    assert call(fast, path, method, query)["headers"].get("X-From") == "django"


def test_a_campaign_link_gets_the_file(built, public_dir, fast):
    """Ad platforms and newsletters add tracking parameters to links; the page is the same
    (the inquiry dialog's script reads the campaign tags in the browser)."""
    news = NewsIndexPage.objects.get(locale__language_code="en")
    plain = (public_dir / PublicFile.objects.get(url=news.url).path).read_bytes()
    for query in ("utm_source=newsletter&utm_medium=email", "gclid=Cj0KCQ", "srsltid=AfmB"):
        answer = call(fast, news.url, query=query)
        assert answer["headers"].get("X-From") is None, query
        assert answer["body"] == plain, query


def test_the_fast_path_never_answers_the_admin_or_the_inquiry_endpoint(built, public_dir, settings):
    # Files at those addresses (left by a mistaken build, or planted) are never sent.
    protected = [f"/{settings.CARAVAN_ADMIN_PATH}/", "/en/inquiry/", "/ru/inquiry/"]
    for path in protected:
        (public_dir / path.strip("/")).mkdir(parents=True, exist_ok=True)
        (public_dir / path.strip("/") / "index.html").write_text("<p>a stale copy</p>")
    app = wrap(django_app)
    for path in protected:
        answer = call(app, path)
        assert answer["headers"].get("X-From") == "django", path
        assert answer["body"] == b"from django", path
    assert call(app, "/en/news/")["headers"].get("X-From") is None  # served from the file


def test_accept_encoding_parsing():
    assert accepted_encodings("gzip;q=1.0, br;q=0, *;q=0.1") == {"gzip", "*"}
    assert accepted_encodings("BR") == {"br"}


def test_a_signed_in_editor_and_a_visitor_get_the_same_public_bytes(
    built, public_dir, anon_client, admin_client
):
    client = admin_client
    news = NewsIndexPage.objects.get(locale__language_code="en")
    for url in ("/en/", news.url, news.get_children().live().first().url, "/en/products/"):
        from_file = (public_dir / PublicFile.objects.get(url=url).path).read_bytes()
        # Django itself, asked by each of them (no file involved) ...
        assert client.get(url).content == anon_client.get(url).content == from_file, url
        # ... and the fast path, whatever cookie comes along.
        app = wrap(django_app)
        session = client.cookies["sessionid"].value
        assert call(app, url, cookie=f"sessionid={session}")["body"] == from_file


PRODUCTION = {
    "DEBUG": False,
    "ALLOWED_HOSTS": ["www.example.com", ".example.org"],
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}


def test_the_fast_path_answers_only_the_site_s_hosts(built, settings):
    """Another Host header is Django's to refuse (400), as it would be without files."""
    for name, value in {**PRODUCTION, "SECURE_SSL_REDIRECT": False}.items():
        setattr(settings, name, value)
    app = wrap(django_app)
    for host in ("www.example.com", "www.example.com:443", "WWW.example.com.", "shop.example.org"):
        assert call(app, "/en/news/", host=host)["headers"].get("X-From") is None, host
    for host in ("evil.example", "www.example.com.evil.example", "www.example.com@evil", ""):
        assert call(app, "/en/news/", host=host)["headers"].get("X-From") == "django", host
    # Without a Host header, the server's name (PEP 3333), as Django reads it.
    assert call(app, "/en/news/", host=None)["headers"].get("X-From") == "django"


def test_the_fast_path_answers_only_secure_requests_when_https_is_required(built, settings):
    """A plain-HTTP request is Django's to redirect to https."""
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    app = wrap(django_app)

    def source(**headers):
        return call(app, "/en/news/", host="www.example.com", **headers)["headers"].get("X-From")

    assert source(x_forwarded_proto="https") is None
    assert source(x_forwarded_proto="https, http") is None  # the nearest proxy's word
    assert source(x_forwarded_proto="http") == "django"
    assert source() == "django"  # no word from the proxy: the server's own scheme
    assert source(scheme="https") is None
    assert source(scheme="https", x_forwarded_proto="http") == "django"
    settings.SECURE_SSL_REDIRECT = False
    app = wrap(django_app)
    assert source() is None


def test_django_refuses_what_the_fast_path_leaves_to_it(built, settings, client):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    assert client.get("/en/news/", HTTP_HOST="evil.example").status_code == 400
    answer = client.get("/en/news/", HTTP_HOST="www.example.com")
    assert answer.status_code == 301 and answer["Location"].startswith("https://www.example.com/")


def test_the_fast_path_answers_conditional_requests_with_304(built, public_dir, fast):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    first = call(fast, news.url, accept_encoding="gzip")
    tag, modified = first["headers"]["ETag"], first["headers"]["Last-Modified"]
    stat = (public_dir / (PublicFile.objects.get(url=news.url).path + ".gz")).stat()
    assert tag == f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'  # nginx's, of the variant sent
    assert call(fast, news.url)["headers"]["ETag"] != tag  # another encoding, another tag

    for validators in (
        {"if_none_match": tag},
        {"if_none_match": f'"other", W/{tag}'},
        {"if_none_match": "*"},
        {"if_modified_since": modified},
        {"if_modified_since": "Fri, 01 Jan 2100 00:00:00 GMT"},
    ):
        for method in ("GET", "HEAD"):
            answer = call(fast, news.url, method=method, accept_encoding="gzip", **validators)
            assert answer["status"] == 304, validators
            assert answer["body"] == b""
            assert answer["headers"]["ETag"] == tag
            assert "Content-Length" not in answer["headers"]

    for validators in (
        {"if_none_match": '"0-0"'},
        # An ETag that does not match decides, whatever the date says.
        {"if_none_match": '"0-0"', "if_modified_since": modified},
        {"if_modified_since": "Thu, 01 Jan 1970 00:00:01 GMT"},
        {"if_modified_since": "not a date"},
    ):
        answer = call(fast, news.url, accept_encoding="gzip", **validators)
        assert answer["status"] == 200, validators
        assert len(answer["body"]) == int(answer["headers"]["Content-Length"]) == stat.st_size

    head = call(fast, news.url, method="HEAD", accept_encoding="gzip")
    assert head["status"] == 200 and head["body"] == b""
    assert head["headers"]["Content-Length"] == str(stat.st_size)
    assert head["headers"]["ETag"] == tag


def test_a_changed_file_gets_a_new_etag_even_within_the_same_second(tmp_path):
    from caravan.static_site import files

    target = tmp_path / "en/page/index.html"
    seen = []
    for body in (b"<p>one</p>", b"<p>two</p>", b"<p>six</p>"):  # same size, same second
        assert files.write(tmp_path, "en/page/index.html", body)
        seen.append((files.etag(target.stat()), int(target.stat().st_mtime)))
    assert len({tag for tag, _ in seen}) == 3
    assert [mtime for _, mtime in seen] == sorted({mtime for _, mtime in seen})
    assert files.write(tmp_path, "en/page/index.html", b"<p>six</p>") is False  # unchanged
    assert files.etag(target.stat()) == seen[-1][0]


def test_public_pages_tell_caches_how_long_to_keep_them(built, fast, client):
    from caravan.static_site import caching

    news = NewsIndexPage.objects.get(locale__language_code="en")
    control = call(fast, news.url)["headers"]["Cache-Control"]
    assert control == caching.PUBLIC_PAGE
    assert "s-maxage=86400" in control and "stale-while-revalidate" in control
    assert "max-age=60," in control
    # The same page rendered by Django (no file, or the fast path off) says the same.
    assert client.get(news.url)["Cache-Control"] == caching.PUBLIC_PAGE
    assert client.get(news.url + "?page=2")["Cache-Control"] == caching.PUBLIC_QUERY


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/en/inquiry/"),
        ("GET", "/en/inquiry/token/"),
        ("GET", "/en/search/?q=valve"),
        ("GET", "/en/search/"),
        ("GET", "/admin/login/"),
        ("GET", "/en/no-such-page/"),
        ("POST", "/en/news/"),
    ],
)
def test_dynamic_answers_are_private_and_never_stored(built, client, method, path):
    response = getattr(client, method.lower())(path)
    control = response["Cache-Control"]
    assert "private" in control and "no-store" in control
    assert "public" not in control and "s-maxage" not in control


def test_dynamic_pages_for_a_signed_in_editor_are_private(built, admin_client):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    control = admin_client.get(news.url)["Cache-Control"]
    assert "private" in control and "no-store" in control
