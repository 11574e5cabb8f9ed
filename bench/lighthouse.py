"""Benchmark: Lighthouse's four scores (performance, accessibility, best practices, SEO)
of the demo's public pages in mobile mode, in every language. Not a test: it prints
figures. Lighthouse is not a dependency of the project; install it once with npm:

    mkdir -p /tmp/lh && cd /tmp/lh && npm init -y && npm install lighthouse

    .venv/bin/python bench/lighthouse.py                  # starts the demo as `make run` does
    .venv/bin/python bench/lighthouse.py --url http://127.0.0.1:8000   # a running site
    .venv/bin/python bench/lighthouse.py --pages all --runs 3

Without --url it starts `manage.py runsite --prepare` exactly as `make run` does (the
public files, a fresh var/ in a temporary directory unless --var names one) and stops it
at the end. Pages: home, an article and a product in each of the five languages (with
--pages all also the product list, contact, the inquiry page and the certificates page),
found from the site's sitemap. Chromium is Debian's (/usr/bin/chromium, or CHROME_PATH),
headless; Lighthouse's default mobile emulation (a mid-range phone, throttled 4G and a
4x slower processor, simulated). With --runs N each page is measured N times, the rounds
taking turns over the pages, and the median of each score is printed. For every score
below 100 the audits that cost points are listed (with their figure, where they have one).
On a loaded machine performance is the noisy score (Total Blocking Time above all)."""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "zh-hans", "ru", "es", "ar")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "bp", "seo": "seo"}
FALLBACK = Path("/tmp/lh/node_modules/.bin/lighthouse")  # noqa: S108 - where the docs install it


def find_lighthouse(given):
    if given:
        path = shutil.which(given) or (given if Path(given).is_file() else None)
    else:
        path = shutil.which("lighthouse") or (str(FALLBACK) if FALLBACK.is_file() else None)
    if not path:
        sys.exit(
            f"Lighthouse not found ({given or 'lighthouse on PATH, or ' + str(FALLBACK)}).\n"
            "It is not a project dependency; install it with npm:\n"
            "  mkdir -p /tmp/lh && cd /tmp/lh && npm init -y && npm install lighthouse\n"
            "and pass --lighthouse PATH if it is elsewhere."
        )
    return path


