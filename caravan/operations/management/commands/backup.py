from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from caravan.operations import backup


class Command(BaseCommand):
    """Write a consistent backup of the installation (database and media) into one
    archive, to keep off the machine; `manage.py restore` brings it back."""

    help = (
        "Write the database (a consistent snapshot) and every media file into one "
        ".tar.gz archive; print where it went."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="Archive path (default: var/backups/caravan-backup-<UTC time>.tar.gz).",
        )

    def handle(self, *args, output, **options):
        path = output or backup.default_archive_path(settings.VAR_DIR / "backups")
        try:
            manifest = backup.write_backup(path, stdout=self.stdout)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Backup written: {path}")
            + f"  ({sum(manifest['objects'].values())} rows, {manifest['media']['files']} media files)"
        )
