from django.core.management.base import BaseCommand

from caravan.inquiries import delivery
from caravan.inquiries.models import Inquiry


class Command(BaseCommand):
    """Send the undelivered e-mails of inquiries now, including those given up on after
    the retry period: for an operator who has just fixed the mail settings. Safe to run
    any time: each e-mail is still sent only once."""

    help = (
        "Enqueue delivery now for inquiries whose notification or confirmation is not "
        "delivered (all of them, or the given references)."
    )

    def add_arguments(self, parser):
        parser.add_argument("references", nargs="*", help="e.g. Q-7KD4-2M (default: all)")

    def handle(self, *args, references, **options):
        inquiries = Inquiry.objects.all()
        if references:
            inquiries = inquiries.filter(reference__in=[r.strip().upper() for r in references])
        count = delivery.rearm(inquiries)
        self.stdout.write(f"Enqueued delivery for {count} inquiry(ies).")
