from django.core.management.base import BaseCommand, CommandError

from caravan.static_site.check import problems


class Command(BaseCommand):
    help = (
        "List public pages whose file is missing or stale, and files of pages that are no "
        "longer public. Exits with status 1 when there is any; `build_public` fixes them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--render",
            action="store_true",
            help="Also render every page afresh and compare the bytes (slow).",
        )

        parser.add_argument("--under", help="Only addresses that start with this, e.g. /en/.")

    def handle(self, *args, render, under, **options):
        found = problems(render=render, under=under)
        for problem in found:
            self.stdout.write(str(problem))
        if found:
            raise CommandError(f"{len(found)} public file(s) missing or stale; run build_public.")
        self.stdout.write("Every public page has an up-to-date file.")
