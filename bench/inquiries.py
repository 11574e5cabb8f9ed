"""Benchmark: post N valid inquiries concurrently to a running Caravan site, then count
them in its database and its task queue. Not a test: it prints figures.

    # a site to measure (another terminal); its worker delivers to an SMTP sink
    DJANGO_SETTINGS_MODULE=caravan.settings.base CARAVAN_VAR_DIR=$PWD/var \\
    CARAVAN_TRUSTED_PROXIES=127.0.0.1 EMAIL_URL=smtp://127.0.0.1:2530 PORT=8300 \\
        .venv/bin/python manage.py runsite --prepare --port 8300

    DJANGO_SETTINGS_MODULE=caravan.settings.base CARAVAN_VAR_DIR=$PWD/var \\
        .venv/bin/python bench/inquiries.py --url http://127.0.0.1:8300 -n 500 -c 16 --forwarded-for

Like the dialog, it fetches a form token per inquiry first, waits until a person could
have typed (CARAVAN_INQUIRY_MIN_SECONDS, 3 s), and posts with the site's own Origin. The
site limits inquiries per IP address (20 an hour by default): either let the benchmark
speak for many buyers through a trusted proxy (`--forwarded-for` adds an X-Forwarded-For
address per inquiry, honoured only when the site runs with CARAVAN_TRUSTED_PROXIES set to
127.0.0.1), or run the site with CARAVAN_INQUIRY_RATE_LIMIT_IP=0.

With --rfq each inquiry is a request for quotation as the inquiry page sends it: three
product lines (the `items` formset), terms, and a 5 MB drawing (multipart/form-data); give
--server-pid (the site's process: runsite prints it, or `pgrep -f runsite`) and the
benchmark prints the resident memory of that process and its children at the start and
after every 100 requests:

    DJANGO_SETTINGS_MODULE=caravan.settings.base CARAVAN_VAR_DIR=$PWD/var \\
        .venv/bin/python bench/inquiries.py --url http://127.0.0.1:8300 -n 200 -c 4 \\
        --forwarded-for --rfq --server-pid 12345

The counts come from the database the site uses, so run it with the same settings
environment (DJANGO_SETTINGS_MODULE, CARAVAN_VAR_DIR or DATABASE_URL)."""

import argparse
import contextlib
import http.client
import json
import os
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]

MESSAGES = [
    "Please quote 40 DN100 gate valves, PN16, delivered to Almaty.",
    "Нужны шаровые краны DN50, 200 шт., доставка в Ташкент.",
    "请报价电磁流量计 DN200，10台，运往阿拉木图。",
    "نحتاج إلى عرض سعر لـ 40 صماماً مع الشحن إلى دبي.",
    "Wir benötigen 20 Absperrklappen DN150 mit Lieferung nach Minsk.",
]


class Client:
    """One keep-alive HTTP connection per thread."""

    def __init__(self, base_url):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.local = threading.local()

    def request(self, method, path, body=None, headers=None):
        for attempt in range(2):
            connection = getattr(self.local, "connection", None)
            if connection is None:
                connection = self.local.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=60
                )
            try:
                connection.request(method, path, body=body, headers=headers or {})
                response = connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                connection.close()
                self.local.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


DRAWING_SIZE = 5 * 1024 * 1024


def drawing():
    """A 5 MB PDF-looking drawing (the server reads the kind from its first bytes)."""
    head = b"%PDF-1.7\n% caravan benchmark drawing\n"
    return head + os.urandom(DRAWING_SIZE - len(head))


def multipart(fields, files):
    """(body, content type) of a multipart/form-data POST."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def rfq_fields(index):
    """Three lines (two free-text items and one more), terms: what a buyer's RFQ holds."""
    fields = {
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
        "destination_country": "KZ",
        "destination_place": "Almaty",
        "incoterm": "CIP",
        "target_price": "1250.50",
        "currency": "USD",
        "needed_by": "2027-03-31",
    }
    for n, (note, quantity, unit) in enumerate(
        [
            ("DN100 gate valve PN16", 40, "piece"),
            ("Flange gaskets", 80, "set"),
            ("Bolts M16", 2.5, "kilogram"),
        ]
    ):
        fields[f"items-{n}-product"] = ""
        fields[f"items-{n}-quantity"] = str(quantity + index % 7)
        fields[f"items-{n}-unit"] = unit
        fields[f"items-{n}-note"] = note
    return fields


