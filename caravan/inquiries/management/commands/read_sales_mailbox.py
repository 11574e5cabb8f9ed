import imaplib

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from caravan.inquiries import mailbox
from caravan.inquiries.models import LeadMessage


class Command(BaseCommand):
    """Read the sales mailbox now, as the periodic job does every minute: for an operator
    checking INBOUND_IMAP_URL. Nothing in the mailbox changes; nothing is attached twice."""

    help = "Read the sales mailbox (INBOUND_IMAP_URL) and attach new e-mails to their leads."

    def handle(self, *args, **options):
        try:
            count = mailbox.poll()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        except (OSError, imaplib.IMAP4.error) as exc:
            raise CommandError(f"Could not read the sales mailbox: {exc}") from exc
        if count is None:
            self.stdout.write("INBOUND_IMAP_URL is not set: there is no mailbox to read.")
            return
        waiting = LeadMessage.objects.unmatched().count()
        self.stdout.write(f"Stored {count} new e-mail(s); {waiting} wait to be attached by hand.")
