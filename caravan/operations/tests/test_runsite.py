"""`make run`'s server, started for real: prepare, serve, stop cleanly on a signal."""

import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from caravan.testing.processes import clean_environment, free_port, start_server


def children_of(pid):
    result = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    )
    return [int(p) for p in result.stdout.split()]


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    port = free_port()
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="caravan.settings.base", CARAVAN_VAR_DIR=var, PORT=port
    )
    command = [sys.executable, "manage.py", "runsite", "--prepare", "--port", str(port)]
    home = f"http://127.0.0.1:{port}/en/"
    proc = start_server("runsite", command, env, var, home, timeout=600, success_only=True)
    try:
        with urllib.request.urlopen(home, timeout=10) as response:
            status, html = response.status, response.read().decode()
        yield {"proc": proc, "port": port, "html": html, "status": status, "var": var}
    finally:
        proc.stop()


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
        assert response.headers["Cache-Control"] == "max-age=31536000, public, immutable"
    assert (served_site["var"] / "caravan.sqlite3").exists()
    # The public pages were rendered to files before serving, and are served from them.
    public = served_site["var"] / "public"
    assert (public / ".build-fingerprint").exists()
    assert (public / "en" / "index.html").read_text() == html
    # The web server and the task worker (which runs the periodic jobs too).
    assert len(children_of(served_site["proc"].pid)) == 2


def test_the_app_server_runs_one_thread_per_core(served_site, monkeypatch):
    """Threads beyond the cores only make the public files' answers wait on each other
    (runsite.default_threads); at least two, so one slow request leaves the site served."""
    from caravan.operations.management.commands import runsite

    commands = [
        Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        for pid in children_of(served_site["proc"].pid)
    ]
    granian = next(c for c in commands if b"granian" in c)
    threads = granian[granian.index(b"--blocking-threads") + 1]
    assert int(threads) == runsite.default_threads()
    for cores, expected in [(None, 2), (1, 2), (2, 2), (4, 4), (64, 8)]:
        monkeypatch.setattr(runsite.os, "cpu_count", lambda cores=cores: cores)
        assert runsite.default_threads() == expected


def test_sigterm_stops_the_server_and_its_children(served_site):
    proc = served_site["proc"]
    children = children_of(proc.pid)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0, proc.output()
    output = proc.output()
    assert "Stopped." in output
    assert "Created the admin account" in output and "Password:" in output
    # A quiet console: the steps and the address, not every task's state.
    assert "Caravan is serving on" in output
    assert "Task id=" not in output and "state=" not in output
    lines = proc.log_path.read_bytes().count(b"\n")  # the progress bar redraws one line
    assert lines < 40, output
    for pid in children:
        assert (
            not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        )
