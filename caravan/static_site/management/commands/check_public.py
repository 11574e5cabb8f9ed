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

    def handle(self, *args, render, **options):
        found = problems(render=render)
        for problem in found:
            self.stdout.write(str(problem))
        if found:
            raise CommandError(f"{len(found)} public file(s) missing or stale; run build_public.")
        self.stdout.write("Every public page has an up-to-date file.")