def get(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode()


def find_pages(base, which):
    """{(name, language): url}, from the sitemap: the first article and the first product
    in English and their translations (the sitemap's hreflang alternates)."""
    sitemap = get(f"{base}/sitemap.xml")
    entries = {}
    for block in re.findall(r"<url>(.*?)</url>", sitemap, re.S):
        loc = re.search(r"<loc>([^<]+)</loc>", block).group(1)
        alternates = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', block))
        entries[loc] = {lang.lower(): url for lang, url in alternates.items()}

    def first(pattern):
        for loc, alternates in entries.items():
            if re.search(pattern, loc):
                return alternates or {"en": loc}
        sys.exit(f"No page matching {pattern} in {base}/sitemap.xml")

    article = first(r"/en/news/[^/]+/$")
    product = first(r"/en/products/[^/]+/$")
    pages = {}
    for language in LANGUAGES:
        pages["home", language] = f"{base}/{language}/"
        pages["article", language] = article.get(language)
        pages["product", language] = product.get(language)
        if which == "all":
            pages["product list", language] = f"{base}/{language}/products/"
            pages["contact", language] = f"{base}/{language}/contact/"
            pages["inquiry", language] = f"{base}/{language}/inquiry/"
            pages["certificates", language] = f"{base}/{language}/about/certificates/"
    return {key: url for key, url in pages.items() if url}


def run_lighthouse(lighthouse, url, chromium):
    env = {**os.environ, "CHROME_PATH": chromium}
    flags = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
    result = subprocess.run(
        [
            lighthouse,
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            f"--chrome-flags={flags}",
            "--only-categories=" + ",".join(CATEGORIES),
            "--max-wait-for-load=60000",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"lighthouse failed on {url}: {result.stderr.strip()[-800:]}")
    return json.loads(result.stdout)


def losses(report, category):
    """The audits that cost the category points: title and, where there is one, figure."""
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight", 0) <= 0 or audit.get("score") is None or audit["score"] >= 1:
            continue
        figure = audit.get("displayValue")
        found.append(audit["title"] + (f" ({figure})" if figure else ""))
    return found


def start_site(port, var):
    var = Path(var or tempfile.mkdtemp(prefix="caravan-lighthouse-"))
    var.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "caravan.settings.base",  # as the Makefile exports it
        "CARAVAN_VAR_DIR": str(var),
        "PORT": str(port),
    }
    log = open(var / "lighthouse-runsite.log", "w")  # noqa: SIM115
    print(f"Starting the demo as `make run` does (var: {var}; output in {log.name})")
    site = subprocess.Popen(
        [sys.executable, "manage.py", "runsite", "--prepare", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    started = time.monotonic()
    while True:
        try:
            get(f"http://127.0.0.1:{port}/en/", timeout=5)
            break
        except OSError:
            if site.poll() is not None or time.monotonic() - started > 1800:
                site.terminate()
                sys.exit(f"The site did not start; see {log.name}")
            time.sleep(1)
    print(f"  serving after {time.monotonic() - started:.0f} s")
    return site


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running site (default: start the demo)")
    parser.add_argument("--port", type=int, default=8391, help="port for the demo it starts")
    parser.add_argument("--var", help="CARAVAN_VAR_DIR for the demo (default: a new one)")
    parser.add_argument("--lighthouse", help="the lighthouse command (default: see above)")
    parser.add_argument("--chromium", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    parser.add_argument("--pages", choices=("main", "all"), default="main")
    parser.add_argument("--languages", nargs="+", default=list(LANGUAGES), choices=LANGUAGES)
    parser.add_argument("--runs", type=int, default=1, help="measurements per page (median)")
    args = parser.parse_args()

    lighthouse = find_lighthouse(args.lighthouse)
    if not Path(args.chromium).is_file():
        sys.exit(f"Chromium not found at {args.chromium} (apt-get install chromium).")
    version = subprocess.run(
        [lighthouse, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()

    site = None if args.url else start_site(args.port, args.var)
    base = (args.url or f"http://127.0.0.1:{args.port}").rstrip("/")
    try:
        pages = {
            key: url
            for key, url in find_pages(base, args.pages).items()
            if key[1] in args.languages
        }
        scores = {key: {c: [] for c in CATEGORIES} for key in pages}
        lost = {key: {} for key in pages}
        for round_ in range(args.runs):
            for key, url in pages.items():
                try:
                    report = run_lighthouse(lighthouse, url, args.chromium)
                except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
                    print(f"  round {round_ + 1}, {key[0]} ({key[1]}): {exc}", file=sys.stderr)
                    continue
                for category in CATEGORIES:
                    score = report["categories"][category]["score"]
                    scores[key][category].append(round(100 * score) if score is not None else 0)
                    for title in losses(report, category):
                        lost[key].setdefault(category, {}).setdefault(title.split(" (")[0], title)
                print(f"  round {round_ + 1}: {key[0]} ({key[1]}) measured", file=sys.stderr)
    finally:
        if site:
            site.terminate()
            site.wait(timeout=60)

    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(
        f"\nLighthouse {version}, mobile, {Path(args.chromium).name} headless; {base}; "
        f"median of {args.runs} run(s); load average {' '.join(load)} on {os.cpu_count()} cores"
    )
    print(f"{'page':<14}{'lang':<9}" + "".join(f"{SHORT[c]:>6}" for c in CATEGORIES))
    below = []
    for key, by_category in scores.items():
        medians = {
            c: (int(statistics.median(values)) if values else None)
            for c, values in by_category.items()
        }
        print(
            f"{key[0]:<14}{key[1]:<9}"
            + "".join(f"{'-' if v is None else v:>6}" for v in medians.values())
        )
        for category, value in medians.items():
            if value is not None and value < 100:
                below.append((key, category, value))
    if below:
        print("\nBelow 100 (the audits that cost points, in any run):")
        for (name, language), category, value in below:
            titles = lost[name, language].get(category, {}).values()
            print(f"  {name} ({language}) {SHORT[category]} {value}: " + "; ".join(titles))
    else:
        print("\nEvery page scores 100 in all four categories.")
    return 1 if any(not v for by in scores.values() for v in by.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
