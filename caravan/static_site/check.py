"""Comparing the file tree with what is public now (`manage.py check_public`)."""

from dataclasses import dataclass
from pathlib import Path

from . import conf, files
from .build import targets
from .models import PublicFile, PublicFileDependency


@dataclass
class Problem:
    url: str
    kind: str  # missing | stale | orphan
    detail: str

    def __str__(self):
        return f"{self.kind:8} {self.url}  ({self.detail})"


def problems(root=None, render=False, under=None):
    """Every public address whose file is missing or stale, and every file whose
    address is no longer public. With `render`, each address is also rendered afresh
    and compared byte for byte (slow; catches changes no timestamp records). `under`
    limits the check to addresses starting with it."""
    from wagtail.models import Page

    root = Path(root or conf.public_dir())
    records = {r.url: r for r in PublicFile.objects.all()}
    published = dict(Page.objects.filter(live=True).values_list("pk", "last_published_at"))
    shown = {}
    for file_id, key in PublicFileDependency.objects.filter(key__startswith="page:").values_list(
        "file_id", "key"
    ):
        shown.setdefault(file_id, []).append(int(key.split(":", 1)[1]))
    renderer = None
    if render:
        from .render import Renderer

        renderer = Renderer()
    found = []
    wanted = set()
    for url, page_id, _ in targets():
        if under is not None and not url.startswith(under):
            continue
        wanted.add(url)
        record = records.get(url)
        if record is None:
            found.append(Problem(url, "missing", "never rendered"))
            continue
        path = root / record.path
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            found.append(Problem(url, "missing", f"no file {record.path}"))
            continue
        if files.digest(body) != record.digest:
            found.append(Problem(url, "stale", "the file differs from what was rendered"))
            continue
        newer = [
            pk
            for pk in [page_id, *shown.get(record.pk, [])]
            if pk is not None and (published.get(pk) or record.rendered_at) > record.rendered_at
        ]
        if newer:
            found.append(Problem(url, "stale", f"page {newer[0]} was published after it"))
            continue
        if renderer is not None:
            fresh = renderer.render(url)
            if fresh.storable and fresh.body != body:
                found.append(Problem(url, "stale", "a fresh render differs"))
    for url, record in records.items():
        if under is not None and not url.startswith(under):
            continue
        if url not in wanted and not (record.page_id is None and url.startswith("/sitemap-")):
            found.append(Problem(url, "orphan", "no longer public; its file should go"))
    return found