def process_tree_rss_mb(pid):
    """Resident memory of a process and all its descendants, in MB (Linux /proc)."""
    total, seen, todo = 0, set(), [pid]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo.extend(int(c) for c in (task / "children").read_text().split())
    return total / 1024


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(int(round(fraction * (len(ordered) - 1))), len(ordered) - 1)
    return ordered[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running site")
    parser.add_argument("-n", "--number", type=int, default=200, help="inquiries to post")
    parser.add_argument("-c", "--concurrency", type=int, default=8, help="parallel posts")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--min-seconds", type=float, default=3.2, help="token age before posting")
    parser.add_argument(
        "--forwarded-for",
        action="store_true",
        help="send each inquiry from its own address via X-Forwarded-For (site must trust 127.0.0.1)",
    )
    parser.add_argument(
        "--rfq", action="store_true", help="post 3 lines, terms and a 5 MB drawing each"
    )
    parser.add_argument(
        "--server-pid", type=int, default=0, help="print this process tree's memory as it goes"
    )
    parser.add_argument(
        "--wait-delivery", type=float, default=0, help="seconds to wait for the worker to mail them"
    )
    args = parser.parse_args()

    client = Client(args.url)
    run = uuid.uuid4().hex[:8]
    token_path = f"/{args.lang}/inquiry/token/"
    post_path = f"/{args.lang}/inquiry/"

    def fetch_token(_index):
        status, body = client.request("GET", token_path, headers={"Accept": "application/json"})
        if status != 200:
            raise SystemExit(f"token request answered {status}")
        return json.loads(body)["token"]

    print(
        f"Caravan inquiry benchmark: {args.number} inquiries, {args.concurrency} at a time, {args.url}"
    )
    started = time.monotonic()
    with ThreadPoolExecutor(args.concurrency) as pool:
        tokens = list(pool.map(fetch_token, range(args.number)))
    print(f"  fetched {len(tokens)} form tokens in {time.monotonic() - started:.2f} s")
    time.sleep(max(0.0, args.min_seconds - (time.monotonic() - started)))

    def post(index):
        data = {
            "name": f"Bench Buyer {index}",
            "contact": f"bench-{run}-{index}@bench.example",
            "message": MESSAGES[index % len(MESSAGES)],
            "company": "Benchmark Trading LLP",
            "country": "KZ",
            "quantity": str(10 + index % 90),
            "website": "",
            "token": tokens[index],
            "page": f"{client.origin}/{args.lang}/",
        }
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "Origin": client.origin,
            "User-Agent": "caravan-bench/1",
        }
        if args.forwarded_for:
            headers["X-Forwarded-For"] = f"198.18.{index // 250 % 256}.{index % 250 + 1}"
        payload = urlencode(data).encode()
        if args.rfq:
            del data["quantity"]
            payload, headers["Content-Type"] = multipart(
                data | rfq_fields(index), {"attachments": ("drawing.pdf", the_drawing)}
            )
        begin = time.perf_counter()
        status, body = client.request("POST", post_path, payload, headers)
        elapsed = time.perf_counter() - begin
        reference = json.loads(body).get("reference") if status == 201 else None
        return status, elapsed, reference

    the_drawing = drawing() if args.rfq else b""

    def memory(label):
        if args.server_pid:
            print(f"  server memory {label}: {process_tree_rss_mb(args.server_pid):.0f} MB RSS")

    memory("at the start")
    started = time.monotonic()
    results = []
    batch = 100 if args.server_pid else args.number
    with ThreadPoolExecutor(args.concurrency) as pool:
        for first in range(0, args.number, batch):
            results.extend(pool.map(post, range(first, min(first + batch, args.number))))
            memory(f"after {len(results)} requests")
    wall = time.monotonic() - started

    latencies = [elapsed * 1000 for _status, elapsed, _ref in results]
    statuses = {}
    for status, _elapsed, _ref in results:
        statuses[status] = statuses.get(status, 0) + 1
    accepted = [ref for status, _elapsed, ref in results if status == 201]
    print(f"  posted in {wall:.2f} s: {len(results) / wall:.1f} inquiries/s")
    print(
        f"  latency ms: p50 {percentile(latencies, 0.5):.1f}  p90 {percentile(latencies, 0.9):.1f}  "
        f"p99 {percentile(latencies, 0.99):.1f}  max {max(latencies):.1f}  mean {statistics.mean(latencies):.1f}"
    )
    print(f"  responses: {dict(sorted(statuses.items()))}")

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravan.settings.base")
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    from caravan.inquiries.models import DeliveryStatus, Inquiry

    stored = Inquiry.objects.filter(contact__startswith=f"bench-{run}-")
    ids = set(stored.values_list("pk", flat=True))
    references = set(stored.values_list("reference", flat=True))
    tasks = DBTaskResult.objects.filter(task_path="caravan.inquiries.delivery.deliver_inquiry")
    queued = {}
    task_inquiries = set()
    for args_kwargs, status in tasks.values_list("args_kwargs", "status").iterator():
        if args_kwargs["args"] and args_kwargs["args"][0] in ids:
            task_inquiries.add(args_kwargs["args"][0])
            queued[status] = queued.get(status, 0) + 1
    lost = len(set(accepted) - references)
    print(
        f"  in the database: {len(ids)} inquiries ({stored.filter(is_spam=True).count()} flagged as spam)"
    )
    print(
        f"  in the task queue: {len(task_inquiries)} inquiries with a delivery task {dict(sorted(queued.items()))}"
    )
    print(f"  accepted but not stored: {lost}; stored without a task: {len(ids - task_inquiries)}")

    if args.wait_delivery:
        posted_at = time.monotonic()
        deadline = posted_at + args.wait_delivery
        while time.monotonic() < deadline:
            sent = stored.filter(notification_status=DeliveryStatus.SENT).count()
            if sent == len(ids):
                break
            time.sleep(0.5)
        sent = stored.filter(notification_status=DeliveryStatus.SENT).count()
        replies = stored.filter(autoreply_status=DeliveryStatus.SENT).count()
        print(
            f"  delivered by the worker {time.monotonic() - posted_at:.1f} s after the last post: "
            f"{sent}/{len(ids)} notifications, {replies}/{len(ids)} confirmations"
        )
    ok = lost == 0 and len(ids) == len(accepted) == args.number and task_inquiries == ids
    print("  0 lost" if ok else "  SOMETHING WAS LOST OR REFUSED (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
