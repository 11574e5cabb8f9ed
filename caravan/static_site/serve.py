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
(caching.PUBLIC_PAGE).

Each worker keeps what it worked out for a file (FileCache): its response headers and,
for a small file, its bytes, under the file's version (inode, modification time in
nanoseconds and size, from the one `os.stat` that finds the file). A request for a file
already seen costs that stat and a dictionary look-up; a republished file has a new
version and is read again, a removed one is not found and goes to Django. Larger files
are read per request, or handed to the server's `wsgi.file_wrapper` where it has one."""

import json
import os
import stat as stat_module
import threading
import time
from pathlib import Path

from django.http.request import split_domain_port, validate_host
from django.utils.http import http_date, parse_http_date_safe

from caravan.core.querystrings import ignorable

from .caching import PUBLIC_PAGE
from .files import CONTENT_TYPES, INDEX_NAMES, etag

HEADERS_FILE = ".headers.json"
INDEXES = tuple(dict.fromkeys(INDEX_NAMES.values()))
INDEX_TYPES = tuple(
    (name, CONTENT_TYPES[os.path.splitext(name)[1]])
    for name in INDEXES
    if os.path.splitext(name)[1] in CONTENT_TYPES
)
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
STATUS_LINES = {200: "200 OK", 304: "304 Not Modified"}

# Per worker: the bytes of files up to SMALL_FILE are kept, up to CACHE_BYTES in all,
# and what is known of at most CACHE_FILES files; the oldest go first.
SMALL_FILE = 256 * 1024
CACHE_BYTES = 16 * 1024 * 1024
CACHE_FILES = 4096
# Header values seen (Host, Accept-Encoding) whose meaning is remembered, per worker.
REMEMBERED_VALUES = 256


def version(stat):
    """What tells one content of a path from the next: the renderer replaces a file by
    renaming a new one over it (a new inode, a later modification time)."""
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


class Entry:
    """What the fast path answers for one file at one version."""

    __slots__ = ("body", "common", "headers_200", "headers_304", "mtime", "size", "tag", "version")

    def __init__(self, stat, common, headers_304, headers_200, body):
        self.common = common  # the .headers.json headers these were made with
        self.version = version(stat)
        self.tag = etag(stat)
        self.mtime = int(stat.st_mtime)
        self.size = stat.st_size
        self.headers_304 = headers_304
        self.headers_200 = headers_200
        self.body = body


class FileCache:
    """Entries by file path, bounded in number and in the bytes kept (oldest out)."""

    def __init__(self, max_files=CACHE_FILES, max_bytes=CACHE_BYTES):
        self.max_files = max_files
        self.max_bytes = max_bytes
        self.entries = {}
        self.bytes = 0
        self.lock = threading.Lock()

    def get(self, path, stat):
        entry = self.entries.get(path)
        if entry is not None and entry.version == version(stat):
            return entry
        return None

    def put(self, path, entry):
        with self.lock:
            old = self.entries.pop(path, None)
            if old is not None and old.body is not None:
                self.bytes -= len(old.body)
            size = len(entry.body) if entry.body is not None else 0
            while self.entries and (
                len(self.entries) >= self.max_files or self.bytes + size > self.max_bytes
            ):
                _path, oldest = self._pop_oldest()
                if oldest.body is not None:
                    self.bytes -= len(oldest.body)
            self.entries[path] = entry
            self.bytes += size

    def _pop_oldest(self):
        path = next(iter(self.entries))
        return path, self.entries.pop(path)

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.bytes = 0


def remembered(cache, key, compute):
    """`compute(key)`, kept in `cache` (a dict, emptied when it reaches
    REMEMBERED_VALUES, so odd header values cannot grow it)."""
    try:
        return cache[key]
    except KeyError:
        pass
    if len(cache) >= REMEMBERED_VALUES:
        cache.clear()
    value = cache[key] = compute(key)
    return value


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
    if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if not if_modified_since:
        return False
    since = parse_http_date_safe(if_modified_since)
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


def codings(header):
    """The variants to look for, best first, for an Accept-Encoding header."""
    accepted = accepted_encodings(header) if header else set()
    return tuple((coding, suffix) for coding, suffix in ENCODINGS if coding in accepted)


