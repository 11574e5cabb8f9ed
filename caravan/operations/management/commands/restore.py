from django.core.management.base import BaseCommand, CommandError

from caravan.operations import backup


class Command(BaseCommand):
    """Bring an installation back from a `manage.py backup` archive: migrate, load every
    row, put back every media file and rebuild the search index."""

    help = (
        "Restore a backup archive into an empty installation (migrates first). Refuses "
        "an installation with content unless --force, which replaces everything."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A .tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the content of an installation that is not empty.",
        )

    def handle(self, *args, archive, force, **options):
        try:
            manifest = backup.restore_backup(archive, force=force, stdout=self.stdout)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Restored {archive}")
            + f"  (backup of {manifest['created_at']}, {manifest['database']['vendor']})"
        )
