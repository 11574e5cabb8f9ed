"""What the browser tests and bench/weight.py share: finding Chromium, serving the site
the way `make run` does, axe-core, and measuring what a page loads.

Nothing here imports Django settings at module level, so bench/weight.py can use it
against any running site."""

import json
import os
import secrets
import sqlite3
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .services import REQUIRE_BROWSER_ENV

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CARAVAN_CHROMIUM", "/usr/bin/chromium")
CACHE = ROOT / ".cache"  # git-ignored: collected static files, axe-core
SCREENSHOTS = ROOT / "test-output" / "screenshots"  # git-ignored
AXE_VERSION = "4.14.1"
AXE_TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz"
AXE_INTEGRITY = (  # `npm view axe-core@4.14.1 dist.integrity`
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)
AXE_FILE = CACHE / "axe" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
ENABLE_HINT = (
    f"install Chromium (apt-get install chromium fonts-noto-core fonts-noto-cjk) or point "
    f"CARAVAN_CHROMIUM at one; {REQUIRE_BROWSER_ENV}=1 makes a missing browser an error"
)

MOBILE = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "has_touch": True,
    "is_mobile": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def browser_problem():
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (`make test` installs the dev dependencies)"
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM}"
    return None


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])


@contextmanager
def chromium():
    """Chromium driven by Playwright, for a test fixture: without one the test is skipped
    with one line, or fails under CARAVAN_REQUIRE_BROWSER=1 (the suite's one rule)."""
    from .services import skip_or_fail

    problem = browser_problem()
    if problem:
        skip_or_fail(problem, REQUIRE_BROWSER_ENV)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


# The site --------------------------------------------------------------------------------


class ServedSite:
    """`manage.py runsite --prepare` (what `make run` runs: migrate, demo when the
    database is empty, collectstatic, granian) on a free port, with a SQLite file and a
    var directory of its own. Collected static files are kept in .cache/static between
    runs (prepare skips collecting when the sources did not change)."""

    def __init__(self, directory, database, media_root=None, **env):
        from .processes import clean_environment, free_port

        self.dir = Path(directory)
        self.db = Path(database)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = clean_environment(
            DJANGO_SETTINGS_MODULE="caravan.settings.base",
            DATABASE_URL=f"sqlite:///{self.db}",
            CARAVAN_VAR_DIR=self.dir,
            STATIC_ROOT=CACHE / "static",
            MEDIA_ROOT=media_root or self.dir / "media",
            SECRET_KEY=secrets.token_urlsafe(50),
            CARAVAN_BASE_URL=self.base,
            PORT=self.port,
            PYTHONUNBUFFERED="1",
            **env,
        )
        self.process = None

    def start(self, timeout=240):
        from .processes import start_server

        (CACHE / "static").mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "manage.py", "runsite", "--prepare", "--no-worker"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--threads", "4"]
        self.process = start_server(
            "runsite",
            command,
            self.env,
            self.dir,
            self.base + "/healthz",
            timeout,
            success_only=True,
        )
        return self

    def url(self, path="/"):
        return urljoin(self.base + "/", path)

    def query(self, sql, *params):
        with sqlite3.connect(self.db, timeout=20) as connection:
            connection.row_factory = sqlite3.Row
            return [dict(row) for row in connection.execute(sql, params)]

    def logs(self):
        return self.process.output() if self.process else ""

    def stop(self):
        if self.process:
            self.process.stop(grace=30)  # runsite stops granian itself


# Finding the pages a buyer visits, by following links -----------------------------------


def discover_pages(page, start_url):
    """{name: url} of the public pages under test, found from the home page by reading
    the links a visitor would follow (no hard-coded paths)."""
    page.goto(start_url)
    pages = {"home": page.url}
    nav = page.get_by_role("navigation", name="Main")

    def href(locator):
        return urljoin(page.url, locator.first.get_attribute("href"))

    pages["news list"] = href(nav.get_by_role("link", name="News", exact=True))
    pages["product list"] = href(nav.get_by_role("link", name="Products", exact=True))
    pages["contact"] = href(nav.get_by_role("link", name="Contact", exact=True))
    pages["inquiry page"] = href(page.locator(".header-actions a", has_text="Contact supplier"))
    page.goto(pages["news list"])
    pages["news detail"] = href(page.locator("main article a[href], main .card a[href]"))
    page.goto(pages["product list"])
    pages["product detail"] = href(page.locator("main .card a[href], main article a[href]"))
    return pages