def regular_file(path):
    """The stat of `path` when it is a regular file, else None."""
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return None
    return stat if stat_module.S_ISREG(stat.st_mode) else None


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
        self.files = FileCache()
        self._codings = {}
        self._hosts = {}

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
        found = self.locate(path_info, accept_encoding)
        return found and found[:3]

    def locate(self, path_info, accept_encoding):
        """(file path, content type, coding or None, stat) of a request path, or None."""
        if "\x00" in path_info or "/." in path_info or not path_info.startswith("/"):
            return None
        if path_info.startswith(self.skip_prefixes):
            return None
        base = self.root + path_info
        if path_info.endswith("/"):
            candidates = [(base + name, content_type) for name, content_type in INDEX_TYPES]
        else:
            content_type = CONTENT_TYPES.get(os.path.splitext(path_info)[1])
            if content_type is None:
                return None
            candidates = [(base, content_type)]
        variants = remembered(self._codings, accept_encoding or "", codings)
        for candidate, content_type in candidates:
            for coding, suffix in variants:
                stat = regular_file(candidate + suffix)
                if stat is not None:
                    return candidate + suffix, content_type, coding, stat
            stat = regular_file(candidate)
            if stat is not None:
                return candidate, content_type, None, stat
        return None

    def host_allowed(self, environ):
        """Whether Django's `request.get_host()` would accept the request's host."""
        if self.use_x_forwarded_host and "HTTP_X_FORWARDED_HOST" in environ:
            host = environ["HTTP_X_FORWARDED_HOST"]
        elif "HTTP_HOST" in environ:
            host = environ["HTTP_HOST"]
        else:  # PEP 3333; the port makes no difference here
            host = environ.get("SERVER_NAME", "")
        return remembered(self._hosts, host, self._host_allowed)

    def _host_allowed(self, host):
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
        matched = self.match(environ)
        return matched and (matched[0], matched[1][:3])

    def match(self, environ):
        """(path, (file, content type, coding, stat)) when the fast path answers the
        request, else None."""
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
            found = path_info and self.locate(path_info, environ.get("HTTP_ACCEPT_ENCODING", ""))
            if found:
                return path_info, found
        return None

    def entry(self, path_info, path, stat, content_type, coding, source=None):
        """The cache entry of a file at the version `stat` gives, made if need be (from
        `source`, the open file, when given: its bytes are the ones `stat` describes)."""
        common = self.common_headers()
        entry = self.files.get(path, stat) if path is not None else None
        if (
            entry is not None
            and entry.common is common
            and (entry.body is not None or source is None or stat.st_size > SMALL_FILE)
        ):
            return entry
        headers = [
            ("Content-Type", content_type),
            ("Vary", "Accept-Encoding"),
            ("ETag", etag(stat)),
            ("Last-Modified", http_date(int(stat.st_mtime))),
            ("Cache-Control", PUBLIC_PAGE),
            *common,
        ]
        language = path_info.split("/", 2)[1]
        if language in self.languages:
            headers.append(("Content-Language", language))
        full = [*headers, ("Content-Length", str(stat.st_size))]
        if coding:
            full.append(("Content-Encoding", coding))
        body = None
        if source is not None and stat.st_size <= SMALL_FILE:
            body = source.read()
        entry = Entry(stat, common, headers, full, body)
        if path is not None:
            self.files.put(path, entry)
        return entry

    def answer(self, environ, path_info, stat, content_type, coding, path=None):
        """(status, headers, whether a body follows) for the file whose `stat` is given
        (its headers kept for the next request when its `path` is given)."""
        entry = self.entry(path_info, path, stat, content_type, coding)
        if not_modified(environ, entry.tag, entry.mtime):
            return 304, list(entry.headers_304), False
        return 200, list(entry.headers_200), environ.get("REQUEST_METHOD") != "HEAD"

    def __call__(self, environ, start_response):
        matched = self.match(environ)
        if matched:
            path_info, (path, content_type, coding, stat) = matched
            entry, source = self.files.get(path, stat), None
            if entry is None or entry.body is None or entry.common is not self.common_headers():
                # Not seen at this version, or too large to keep: open it, and answer
                # from the open file's own stat, so headers and bytes always agree.
                entry, source = self.read(path_info, path, content_type, coding)
            if entry is not None:
                return self.respond(environ, start_response, entry, source)
        return self.app(environ, start_response)

    def read(self, path_info, path, content_type, coding):
        """(entry, open file or None) of a file not in the cache at its version: the
        entry is made from the open file's own stat, so its headers and bytes agree even
        when the file was replaced since it was found. (None, None) when it is gone."""
        try:
            source = open(path, "rb")  # noqa: SIM115 (closed by respond)
        except OSError:  # replaced or removed in between: let Django answer
            return None, None
        try:
            stat = os.fstat(source.fileno())
            entry = self.entry(path_info, path, stat, content_type, coding, source)
        except BaseException:
            source.close()
            raise
        if entry.body is not None:
            source.close()
            return entry, None
        return entry, source

    def respond(self, environ, start_response, entry, source):
        if not_modified(environ, entry.tag, entry.mtime):
            if source is not None:
                source.close()
            start_response(STATUS_LINES[304], list(entry.headers_304))
            return []
        start_response(STATUS_LINES[200], list(entry.headers_200))
        if environ.get("REQUEST_METHOD") == "HEAD":
            if source is not None:
                source.close()
            return []
        if entry.body is not None:
            return [entry.body]
        # A large file (never kept): sent by the server where it can, else read now.
        file_wrapper = environ.get("wsgi.file_wrapper")
        if file_wrapper is not None:
            return file_wrapper(source, 64 * 1024)
        with source:
            return [source.read()]


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
