"""The fast path on granian's RSGI interface (caravan/rsgi.py): the same answers as the
WSGI fast path, the file sent by granian (response_file), everything else by Django."""

import asyncio
import io
from dataclasses import dataclass, field

import pytest

from caravan.news.models import NewsIndexPage
from caravan.static_site.models import PublicFile
from caravan.static_site.rsgi import FileWrapper, RSGIApplication, wsgi_environ
from caravan.static_site.serve import PublicFiles

from .test_serving import call


class Headers(dict):
    """granian's RSGIHeaders: lower-case names, get() and items()."""

    def __init__(self, pairs):
        super().__init__()
        self.pairs = [(k.lower(), v) for k, v in pairs]
        for k, v in self.pairs:
            self.setdefault(k, v)

    def items(self):
        return list(self.pairs)


@dataclass
class Scope:
    path: str
    method: str = "GET"
    query_string: str = ""
    scheme: str = "http"
    headers: Headers = field(default_factory=lambda: Headers([]))
    proto: str = "http"
    http_version: str = "1.1"
    server: str = "127.0.0.1:8000"
    client: str = "10.1.2.3:50000"


class Transport:
    def __init__(self, chunks):
        self.chunks = chunks

    async def send_bytes(self, data):
        self.chunks.append(data)


class Protocol:
    """Records what the application answers, as granian would send it."""

    def __init__(self, body=b""):
        self.body = body
        self.kind = self.status = self.file = None
        self.headers = {}
        self.chunks = []

    async def __call__(self):
        return self.body

    def _answer(self, kind, status, headers):
        self.kind, self.status, self.headers = kind, status, dict(headers)

    def response_file(self, status, headers, file):
        self._answer("file", status, headers)
        self.file = file
        with open(file, "rb") as source:
            self.chunks = [source.read()]

    def response_empty(self, status, headers):
        self._answer("empty", status, headers)

    def response_bytes(self, status, headers, body):
        self._answer("bytes", status, headers)
        self.chunks = [body]

    def response_stream(self, status, headers):
        self._answer("stream", status, headers)
        return Transport(self.chunks)


def rsgi_call(app, path, method="GET", query="", scheme="http", body=b"", **headers):
    headers.setdefault("host", "testserver")
    scope = Scope(
        path=path,
        method=method,
        query_string=query,
        scheme=scheme,
        headers=Headers([(k.replace("_", "-"), v) for k, v in headers.items() if v]),
    )
    protocol = Protocol(body)
    asyncio.run(app(scope, protocol))
    return protocol


