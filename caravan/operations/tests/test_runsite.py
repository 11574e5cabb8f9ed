"""`make run`'s server, started for real: prepare, serve, stop cleanly on a signal."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def children_of(pid):
    result = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    )
    return [int(p) for p in result.stdout.split()]


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "EMAIL_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="caravan.settings.base", CARAVAN_VAR_DIR=str(var), PORT=str(port)
    )
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runsite", "--prepare", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, html = wait_for(f"http://127.0.0.1:{port}/en/", timeout=180)
        yield {"proc": proc, "port": port, "html": html, "status": status, "var": var}
    finally:
        if proc.poll() is None:
            proc.kill()


def test_serves_the_demo_with_static_files_and_a_worker(served_site):
    assert served_site["status"] == 200
    html = served_site["html"]
    assert "Silkline Flow Controls" in html
    css = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert css.startswith("/static/css/site.") and css.endswith(".css")  # hashed by the manifest
    request = urllib.request.Request(
        f"http://127.0.0.1:{served_site['port']}{css}", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in response.headers["Cache-Control"]
    assert (served_site["var"] / "caravan.sqlite3").exists()
    # The public pages were rendered to files before serving, and are served from them.
    public = served_site["var"] / "public"
    assert (public / ".build-fingerprint").exists()
    assert (public / "en" / "index.html").read_text() == html
    assert len(children_of(served_site["proc"].pid)) == 3  # web server, task worker, periodic jobs


def test_sigterm_stops_the_server_and_its_children(served_site):
    proc = served_site["proc"]
    children = children_of(proc.pid)
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, output
    assert "Stopped." in output
    assert "Created the admin account" in output and "Password:" in output
    for pid in children:
        assert (
            not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        )
