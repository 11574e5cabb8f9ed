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
        from . import checks, jobs  # noqa: F401  (registers the system check, periodic jobs)
