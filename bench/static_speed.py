"""Benchmark: how close Caravan's public pages come to the web server sending a file.
Not a test: it prints figures (never asserts). One run, one machine, `wrk` (Debian
package) as the load generator in its own process.

    # a site to measure: the demo plus 10,000 products and 10,000 articles
    export DJANGO_SETTINGS_MODULE=caravan.settings.base CARAVAN_VAR_DIR=/tmp/caravan-bench
    .venv/bin/python manage.py prepare
    .venv/bin/python manage.py generate_bulk --products 10000 --articles 10000
    .venv/bin/python bench/static_speed.py [--rebuild] [--duration 5] [--connections 32]

For home, the news list, a news detail and a product detail it measures requests/s and
p50/p99 latency through
  (a) nginx sending the same bytes from a plain file (the limit),
  (b) the production topology: deploy/nginx/caravan.conf (files, app behind),
  (c) the embedded default: granian with the fast path in caravan.wsgi, started with
      the command line `runsite` uses (runsite.granian_command) with the threads it
      starts on this machine (--threads to try others),
  (c0) with --before DIR: the same from another checkout of the code (DIR, its own
      runsite command line), to compare a change with what it replaces in one run,
  (c') the same fast path on granian's RSGI interface (caravan.rsgi), granian sending
      the file itself (`response_file`),
  (d) Wagtail rendering every request (granian, fast path and page cache off),
printed as ratios to (a): the median of --rounds runs (3), the setups taking turns
within each round so that a noisy moment on a shared machine hits all of them, and the
server's processor time per request (CPU us/req, from /proc: what other load on the
machine moves least). Every
request asks for gzip (Accept-Encoding: gzip), as browsers do. Then: the resident memory of the app servers, the publish-to-live latency of
one edit (publish a product; the task worker re-renders; poll nginx until the new title
is served), and with --rebuild the full rebuild's pages/s (`build_public`), of the site's
tree and into an empty directory (every file written and compressed anew)."""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravan.settings.base")

import django  # noqa: E402

django.setup()


from caravan.operations.management.commands.runsite import default_threads  # noqa: E402
from caravan.testing.processes import Process, free_port, wait_for_http  # noqa: E402
from caravan.testing.services import nginx_config, unverified_tls  # noqa: E402

WRK = shutil.which("wrk") or "/usr/bin/wrk"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


# The process whose processor time a setup's requests cost (the front server for b).
SERVERS = {
    "plain": "nginx-plain",
    "prod": "nginx-prod",
    "embedded": "embedded",
    "before": "before",
    "rsgi": "rsgi",
    "app": "app",
}


def runsite_granian(port, threads, tree=ROOT):
    """The granian command line `runsite` runs (one worker, `threads` threads), as the
    code in `tree` (a checkout of this repository) makes it."""
    script = (
        "import json, sys; "
        "from caravan.operations.management.commands.runsite import granian_command; "
        f"print(json.dumps(granian_command('127.0.0.1', {port}, 1, {threads}, sys.executable)))"
    )
    env = dict(os.environ, LOG_LEVEL="WARNING")
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=tree, env=env, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def plain_nginx_config(directory, port, public_dir):
    user = "user root;" if os.geteuid() == 0 else ""
    temp = " ".join(
        f"{n}_temp_path {directory / n};"
        for n in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user} worker_processes 1; daemon off; pid {directory / 'nginx.pid'};\n"
        f"error_log {directory / 'error.log'};\nevents {{ worker_connections 1024; }}\n"
        f"http {{ access_log off; {temp} types {{ text/html html; }}\n"
        f"server {{ listen 127.0.0.1:{port}; root {public_dir}; gzip_static on;\n"
        f"location / {{ try_files $uri $uri/index.html =404; }} }} }}\n"
    )


def scheme(setup):
    """The shipped nginx configuration (setup "prod") speaks https only, with a
    self-signed certificate made for the run; the others plain HTTP."""
    return "https" if setup == "prod" else "http"


def rss_mb(pid):
    """Resident memory of a process and its children, in MB."""
    total = 0
    pids = [str(pid)]
    while pids:
        p = pids.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                pids += children
        except (OSError, AttributeError):
            continue
    return total / 1024


