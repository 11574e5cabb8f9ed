import os
import sys

from django.core.management.base import BaseCommand
from django.db import connection

from caravan.static_site import conf, files
from caravan.static_site.build import Publisher


class Command(BaseCommand):
    help = (
        "Render every public page (all languages, listing pages, tag and category pages, "
        "feeds, sitemap, robots.txt) into the public file tree, with .gz and .br variants, "
        "and remove the files of pages that are no longer public."
    )

    def add_arguments(self, parser):
        parser.add_argument("--progress", action="store_true", help="Show a progress bar.")
        parser.add_argument("--output", help="Public directory (default CARAVAN_PUBLIC_DIR).")
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="Rendering processes (default: the number of CPUs; 1 on an in-memory database).",
        )
        parser.add_argument(
            "--best",
            action="store_true",
            help="Brotli at its best (slowest) quality, as a publish writes it.",
        )

    def handle(self, *args, progress, output, jobs, best, **options):
        quality = files.BROTLI_QUALITY if best else files.BUILD_BROTLI_QUALITY
        publisher = Publisher(output or conf.public_dir(), brotli_quality=quality)
        if jobs is None:
            in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
            jobs = 1 if in_memory else (os.cpu_count() or 1)
        bar = _Bar(self.stderr) if progress else None
        seconds, total = publisher.build(progress=bar, jobs=jobs)
        if bar:
            bar.finish()
        rate = total / seconds if seconds else 0
        self.stdout.write(
            f"{total} addresses in {seconds:.1f} s ({rate:.0f}/s): {publisher.written} written, "
            f"{publisher.unchanged} unchanged, {publisher.skipped} not kept as files, "
            f"{publisher.removed} removed. Files in {publisher.root}"
        )


class _Bar:
    """A one-line progress bar on stderr (redrawn at most every 1%); `detail()`, when
    given, is written after it at each redraw."""

    def __init__(self, stream, width=40, detail=None):
        self.stream, self.width, self.last = stream, width, -1
        self.detail = detail

    def __call__(self, done, total, url):
        percent = done * 100 // max(total, 1)
        if percent == self.last and done != total:
            return
        self.last = percent
        filled = self.width * done // max(total, 1)
        line = f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {percent:3d}%"
        if self.detail is not None:
            line += self.detail()
        self.stream.write(line, ending="")
        if hasattr(sys.stderr, "flush"):
            self.stream.flush()

    def finish(self):
        self.stream.write("")
