from django.core.management.base import BaseCommand, CommandError

from caravan.core import catalogues


class Command(BaseCommand):
    requires_system_checks = []
    help = (
        "Compile the interface catalogues (.po -> .mo) that changed: with msgfmt when GNU "
        "gettext is installed, otherwise in pure Python (polib)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile every catalogue.")

    def handle(self, *args, force, **options):
        try:
            compiled = catalogues.compile_all(force=force)
        except catalogues.CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        if compiled and options["verbosity"] > 0:
            self.stdout.write(f"Compiled {len(compiled)} translation catalogue(s).")
