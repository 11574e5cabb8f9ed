"""`manage.py import_wordpress EXPORT.xml`: move a WordPress site in (README, "Moving
from WordPress")."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from caravan.importers.wordpress import WordPressImport
from caravan.importers.wxr import WXRError

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import a WordPress export file (Tools › Export › All content): posts, pages, "
        "WooCommerce products, media, SEO fields, languages and redirects. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", nargs="?", help="the WordPress export file (.xml)")
        parser.add_argument("--media-dir", help="a copy of the old site's wp-content/uploads")
        parser.add_argument(
            "--media-url", help="fetch media from this address (default: the export's site)"
        )
        parser.add_argument(
            "--media-host",
            action="append",
            default=[],
            dest="hosts",
            help="another host media may be fetched from (repeatable)",
        )
        parser.add_argument(
            "--fetch-posters",
            action="store_true",
            help="fetch the posters of YouTube and Vimeo videos from those sites",
        )
        parser.add_argument("--products", help="WooCommerce's product CSV export")
        parser.add_argument("--leads", help="Flamingo's CSV export of inbound messages")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would happen; write nothing"
        )
        parser.add_argument("--report", help="also write the report as JSON to this file")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        if not (options["export"] or options["products"] or options["leads"]):
            raise CommandError("Give the WordPress export file (or --products / --leads).")
        show = not options["no_progress"] and sys.stdout.isatty()
        last = [-1]

        def progress(share, label):
            percent = int(share * 100)
            if show and percent != last[0]:
                last[0] = percent
                filled = int(share * BAR_WIDTH)
                bar = "#" * filled + "-" * (BAR_WIDTH - filled)
                self.stdout.write(f"\r[{bar}] {percent:3d}% {label:<8}", ending="")
                self.stdout.flush()

        importer = WordPressImport(
            options["export"],
            media_dir=options["media_dir"],
            media_url=options["media_url"],
            hosts=options["hosts"],
            dry_run=options["dry_run"],
            products_csv=options["products"],
            leads_csv=options["leads"],
            progress=progress,
            fetch_posters=options["fetch_posters"],
        )
        try:
            report = importer.run()
        except (WXRError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if show:
            self.stdout.write("")
        for line in report.lines():
            self.stdout.write(line)
        if options["report"]:
            with open(options["report"], "w", encoding="utf-8") as out:
                json.dump(report.as_dict(), out, indent=2, ensure_ascii=False)
