"""The embedded fast path: a WSGI wrapper that answers GET and HEAD of a public address
from the rendered file tree before Django is entered, and hands everything else to
Django (a query string other than tracking parameters, caravan/core/querystrings.py;
another method; the admin; the inquiry endpoint; an address with no file; a host that
ALLOWED_HOSTS does not name, which Django answers 400; a plain-HTTP request when
SECURE_SSL_REDIRECT is on, which Django redirects to https).

It sends the brotli or gzip variant the client accepts, with Vary: Accept-Encoding, the
type the file name says, and the headers Django sends with public pages (recorded by the
renderer in .headers.json at the root of the tree).

Conditional requests are answered as nginx answers them from the same files: the ETag is
nginx's (the served file's modification time and size, files.etag), Last-Modified its
modification time, and a matching If-None-Match (or, without one, an If-Modified-Since
no earlier than the file) gets 304 with no body. Cache-Control is the public-page policy
(caching.PUBLIC_PAGE)."""

import json
import os
import time
from pathlib import Path

from django.http.request import split_domain_port, validate_host
from django.utils.http import http_date, parse_http_date_safe

from caravan.core.querystrings import ignorable

from .caching import PUBLIC_PAGE
from .files import CONTENT_TYPES, INDEX_NAMES, etag

HEADERS_FILE = ".headers.json"
INDEXES = tuple(dict.fromkeys(INDEX_NAMES.values()))
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
STATUS_LINES = {200: "200 OK", 304: "304 Not Modified"}


def etag_matches(header, tag):
    """Whether an If-None-Match header names `tag` (weak comparison, as RFC 9110 asks
    for If-None-Match, so W/"…" matches too) or is "*"."""
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == tag:
            return True
    return False


