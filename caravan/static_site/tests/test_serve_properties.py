"""Property-based tests (Hypothesis) of the fast path's path handling: whatever path,
method, query string or Accept-Encoding a client sends, the fast path either answers
with a file of the public tree or hands the request to Django; it never raises (a 500)
and never sends a file from outside the tree. And Django itself, behind it, answers any
path without a 5xx."""

import os
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caravan.static_site.serve import PublicFiles

SECRET = b"outside the public tree"
PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Names that matter to path handling, mixed with arbitrary text below.
SEGMENTS = [
    "",
    ".",
    "..",
    "...",
    "en",
    "about",
    "index.html",
    "index.html.br",
    "index.html.gz",
    ".headers.json",
    ".build-fingerprint",
    "secret.html",
    "public",
    "public-other",
    "%2e%2e",
    "%2F",
    "..%2f",
    "\\..\\",
    "\x00",
    "~",
    "//",
    "admin",
    "sitemap.xml",
]


def django_stub(environ, start_response):
    """Stands for Django behind the fast path."""
    start_response("404 Not Found", [("Content-Type", "text/plain"), ("X-From", "django")])
    return [b"from django"]


@pytest.fixture
def tree(tmp_path):
    """A public tree with pages and their compressed variants, and next to it files the
    fast path must never send (a secret beside the root, a sibling directory whose name
    starts like the root's)."""
    root = tmp_path / "public"
    files = {
        "en/index.html": b"<p>home</p>",
        "en/index.html.br": b"br:home",
        "en/index.html.gz": b"gz:home",
        "en/about/index.html": b"<p>about</p>",
        "sitemap.xml": b"<urlset/>",
        "robots.txt": b"User-agent: *",
        ".headers.json": b"{}",
        ".build-fingerprint": b"fingerprint",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (tmp_path / "secret.html").write_bytes(SECRET)
    (tmp_path / "public-other").mkdir()
    (tmp_path / "public-other" / "index.html").write_bytes(SECRET)
    servable = {data for name, data in files.items() if not name.startswith(".")}
    return root, servable


def fast_path(root):
    """The fast path over `root`, as caravan.wsgi configures it for host "testserver"."""
    return PublicFiles(
        django_stub, root, skip_prefixes=["/admin/"], languages=["en"], allowed_hosts=["testserver"]
    )


def paths():
    segment = st.one_of(st.sampled_from(SEGMENTS), st.text(max_size=12))
    joined = st.lists(segment, max_size=8).map("/".join)
    prefix = st.sampled_from(["/", "", "//", "/en/", "/../", "\\"])
    suffix = st.sampled_from(["", "/", "/.", "/..", "%00"])
    return st.tuples(prefix, joined, suffix).map("".join)


def call(app, raw_path, method, query, accept_encoding):
    environ = {
        "REQUEST_METHOD": method,
        # WSGI: the path's raw bytes as latin-1 text, as a server hands it over.
        "PATH_INFO": raw_path.decode("latin-1"),
        "QUERY_STRING": query,
        "HTTP_ACCEPT_ENCODING": accept_encoding,
        "HTTP_HOST": "testserver",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
    }
    answer = {}

    def start_response(status, headers):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    answer["body"] = b"".join(app(environ, start_response))
    return answer


@PROPERTY_SETTINGS
@given(
    raw_path=st.one_of(
        paths().map(lambda p: p.encode()),
        st.binary(max_size=64),
    ),
    method=st.sampled_from(["GET", "HEAD", "POST", "get", "OPTIONS", ""]),
    query=st.one_of(st.just(""), st.sampled_from(["utm_source=x", "a=1"]), st.text(max_size=20)),
    accept_encoding=st.one_of(
        st.sampled_from(["", "br", "gzip", "br;q=0, gzip", "*"]), st.text(max_size=20)
    ),
)
def test_any_request_gets_a_file_of_the_tree_or_goes_to_django(
    tree, raw_path, method, query, accept_encoding
):
    root, servable = tree
    answer = call(fast_path(root), raw_path, method, query, accept_encoding)
    if answer["headers"].get("X-From") == "django":
        return
    assert answer["status"] == 200
    assert method in ("GET", "HEAD")
    body = answer["body"]
    assert SECRET not in body
    if method == "GET":
        assert body in servable, (raw_path, body)


def test_the_tree_is_served_at_all(tree):
    """The property above is not vacuous: the fast path does answer from the tree."""
    root, _servable = tree
    app = fast_path(root)
    assert call(app, b"/en/about/", "GET", "", "")["body"] == b"<p>about</p>"
    assert call(app, b"/en/", "GET", "", "br")["body"] == b"br:home"
    assert os.path.exists(root.parent / "secret.html")


@pytest.mark.django_db
@settings(PROPERTY_SETTINGS, max_examples=100)  # each example renders a page or a 404
@given(
    raw_path=st.one_of(
        paths().map(lambda p: p.encode()),
        st.binary(max_size=48),
    ),
    query=st.one_of(
        st.just(""),
        st.sampled_from(["page=abc", "page=-1", "page=99999999999", "q=%00", "p=2"]),
        st.text(max_size=30),
    ),
)
def test_django_answers_any_public_path_without_a_server_error(client, home, raw_path, query):
    path = "/" + quote_from_bytes(raw_path.lstrip(b"/"), safe="/")
    response = client.get(f"{path}?{quote_from_bytes(query.encode(), safe='=&')}")
    assert response.status_code < 500, (raw_path, query)