def django_app(environ, start_response):
    """Stands for Django: echoes what it was given."""
    body = environ["wsgi.input"].read()
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-From", "django")])
    return [f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']} ".encode(), body]


@pytest.fixture
def files(built, public_dir):
    return PublicFiles(
        django_app,
        public_dir,
        skip_prefixes=["/admin/"],
        languages=["en"],
        allowed_hosts=["testserver"],
    )


@pytest.fixture
def app(files):
    return RSGIApplication(django_app, files=files, threads=2)


def test_a_public_page_is_sent_by_granian_with_the_wsgi_fast_path_s_headers(app, files, public_dir):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    stored = public_dir / PublicFile.objects.get(url=news.url).path
    for accept, suffix in (("gzip, br", ".br"), ("gzip", ".gz"), ("", "")):
        sent = rsgi_call(app, news.url, accept_encoding=accept)
        assert sent.kind == "file" and sent.status == 200
        assert sent.file == str(stored) + suffix
        assert sent.chunks == [(public_dir / (str(stored) + suffix)).read_bytes()]
        assert sent.headers == call(files, news.url, accept_encoding=accept)["headers"]
        assert sent.headers["Cache-Control"].startswith("public")


def test_conditional_and_head_requests_get_no_body(app, files):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    tag = rsgi_call(app, news.url, accept_encoding="gzip").headers["ETag"]
    for validators in ({"if_none_match": tag}, {"if_none_match": f'"x", W/{tag}'}):
        for method in ("GET", "HEAD"):
            sent = rsgi_call(app, news.url, method=method, accept_encoding="gzip", **validators)
            assert (sent.kind, sent.status) == ("empty", 304)
            assert sent.headers["ETag"] == tag and "Content-Length" not in sent.headers
    stale = rsgi_call(app, news.url, accept_encoding="gzip", if_none_match='"0-0"')
    assert (stale.kind, stale.status) == ("file", 200)
    head = rsgi_call(app, news.url, method="HEAD", accept_encoding="gzip")
    assert (head.kind, head.status) == ("empty", 200)
    assert head.headers["Content-Length"] == stale.headers["Content-Length"]


@pytest.mark.parametrize(
    ("path", "method", "query", "host"),
    [
        ("/en/news/", "POST", "", "testserver"),
        ("/en/news/", "GET", "q=valves", "testserver"),
        ("/admin/", "GET", "", "testserver"),
        ("/en/no-such-page/", "GET", "", "testserver"),
        ("/en/news/", "GET", "", "evil.example"),
    ],
)
def test_everything_else_goes_to_django_with_its_body(app, path, method, query, host):
    sent = rsgi_call(app, path, method=method, query=query, body=b"name=Ann", host=host)
    assert (sent.kind, sent.status) == ("bytes", 201)
    assert sent.headers["X-From"] == "django"
    assert b"".join(sent.chunks) == f"{method} {path} name=Ann".encode()


def test_a_campaign_link_gets_the_file(app):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    assert rsgi_call(app, news.url, query="utm_source=newsletter").kind == "file"


def test_django_sees_the_request_as_a_wsgi_server_would_give_it():
    scope = Scope(
        path="/ru/новости/",
        method="POST",
        query_string="a=1&b=%20",
        scheme="https",
        headers=Headers(
            [
                ("Host", "example.com"),
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Content-Length", "3"),
                ("Cookie", "a=1"),
                ("Cookie", "b=2"),
                ("X-Forwarded-For", "1.1.1.1"),
                ("X-Forwarded-For", "2.2.2.2"),
            ]
        ),
        server="[::1]:8443",
        client="192.0.2.7:5000",
    )
    environ = wsgi_environ(scope, b"a=b")
    assert environ["PATH_INFO"] == "/ru/новости/".encode().decode("latin-1")
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("::1", "8443")
    assert environ["REMOTE_ADDR"] == "192.0.2.7"
    assert environ["wsgi.url_scheme"] == "https"
    assert environ["CONTENT_TYPE"] == "application/x-www-form-urlencoded"
    assert environ["CONTENT_LENGTH"] == "3"
    assert environ["HTTP_COOKIE"] == "a=1; b=2"
    assert environ["HTTP_X_FORWARDED_FOR"] == "1.1.1.1,2.2.2.2"
    assert environ["wsgi.input"].read() == b"a=b"


def test_a_long_answer_is_streamed_and_closed(files):
    closed = []

    class Body:
        def __iter__(self):
            yield from (b"x" * 100_000 for _ in range(5))

        def close(self):
            closed.append(True)

    def long_app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/csv")])
        return Body()

    sent = rsgi_call(RSGIApplication(long_app, threads=1), "/export.csv")
    assert (sent.kind, sent.status) == ("stream", 200)
    assert b"".join(sent.chunks) == b"x" * 500_000
    assert closed == [True]


def test_a_file_response_is_handed_to_granian(tmp_path):
    document = tmp_path / "sheet.pdf"
    document.write_bytes(b"%PDF-1.7 datasheet")
    closed = []

    def download(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/pdf")])
        source = open(document, "rb")  # noqa: SIM115 (closed through the wrapper)
        original = source.close
        source.close = lambda: (closed.append(True), original())
        return environ["wsgi.file_wrapper"](source, 8192)

    sent = rsgi_call(RSGIApplication(download, threads=1), "/documents/1/sheet.pdf")
    assert (sent.kind, sent.file) == ("file", str(document))
    assert sent.chunks == [b"%PDF-1.7 datasheet"]
    assert closed == [True]
    # A file-like object without a path on disk is read in blocks.
    assert list(FileWrapper(io.BytesIO(b"abc"), 2)) == [b"ab", b"c"]