# axe-core --------------------------------------------------------------------------------


def ensure_axe():
    """The path of axe.min.js: axe-core's pinned release, fetched once from the npm
    registry into .cache/axe (git-ignored) and checked against the registry's published
    sha512; raises RuntimeError saying why it could not be."""
    if AXE_FILE.exists():
        return AXE_FILE
    import base64
    import hashlib
    import io
    import tarfile

    try:
        with urllib.request.urlopen(AXE_TARBALL, timeout=60) as response:
            tarball = response.read()
    except OSError as exc:
        raise RuntimeError(f"could not download axe-core {AXE_VERSION}: {exc}") from exc
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if digest != AXE_INTEGRITY:
        raise RuntimeError(f"{AXE_TARBALL} does not match its published sha512")
    with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
        source = archive.extractfile("package/axe.min.js").read()
    AXE_FILE.parent.mkdir(parents=True, exist_ok=True)
    partial = AXE_FILE.with_suffix(".partial")
    partial.write_bytes(source)
    partial.replace(AXE_FILE)
    return AXE_FILE


def axe_violations(page, axe_source, context="document", impacts=("serious", "critical")):
    """axe-core's violations on the page (of the given impacts), as short readable
    strings: rule, impact, help and the first offending elements."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the site's CSP (rightly) refuses
        # inline script tags, and the page is tested as served.
        page.evaluate(axe_source + "\n;undefined")
    results = page.evaluate(
        "async (context) => { const r = await axe.run(context === 'document' ? document :"
        " document.querySelector(context), {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '')"
        ".split('\\n').slice(1, 2).join(''))})); }",
        context,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: " + " | ".join(v["nodes"][:4])
        for v in results
        if v["impact"] in impacts
    ]


# Weight ----------------------------------------------------------------------------------

TEXT_TYPES = ("document", "stylesheet", "script")

# Collects layout shifts (not caused by input) from the very start of the page.
RECORD_LAYOUT_SHIFTS = """
window.__layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) {
      window.__layoutShifts.push({value: entry.value, sources: (entry.sources || []).map(
        (s) => s.node ? (s.node.outerHTML || s.node.nodeName).slice(0, 120) : '?')});
    }
  }
}).observe({type: 'layout-shift', buffered: true});
"""


def measure(browser, url, context_options=None):
    """Load `url` in a fresh browser context (empty cache) and return what it cost:
    every request (url, resource type, transferred bytes), the bytes of HTML + CSS + JS
    and of everything, layout shifts, render-blocking resources and image elements without
    width/height."""
    context = browser.new_context(**(context_options or MOBILE))
    context.add_init_script(RECORD_LAYOUT_SHIFTS)
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    # Scroll through the page so that lazy images load, as a reader's would.
    page.evaluate(
        "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
        " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 50)); }"
        " window.scrollTo(0, 0); }"
    )
    page.wait_for_load_state("networkidle")
    rows = []
    for request in requests:
        sizes = request.sizes()
        rows.append(
            {
                "url": request.url,
                "type": request.resource_type,
                "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                "body": sizes["responseBodySize"],
            }
        )
    figures = page.evaluate(
        "() => ({"
        " shifts: window.__layoutShifts,"
        " blocking: performance.getEntriesByType('resource')"
        "   .filter(e => e.renderBlockingStatus === 'blocking').map(e => e.name),"
        " unsized: [...document.images].filter(i => !i.getAttribute('width') ||"
        "   !i.getAttribute('height')).map(i => i.currentSrc || i.src),"
        "})"
    )
    context.close()
    return {
        "url": url,
        "requests": rows,
        "text_bytes": sum(r["bytes"] for r in rows if r["type"] in TEXT_TYPES),
        "total_bytes": sum(r["bytes"] for r in rows),
        "image_bytes": sum(r["bytes"] for r in rows if r["type"] == "image"),
        "cls": sum(s["value"] for s in figures["shifts"]),
        "shifts": figures["shifts"],
        "blocking": figures["blocking"],
        "unsized_images": figures["unsized"],
    }


def foreign_requests(urls, base):
    """The requests among `urls` that leave the site's own origin (data: and blob: URLs
    are in the page already)."""
    origin = urlsplit(base)[:2]
    return [
        u for u in urls if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u)[:2] != origin
    ]


def dumps(value):
    return json.dumps(value, indent=2, ensure_ascii=False)
