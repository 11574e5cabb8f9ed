from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotationsConfig(AppConfig):
    """Quotations made from leads: their lines and terms, numbering and revisions, the
    PDFs (quotation, proforma invoice), the e-mail to the buyer and the buyer's page."""

    name = "caravan.quotations"
    label = "quotations"
    verbose_name = _("Quotations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from caravan.inquiries.privacy import register_contact_data

        from . import checks, jobs  # noqa: F401  (registers the system check, periodic jobs)
        from .privacy import erase_quotations, export_quotations

        # A contact's quotations in the inbox's "export" and "erase" (inquiries/privacy.py).
        register_contact_data("quotations", export=export_quotations, erase=erase_quotations)
