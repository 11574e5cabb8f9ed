"""Benchmark: the memory the whole `make run` stack holds after serving the demo. Not a
test: it prints figures.

    .venv/bin/python bench/footprint.py                 # a fresh var/ in a temporary directory
    .venv/bin/python bench/footprint.py --var $PWD/var  # an existing installation
    .venv/bin/python bench/footprint.py --names nginx php-fpm8.2 mariadbd   # other stacks

It starts `manage.py runsite --prepare` exactly as `make run` does (its environment, its
supervisor and children), with an SMTP sink on loopback for the e-mails, then drives the
demo's load: a crawl of every public page (the sitemap's addresses), 50 inquiries
(bench/inquiries.py, each from its own address) until their notifications and
confirmations are mailed, and one publish (the English news page, through a Wagtail
revision, as the admin does). Then it prints every process of the stack with its resident
memory (RSS) and, where /proc/PID/smaps_rollup is readable, its proportional share (PSS:
shared pages divided among the processes that map them), and the sums.

With --pids (or --names) it measures other running processes and their children the same
way, after fetching each --warm address a hundred times: stock WordPress's nginx, PHP-FPM
and MariaDB (../shared/peers/wordpress.sh starts one; its pid files are in its $RUN):

    RUN=/tmp/wp WP_DB=wp ../shared/peers/wordpress.sh start 18080   # prints a post's URL
    .venv/bin/python bench/footprint.py --pids $(cat /tmp/wp/*.pid) \
        --warm http://127.0.0.1:18080/ http://127.0.0.1:18080/rail-freight-history/"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def children(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree(pid):
    result = [pid]
    for child in children(pid):
        result += tree(child)
    return result


def memory(pid):
    """(command, RSS kB, PSS kB or None)."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        pss = int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1))
    except (OSError, AttributeError):
        pss = None
    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    return command, rss, pss


def report(pids, title):
    print(title)
    total_rss = total_pss = 0
    pss_known = True
    for pid in pids:
        try:
            command, rss, pss = memory(pid)
        except (OSError, AttributeError):
            continue
        total_rss += rss
        if pss is None:
            pss_known = False
        else:
            total_pss += pss
        shown = command if len(command) < 70 else command[:67] + "…"
        pss_text = f"{pss / 1024:7.1f}" if pss is not None else "      ?"
        print(f"  {pid:>7}  RSS {rss / 1024:7.1f} MB  PSS {pss_text} MB  {shown}")
    pss_total = f"{total_pss / 1024:.1f} MB" if pss_known else "unknown"
    print(f"  total    RSS {total_rss / 1024:7.1f} MB  PSS {pss_total}")
    return total_rss


def by_names(names):
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if (proc / "comm").read_text().strip() in names:
                    pids.append(int(proc.name))
            except OSError:
                continue
    return sorted(pids)


def get(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def crawl(base):
    """Every address the sitemap (and its sections) names; returns how many."""
    seen, queue = set(), [f"{base}/sitemap.xml"]
    pages = 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        body = get(url)
        for loc in re.findall(rb"<loc>([^<]+)</loc>", body):
            address = base + "/" + loc.decode().split("/", 3)[3]
            if address.endswith(".xml"):
                queue.append(address)
            elif address not in seen:
                seen.add(address)
                get(address)
                pages += 1
    return pages


PUBLISH = """
from caravan.news.models import NewsIndexPage
page = NewsIndexPage.objects.get(locale__language_code="en")
page.title = page.title.rstrip(" ·") + " ·"
page.save_revision().publish()
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8390)
    parser.add_argument("--var", help="CARAVAN_VAR_DIR (default: a new temporary directory)")
    parser.add_argument("--inquiries", type=int, default=50)
    parser.add_argument("--names", nargs="+", help="measure running processes of these names")
    parser.add_argument("--pids", nargs="+", type=int, help="measure these processes' trees")
    parser.add_argument("--warm", nargs="+", default=[], help="addresses to fetch first")
    args = parser.parse_args()
    if args.names or args.pids:
        for url in args.warm:
            for _ in range(100):
                get(url)
        pids = by_names(set(args.names)) if args.names else []
        for pid in args.pids or []:
            pids += [p for p in tree(pid) if p not in pids]
        report(pids, "Processes: " + " ".join(args.names or map(str, args.pids)))
        return 0

    from caravan.testing.smtp import SmtpServer

    sink = SmtpServer().start()
    var = Path(args.var or tempfile.mkdtemp(prefix="caravan-footprint-"))
    base = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "caravan.settings.base",  # as the Makefile exports it
        "CARAVAN_VAR_DIR": str(var),
        "PORT": str(args.port),
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "CARAVAN_TRUSTED_PROXIES": "127.0.0.1",
    }
    log = open(var / "footprint-runsite.log", "w")  # noqa: SIM115
    print(f"Starting the stack as `make run` does (var: {var}; output in {log.name})")
    started = time.monotonic()
    site = subprocess.Popen(
        [sys.executable, "manage.py", "runsite", "--prepare", "--port", str(args.port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        while True:
            try:
                get(f"{base}/en/")
                break
            except OSError:
                if site.poll() is not None or time.monotonic() - started > 1800:
                    raise SystemExit(f"the site did not start; see {log.name}") from None
                time.sleep(1)
        print(f"  serving after {time.monotonic() - started:.0f} s")
        report(tree(site.pid), "Right after starting:")

        began = time.monotonic()
        pages = crawl(base)
        print(f"Crawled {pages} public pages in {time.monotonic() - began:.1f} s")
        subprocess.run(
            [
                sys.executable,
                "bench/inquiries.py",
                "--url",
                base,
                "-n",
                str(args.inquiries),
                "-c",
                "4",
                "--forwarded-for",
                "--wait-delivery",
                "120",
            ],
            cwd=ROOT,
            env=env,
            check=False,
        )
        print(f"  the SMTP sink received {len(sink.received)} messages")
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", PUBLISH], cwd=ROOT, env=env, check=True
        )
        time.sleep(5)  # the worker re-renders the page's files
        print("Published the English news page")
        crawl(base)  # once more, with the published page and whatever it changed
        total = report(tree(site.pid), "After the demo's load (crawl, inquiries, publish):")
        verdict = "within" if total <= 400 * 1024 else "OVER"
        print(f"  {verdict} the 400 MB budget")
    finally:
        site.terminate()
        site.wait(timeout=60)
        sink.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
