"""Benchmark: what each public page of a running Caravan site costs a buyer's phone,
measured by Chromium (Debian's /usr/bin/chromium, or CARAVAN_CHROMIUM) on a 375×812 touch
screen with an empty cache. Not a test: it prints figures. The browser tests assert the
budget loosely (caravan/browser_tests/test_weight.py).

    make run                                   # a site to measure (another terminal)
    .venv/bin/python bench/weight.py --url http://127.0.0.1:8000

Bytes are as transferred (compressed where the server compresses, headers included).
"HTML+CSS+JS" is the page, its style sheets and scripts; "total" adds images, icons and
fonts, after scrolling to the end so that lazy images load. The pages are found from the
home page by following links, as a visitor would."""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from caravan.testing import browser as support  # noqa: E402


def kb(value):
    return f"{value / 1024:7.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running site")
    parser.add_argument("--width", type=int, default=375, help="screen width in CSS px")
    parser.add_argument("--verbose", action="store_true", help="list every request")
    args = parser.parse_args()

    problem = support.browser_problem()
    if problem:
        sys.exit(f"Cannot measure: {problem}.")
    from playwright.sync_api import sync_playwright

    options = dict(support.MOBILE)
    if args.width != 375:
        options = {"viewport": {"width": args.width, "height": 900}}
    with sync_playwright() as playwright:
        browser = support.launch(playwright)
        context = browser.new_context()
        try:
            pages = support.discover_pages(context.new_page(), args.url.rstrip("/") + "/")
        except Exception as exc:  # noqa: BLE001 - any failure here means: not a Caravan site
            sys.exit(f"Could not find the pages from {args.url}: {exc}")
        context.close()
        print(f"{args.url}, {args.width} px wide, empty cache; kilobytes transferred")
        header = ("page", "reqs", "HTML", "CSS", "JS", "H+C+J", "images", "total", "CLS")
        print(f"{header[0]:<16}{header[1]:>5}" + "".join(f"{h:>8}" for h in header[2:]))
        for name, url in pages.items():
            measured = support.measure(browser, url, options)

            def of(kind, rows=measured["requests"]):
                return sum(r["bytes"] for r in rows if r["type"] == kind)

            print(
                f"{name:<16}{len(measured['requests']):>5} {kb(of('document'))} "
                f"{kb(of('stylesheet'))} {kb(of('script'))} {kb(measured['text_bytes'])} "
                f"{kb(measured['image_bytes'])} {kb(measured['total_bytes'])} "
                f"{measured['cls']:7.3f}"
            )
            if args.verbose:
                for row in measured["requests"]:
                    print(f"    {row['type']:<11}{kb(row['bytes'])}  {row['url']}")
            if measured["unsized_images"]:
                print(f"    images without width/height: {measured['unsized_images']}")
            foreign = support.foreign_requests([r["url"] for r in measured["requests"]], url)
            if foreign:
                print(f"    requests to other origins: {foreign}")
        browser.close()


if __name__ == "__main__":
    main()
