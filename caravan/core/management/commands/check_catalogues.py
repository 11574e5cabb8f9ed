from django.core.management.base import BaseCommand, CommandError

from caravan.core import catalogues


class Command(BaseCommand):
    requires_system_checks = []
    help = (
        "Fail when an interface catalogue has an untranslated or fuzzy entry, wrong plural "
        "forms or placeholders, or (where GNU gettext is installed) is out of date with the "
        "source strings."
    )

    def handle(self, *args, **options):
        report = catalogues.check()
        for note in report.notes:
            self.stdout.write(note)
        if not report.ok:
            raise CommandError(
                f"{len(report.problems)} problem(s) in the catalogues:\n"
                + "\n".join(report.problems)
            )
        self.stdout.write("The interface catalogues are complete.")