def cpu_seconds(pid):
    """Processor time (user and system) used so far by a process and its children."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [str(pid)]
    while pids:
        p = pids.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                pids += (task / "children").read_text().split()
        except (OSError, IndexError, ValueError):
            continue
    return total


def wrk(url, duration, connections):
    out = subprocess.run(
        [
            WRK,
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-H",
            "Accept-Encoding: gzip",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def build_public(*options):
    """Run `manage.py build_public` in its own process; its summary line."""
    return subprocess.run(
        [sys.executable, "manage.py", "build_public", *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def pick_urls():
    from caravan.news.models import NewsIndexPage, NewsPage
    from caravan.products.models import ProductPage
    from caravan.static_site.models import PublicFile

    rendered = PublicFile.objects.values("page_id")
    news = NewsIndexPage.objects.get(locale__language_code="en")
    article = NewsPage.objects.child_of(news).live().filter(pk__in=rendered).order_by("-pk")[0]
    product = ProductPage.objects.live().filter(locale__language_code="en", pk__in=rendered)
    product = product.order_by("-pk")[0]
    return {
        "home": "/en/",
        "news list": news.url,
        "news detail": article.url,
        "product detail": product.url,
    }


def render_pages():
    """Pages to render without a file: an article and a product from the middle of their
    sections (the generated ones at 20,000 pages), the lists' first pages, home."""
    from caravan.core.models import HomePage
    from caravan.news.models import NewsIndexPage, NewsPage
    from caravan.products.models import ProductIndexPage, ProductPage

    news = NewsIndexPage.objects.get(locale__language_code="en")
    catalogue = ProductIndexPage.objects.get(locale__language_code="en")
    articles = NewsPage.objects.child_of(news).live().order_by("pk")
    products = ProductPage.objects.child_of(catalogue).live().order_by("pk")
    return {
        "home": HomePage.objects.get(locale__language_code="en"),
        "news list": news,
        "news article": articles[articles.count() // 2],
        "product list": catalogue,
        "product page": products[products.count() // 2],
    }


def render_urls():
    return {label: page.url for label, page in render_pages().items()}


def previews(count, cold=False):
    """Milliseconds of processor time per preview of each page (Wagtail's
    `make_preview_request`, what the admin's preview panel renders after each pause in
    an editor's typing), as a signed-in editor's request; the median. `cold`: the content
    generation advanced before each, as for the first preview after a publish."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from caravan.core import pagecache

    settings.CARAVAN_PAGE_CACHE_SECONDS = 0
    editor = get_user_model().objects.filter(is_superuser=True).first()
    factory = RequestFactory()
    results = {}
    for label, page in render_pages().items():
        page = page.specific
        cpu = []
        for n in range(count + 3):
            if cold:
                pagecache.invalidate()
            request = factory.get(
                f"/admin/pages/{page.pk}/edit/preview/", HTTP_COOKIE="sessionid=editor"
            )
            request.user = editor
            started = time.process_time()
            response = page.make_preview_request(request, page.default_preview_mode)
            elapsed = (time.process_time() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"preview of {page.url}: {response.status_code}")
            if n >= 3:
                cpu.append(elapsed)
        results[label] = statistics.median(cpu)
    return results


def uncached_renders(count, cold=False):
    """Milliseconds per render of each page by Django in this process (an address with
    no file), the page cache off, `count` renders each after a few to warm up; the
    median and the 90th percentile. Steady: what an anonymous visitor's render keeps
    (core/shared.py: cards, lists, menu, counts) serves the next renders. `cold`: the
    content generation advanced before each render, as after a publish, so nothing
    kept serves it: the first render after an edit, and about what a preview costs (an
    editor's request keeps nothing)."""
    from django.conf import settings
    from django.test import Client

    from caravan.core import pagecache

    settings.CARAVAN_PAGE_CACHE_SECONDS = 0
    host = next((h for h in settings.ALLOWED_HOSTS if h != "*" and h[0] != "."), "localhost")
    client = Client(HTTP_HOST=host)
    results = {}
    for label, url in render_urls().items():
        times, cpu = [], []
        for n in range(count + 3):
            if cold:
                pagecache.invalidate()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, secure=True)
            elapsed = (time.perf_counter() - started) * 1000
            elapsed_cpu = (time.process_time() - started_cpu) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
            if n >= 3:
                times.append(elapsed)
                cpu.append(elapsed_cpu)
        results[label] = (
            statistics.median(times),
            statistics.quantiles(times, n=10)[8],
            statistics.median(cpu),
        )
    return results


def distinct_urls(count):
    """`count` addresses of each kind that no render has asked before: articles and
    products from the middle of their sections, and the lists' later pages."""
    from caravan.news.models import NewsIndexPage, NewsPage
    from caravan.products.models import ProductIndexPage, ProductPage

    news = NewsIndexPage.objects.get(locale__language_code="en")
    catalogue = ProductIndexPage.objects.get(locale__language_code="en")

    def middle(model, section):
        pages = model.objects.child_of(section).live().order_by("pk")
        start = pages.count() // 3
        return [page.url for page in pages[start : start + count]]

    return {
        "news list": [f"{news.url}page/{n}/" for n in range(2, count + 2)],
        "news article": middle(NewsPage, news),
        "product list": [f"{catalogue.url}page/{n}/" for n in range(2, count + 2)],
        "product page": middle(ProductPage, catalogue),
    }


def distinct_renders(count):
    """Milliseconds of processor time per render of an address asked for the first time
    (a crawler walking the site), once what every page shares (menu, footer, company)
    is kept: the median over `count` addresses of each kind."""
    from django.conf import settings
    from django.test import Client

    settings.CARAVAN_PAGE_CACHE_SECONDS = 0
    host = next((h for h in settings.ALLOWED_HOSTS if h != "*" and h[0] != "."), "localhost")
    client = Client(HTTP_HOST=host)
    results = {}
    for label, urls in distinct_urls(count + 2).items():
        cpu = []
        for n, url in enumerate(urls):
            started = time.process_time()
            response = client.get(url, secure=True)
            elapsed = (time.process_time() - started) * 1000
            if response.status_code == 404 and "list" in label:
                break  # a small site's list has fewer pages
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
            if n >= 2:  # the first two: what the section shares is kept
                cpu.append(elapsed)
        if len(cpu) >= 3:
            results[label] = statistics.median(cpu)
    return results


def print_uncached_renders(count):
    print(
        f"\nUncached renders (Django in this process, page cache off, {count} each; "
        "CPU: this process's processor time, which other load on the machine moves less; "
        "again: the same address asked again; new: an address of the same kind asked for "
        "the first time; cold: the content generation advanced before each render, as "
        "after a publish; preview: an editor's preview of the same page, Wagtail's "
        "make_preview_request)"
    )
    steady = uncached_renders(count)
    distinct = distinct_renders(count)
    cold = uncached_renders(max(count // 3, 10), cold=True)
    preview = previews(max(count // 3, 10))
    preview_cold = previews(max(count // 3, 10), cold=True)
    print(
        f"{'page':15} {'again ms':>9} {'p90 ms':>7} {'CPU ms':>7}   {'new CPU':>7}   "
        f"{'cold ms':>8} {'p90 ms':>7} {'CPU ms':>7}   "
        f"{'preview CPU':>11} {'cold':>6}   target CPU <= 10 ms"
    )
    for label, (median, p90, cpu) in steady.items():
        c_median, c_p90, c_cpu = cold[label]
        new = distinct.get(label)
        figures = (("again", cpu), ("new", new), ("preview", preview[label]))
        met = [name for name, ms in figures if ms is not None and ms <= 10]
        verdict = f"met: {', '.join(met)}" if met else "not met"
        if c_cpu <= 10:
            verdict += ", cold too"
        new_text = "-" if new is None else f"{new:.1f}"
        print(
            f"{label:15} {median:9.1f} {p90:7.1f} {cpu:7.1f}   {new_text:>7}   "
            f"{c_median:8.1f} {c_p90:7.1f} {c_cpu:7.1f}   "
            f"{preview[label]:11.1f} {preview_cold[label]:6.1f}   {verdict}"
        )


def publish_to_live(nginx_port):
    """Publish a changed title of one product; seconds until nginx serves the new one."""
    from caravan.products.models import ProductPage
    from caravan.static_site.models import PublicFile

    rendered = PublicFile.objects.values("page_id")
    product = ProductPage.objects.live().filter(locale__language_code="en", pk__in=rendered)
    product = product.order_by("pk").last()
    marker = f"Edited {secrets.token_hex(4)}"
    product.title = f"{product.title.split(' · ')[0]} · {marker}"
    url = f"https://127.0.0.1:{nginx_port}{product.url}"
    started = time.perf_counter()
    product.save_revision().publish()
    deadline = started + 60
    while time.perf_counter() < deadline:
        with urllib.request.urlopen(url, context=unverified_tls()) as response:
            if marker.encode() in response.read():
                return time.perf_counter() - started
        time.sleep(0.01)
    return float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rebuild", action="store_true", help="Also time a full build_public.")
    parser.add_argument("--edits", type=int, default=3, help="Publish-to-live measurements.")
    parser.add_argument("--no-load", action="store_true", help="Skip the wrk measurements.")
    parser.add_argument("--rounds", type=int, default=3, help="wrk runs per page and setup.")
    parser.add_argument(
        "--renders", type=int, default=300, help="Uncached renders per page (0: none)."
    )
    parser.add_argument(
        "--renders-only", action="store_true", help="Only the uncached renders, no servers."
    )
    parser.add_argument(
        "--setups",
        default="plain,prod,embedded,before,rsgi,app",
        help="Which setups to measure (a is always measured): plain, prod, embedded, "
        "before (with --before), rsgi, app.",
    )
    parser.add_argument("--before", type=Path, help="Another checkout served as (c0).")
    parser.add_argument(
        "--threads",
        type=int,
        default=default_threads(),
        help="The embedded server's threads (default: what runsite starts on this machine).",
    )
    parser.add_argument(
        "--ports", type=int, help="Use ports from this one on (else any free ones)."
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers on the way out

    from wagtail.models import Page

    from caravan.static_site import conf
    from caravan.static_site.models import PublicFile

    public = conf.public_dir()
    pages = Page.objects.live().count()
    print(f"Site: {pages} live pages, {PublicFile.objects.count()} public files in {public}")
    if args.renders:
        print_uncached_renders(args.renders)
    if args.renders_only:
        return
    if args.rebuild or not PublicFile.objects.exists():
        started = time.perf_counter()
        out = build_public()
        print(f"Full rebuild: {out}  [{time.perf_counter() - started:.1f} s with start-up]")
        # The same into an empty directory: every file written and compressed anew, as
        # after a change that shows on every page (the records stay as they are).
        empty = Path(tempfile.mkdtemp(prefix="caravan-bench-build-"))
        try:
            print(f"Full build into an empty directory: {build_public('--output', str(empty))}")
        finally:
            shutil.rmtree(empty, ignore_errors=True)

    tmp = Path(tempfile.mkdtemp(prefix="caravan-bench-"))
    keys = ("plain", "prod", "app", "embedded", "before", "rsgi")
    if args.ports:
        ports = {k: args.ports + i for i, k in enumerate(keys)}
    else:
        ports = {k: free_port() for k in keys}
    wanted = {"plain", "prod", *args.setups.split(",")}  # b serves the publish test
    if not args.before:
        wanted.discard("before")
    env = dict(
        os.environ,
        CARAVAN_BASE_URL=f"https://127.0.0.1:{ports['prod']}",
        PYTHONUNBUFFERED="1",
        CARAVAN_PAGE_CACHE_SECONDS="0",
    )
    granian = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--workers",
        "1",
        "--blocking-threads",
        "8",
        "--no-ws",
        "caravan.wsgi:application",
        "--port",
    ]
    procs = {}
    try:
        if "app" in wanted:
            procs["app"] = Process(
                "app",
                [*granian, str(ports["app"])],
                dict(env, CARAVAN_STATIC_FAST_PATH="0"),
                tmp,
            )
        if "embedded" in wanted:
            procs["embedded"] = Process(
                "embedded", runsite_granian(ports["embedded"], args.threads), env, tmp
            )
        if "before" in wanted:
            before = runsite_granian(ports["before"], args.threads, args.before)
            procs["before"] = Process(
                "before",
                ["/bin/sh", "-c", 'cd "$0" && exec "$@"', str(args.before), *before],
                env,
                tmp,
            )
        rsgi = [  # granian's blocking threads are for WSGI only: Django gets WEB_THREADS
            *granian[:3],
            "--interface",
            "rsgi",
            "--host",
            "127.0.0.1",
            "--workers",
            "1",
            "--no-ws",
        ]
        if "rsgi" in wanted:
            procs["rsgi"] = Process(
                "rsgi",
                [*rsgi, "caravan.rsgi:application", "--port", str(ports["rsgi"])],
                env,
                tmp,
            )
        procs["worker"] = Process(
            "worker",
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--queue-name",
                "*",
                "--no-reload",
                "--interval",
                "0.1",
            ],
            env,
            tmp,
        )
        (tmp / "plain").mkdir()
        (tmp / "prod").mkdir()  # nginx_config writes its certificate there
        for name, config in (
            ("plain", plain_nginx_config(tmp / "plain", ports["plain"], public)),
            ("prod", nginx_config(tmp / "prod", ports["prod"], ports["app"], public)),
        ):
            (tmp / name / "nginx.conf").write_text(config)
            procs[f"nginx-{name}"] = Process(
                f"nginx-{name}",
                [
                    NGINX,
                    "-p",
                    str(tmp / name),
                    "-c",
                    str(tmp / name / "nginx.conf"),
                    "-e",
                    str(tmp / name / "error.log"),
                ],
                env,
                tmp,
            )
        for key, name in SERVERS.items():
            if key not in wanted:
                continue
            wait_for_http(
                f"{scheme(key)}://127.0.0.1:{ports[key]}/en/",
                120,
                procs[name],
                ssl_context=unverified_tls(),
            )

        urls = pick_urls()
        setups = [
            ("a nginx file", "plain"),
            ("b production", "prod"),
            ("c embedded", "embedded"),
            ("c0 before", "before"),
            ("c' RSGI", "rsgi"),
            ("d Wagtail", "app"),
        ]
        setups = [(setup, key) for setup, key in setups if key in wanted]
        print(
            f"\nwrk -t1 -c{args.connections} -d{args.duration}s, Accept-Encoding: gzip; "
            f"nginx 1 worker, granian 1 worker, {args.threads} threads; median of {args.rounds} rounds, the "
            "setups taking turns within each round"
        )
        print(
            f"{'page':15} {'setup':14} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'req/s vs a':>11} {'p99 vs a':>9} {'CPU us/req':>11} {'CPU vs a':>9}"
        )
        for label, url in {} if args.no_load else urls.items():
            runs = {key: [] for _, key in setups}
            for _ in range(args.rounds):  # turns, so a noisy moment hits every setup
                for _setup, key in setups:
                    server = procs[SERVERS[key]].pid
                    before = cpu_seconds(server)
                    result = wrk(
                        f"{scheme(key)}://127.0.0.1:{ports[key]}{url}",
                        args.duration,
                        args.connections,
                    )
                    used = cpu_seconds(server) - before
                    result["cpu"] = used * 1e6 / max(result["rps"] * args.duration, 1)
                    runs[key].append(result)
            medians = {
                key: {
                    **{
                        m: statistics.median(r[m] for r in results)
                        for m in ("rps", "p50", "p99", "cpu")
                    },
                    "errors": sum(r["errors"] for r in results),
                }
                for key, results in runs.items()
            }
            base = medians["plain"]
            for setup, key in setups:
                result = medians[key]
                note = f"  ({result['errors']} errors)" if result["errors"] else ""
                print(
                    f"{label:15} {setup:14} {result['rps']:9.0f} {result['p50']:8.2f} "
                    f"{result['p99']:8.2f} {result['rps'] / base['rps']:10.1%} "
                    f"{result['p99'] / base['p99']:8.2f}x {result['cpu']:11.0f} "
                    f"{result['cpu'] / base['cpu']:8.2f}x{note}"
                )
        names = {
            "app": "app server (d)",
            "embedded": "embedded server (c)",
            "before": "before (c0)",
            "rsgi": "RSGI fast path (c')",
            "worker": "task worker",
        }
        print(
            "\nResident memory after the load: "
            + ", ".join(
                f"{label} {rss_mb(procs[key].pid):.0f} MB"
                for key, label in names.items()
                if key in procs
            )
        )
        latencies = [publish_to_live(ports["prod"]) for _ in range(args.edits)]
        print(
            "Publish to live (product title edited and published; worker polls every "
            "0.1 s; until nginx serves it): " + ", ".join(f"{s:.2f} s" for s in latencies)
        )
    finally:
        for proc in procs.values():
            proc.stop(grace=20)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