def not_modified(environ, tag, mtime):
    """Whether the request's validators say the client's copy is current."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return etag_matches(if_none_match, tag)
    since = parse_http_date_safe(environ.get("HTTP_IF_MODIFIED_SINCE") or "")
    return since is not None and int(mtime) <= since


def accepted_encodings(header):
    """The codings of an Accept-Encoding header that are not refused with q=0."""
    accepted = set()
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        if params.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            continue
        accepted.add(name.strip())
    return accepted


class PublicFiles:
    """Wraps a WSGI application; see the module docstring."""

    def __init__(
        self,
        app,
        root,
        skip_prefixes=(),
        languages=(),
        allowed_hosts=(),
        use_x_forwarded_host=False,
        https_only=False,
        proxy_ssl_header=None,
    ):
        """`allowed_hosts`, `use_x_forwarded_host`: Django's ALLOWED_HOSTS and
        USE_X_FORWARDED_HOST (a request for another host goes to Django); `https_only`
        (SECURE_SSL_REDIRECT): only requests that are secure, as Django decides it with
        `proxy_ssl_header` (SECURE_PROXY_SSL_HEADER) or else the WSGI scheme."""
        self.app = app
        self.root = os.fspath(root)
        self.skip_prefixes = tuple(skip_prefixes)
        self.languages = frozenset(languages)
        self.allowed_hosts = list(allowed_hosts)
        self.use_x_forwarded_host = use_x_forwarded_host
        self.https_only = https_only
        self.proxy_ssl_header = proxy_ssl_header
        self._headers = ()
        self._headers_checked = 0.0
        self._headers_mtime = None

    def common_headers(self):
        now = time.monotonic()
        if now - self._headers_checked > 1.0:
            self._headers_checked = now
            path = os.path.join(self.root, HEADERS_FILE)
            try:
                mtime = os.stat(path).st_mtime_ns
                if mtime != self._headers_mtime:
                    with open(path, encoding="utf-8") as source:
                        self._headers = tuple(json.load(source).items())
                    self._headers_mtime = mtime
            except (OSError, ValueError):
                self._headers, self._headers_mtime = (), None
        return self._headers

    def find(self, path_info, accept_encoding):
        """(file path, content type, coding or None) of a request path, or None."""
        if "\x00" in path_info or "/." in path_info or not path_info.startswith("/"):
            return None
        if path_info.startswith(self.skip_prefixes):
            return None
        base = self.root + path_info
        candidates = [base + name for name in INDEXES] if path_info.endswith("/") else [base]
        accepted = accepted_encodings(accept_encoding) if accept_encoding else set()
        for candidate in candidates:
            content_type = CONTENT_TYPES.get(os.path.splitext(candidate)[1])
            if content_type is None:
                continue
            for coding, suffix in ENCODINGS:
                if coding in accepted and os.path.isfile(candidate + suffix):
                    return candidate + suffix, content_type, coding
            if os.path.isfile(candidate):
                return candidate, content_type, None
        return None

    def host_allowed(self, environ):
        """Whether Django's `request.get_host()` would accept the request's host."""
        if self.use_x_forwarded_host and "HTTP_X_FORWARDED_HOST" in environ:
            host = environ["HTTP_X_FORWARDED_HOST"]
        elif "HTTP_HOST" in environ:
            host = environ["HTTP_HOST"]
        else:  # PEP 3333; the port makes no difference here
            host = environ.get("SERVER_NAME", "")
        domain, _port = split_domain_port(host)
        return bool(domain) and validate_host(domain, self.allowed_hosts)

    def secure(self, environ):
        """Whether Django's `request.is_secure()` would say so."""
        if self.proxy_ssl_header:
            header, secure_value = self.proxy_ssl_header
            value = environ.get(header)
            if value is not None:
                return value.split(",", 1)[0].strip() == secure_value
        return environ.get("wsgi.url_scheme") == "https"

    def lookup(self, environ):
        """(path, (file, content type, coding)) when the fast path answers the request,
        else None. `environ` is a WSGI environ or anything with its `get` and `in` (the
        RSGI entry point passes a view of its scope, rsgi.ScopeEnviron)."""
        method = environ.get("REQUEST_METHOD")
        if (
            (method == "GET" or method == "HEAD")
            and ignorable(environ.get("QUERY_STRING"))
            and self.host_allowed(environ)
            and (not self.https_only or self.secure(environ))
        ):
            # WSGI gives the path as latin-1 text of the raw bytes; file names are UTF-8.
            try:
                path_info = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
            except UnicodeError:
                return None
            found = path_info and self.find(path_info, environ.get("HTTP_ACCEPT_ENCODING", ""))
            if found:
                return path_info, found
        return None

    def answer(self, environ, path_info, stat, content_type, coding):
        """(status, headers, whether a body follows) for the file whose `stat` is given."""
        tag = etag(stat)
        headers = [
            ("Content-Type", content_type),
            ("Vary", "Accept-Encoding"),
            ("ETag", tag),
            ("Last-Modified", http_date(int(stat.st_mtime))),
            ("Cache-Control", PUBLIC_PAGE),
            *self.common_headers(),
        ]
        language = path_info.split("/", 2)[1]
        if language in self.languages:
            headers.append(("Content-Language", language))
        if not_modified(environ, tag, stat.st_mtime):
            return 304, headers, False
        headers.append(("Content-Length", str(stat.st_size)))
        if coding:
            headers.append(("Content-Encoding", coding))
        return 200, headers, environ.get("REQUEST_METHOD") != "HEAD"

    def __call__(self, environ, start_response):
        matched = self.lookup(environ)
        if matched:
            path_info, (path, content_type, coding) = matched
            try:
                source = open(path, "rb")  # noqa: SIM115 (closed below)
            except OSError:  # replaced or removed in between: let Django answer
                source = None
            if source is not None:
                with source:
                    status, headers, body = self.answer(
                        environ, path_info, os.fstat(source.fileno()), content_type, coding
                    )
                    start_response(STATUS_LINES[status], headers)
                    return [source.read()] if body else []
        return self.app(environ, start_response)


def wrap(app):
    """The Django application behind the fast path, configured from the settings."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from . import conf

    prefixes = {
        f"/{settings.CARAVAN_ADMIN_PATH}/",
        "/django-admin/",
        "/documents/",
        "/healthz",
        settings.STATIC_URL,
        settings.MEDIA_URL,
    }
    for code, _name in settings.LANGUAGES:  # the inquiry endpoint in every language
        with translation.override(code):
            prefixes.add(reverse("inquiries:inquiry"))
    allowed_hosts = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed_hosts:  # as Django's request.get_host() does
        allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]
    return PublicFiles(
        app,
        Path(conf.public_dir()),
        skip_prefixes=sorted(p for p in prefixes if p.startswith("/")),
        languages=[code for code, _name in settings.LANGUAGES],
        allowed_hosts=allowed_hosts,
        use_x_forwarded_host=settings.USE_X_FORWARDED_HOST,
        https_only=settings.SECURE_SSL_REDIRECT,
        proxy_ssl_header=settings.SECURE_PROXY_SSL_HEADER,
    )
