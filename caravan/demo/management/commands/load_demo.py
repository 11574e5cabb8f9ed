from django.core.management.base import BaseCommand

from caravan.demo import loader


class Command(BaseCommand):
    help = (
        "Load the demo company (pages, images, company profile). Safe to run again: what "
        "exists already is left as it is. With --if-empty, does nothing unless the "
        "database holds no content yet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Only load into an empty database."
        )

    def handle(self, *args, if_empty, **options):
        if if_empty and not loader.database_is_empty():
            if options["verbosity"] > 1:
                self.stdout.write("The database has content; the demo was not loaded.")
            return
        loader.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo company loaded."))
