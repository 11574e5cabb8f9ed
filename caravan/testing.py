"""Helpers that build objects and read pages in tests; every app's tests use these."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def phone_patterns(number):
    """Ways a phone number can be written in HTML: as typed, digits only, with +."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return {number, digits, "+" + digits, number.replace(" ", "-"), number.replace(" ", "")}


class LinkCollector(HTMLParser):
    """Collects href/src values of a page."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def internal_links(html, base_url):
    """The same-site paths a page links to (no fragments, no external hosts)."""
    parser = LinkCollector()
    parser.feed(html)
    paths = set()
    for link in parser.links:
        absolute = urljoin(base_url, link)
        parts = urlsplit(absolute)
        if parts.scheme in ("http", "https") and parts.netloc in ("", "testserver"):
            paths.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def crawl(client, start="/en/", *, skip_prefixes=None):
    """Follow every internal link from `start`; return {path: response}."""
    if skip_prefixes is None:
        from django.conf import settings

        skip_prefixes = (f"/{settings.CARAVAN_ADMIN_PATH}/", "/static/", "/media/", "/documents/")
    seen = {}
    queue = [start]
    while queue:
        path = queue.pop()
        if path in seen or path.startswith(skip_prefixes):
            continue
        response = client.get(path)
        seen[path] = response
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            html = response.content.decode()
            queue.extend(
                p for p in internal_links(html, f"http://testserver{path}") if p not in seen
            )
    return seen


# Services: tests marked `postgres` or `redis` are about the suite's own PostgreSQL
# database or Redis cache (`make test-postgres`). Elsewhere they are skipped with one
# line saying why; with CARAVAN_REQUIRE_SERVICES=1 (set by .ci/run) the skip is a failure.

REQUIRE_SERVICES_ENV = "CARAVAN_REQUIRE_SERVICES"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_problem():
    """Why the suite's database is not a reachable PostgreSQL, or None."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        return "needs the suite on PostgreSQL: run `make test-postgres` (DATABASE_URL=postgres://…)"
    return None


def redis_problem():
    """Why the suite's cache is not a reachable Redis, or None."""
    from django.conf import settings

    config = settings.CACHES["default"]
    if "redis" not in config["BACKEND"].lower():
        return "needs the suite's cache on Redis: run `make test-postgres` (CACHE_URL=redis://…)"
    import redis

    location = config["LOCATION"]
    location = location[0] if isinstance(location, list | tuple) else location
    try:
        redis.Redis.from_url(location, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis at {location} is unreachable ({exc})"
    return None


def postgres_server_url():
    """A PostgreSQL server URL (its maintenance database) for scratch databases: the
    suite's own server when it runs on PostgreSQL, else CARAVAN_TEST_POSTGRES_URL
    (default postgres://postgres@127.0.0.1:5432/postgres). Returns (url, problem)."""
    import os

    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/postgres"
    else:
        url = os.environ.get("CARAVAN_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as exc:
        return url, f"PostgreSQL at {url} is unreachable ({str(exc).strip().splitlines()[0]})"
    return url, None
