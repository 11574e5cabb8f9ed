from django.core.management.base import BaseCommand, CommandError

from caravan.core import catalogues


class Command(BaseCommand):
    requires_system_checks = []
    help = (
        "Extract the visitor-facing strings into caravan/locale/<locale>/LC_MESSAGES/"
        "django.po for every interface language (Django's makemessages; needs GNU gettext)."
    )

    def handle(self, *args, **options):
        if not catalogues.gettext_tools_available():
            raise CommandError(
                "GNU gettext is not installed (xgettext, msgmerge): install it, e.g. "
                "`apt-get install gettext`, then run this again."
            )
        catalogues.update(stdout=self.stdout)
