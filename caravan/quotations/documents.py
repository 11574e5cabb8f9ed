"""The quotation and the proforma invoice as PDF documents in the buyer's language,
rendered from HTML templates by WeasyPrint. WeasyPrint lays text out with Pango, and the
fonts come from the system: Debian's Noto fonts cover Latin, Cyrillic, Arabic (right to
left) and Chinese (fonts-noto-core, fonts-noto-cjk)."""

import base64
import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from caravan.inquiries.emails import company_for

logger = logging.getLogger(__name__)
# WeasyPrint logs every step of every document at INFO; only its warnings matter here.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-noto-cjk"
MISSING = (
    "PDF documents need WeasyPrint and Debian's Pango and Noto fonts: "
    f"apt-get install -y {DEBIAN_PACKAGES}"
)


class PdfUnavailableError(RuntimeError):
    """WeasyPrint cannot run here (Pango is missing)."""


def weasyprint_problem():
    """Why PDFs cannot be made on this machine, or None."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"{MISSING} ({type(exc).__name__}: {exc})"
    return None


def logo_data_uri(company):
    """The company's logo as a data: URI (a rendition, read through the storage, so it
    works with files on disk and on S3 alike), or ""."""
    if not company.logo_id:
        return ""
    try:
        rendition = company.logo.get_rendition("max-480x160|format-png")
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except Exception:  # a missing file leaves the logo out, not the PDF
        logger.warning("Company logo could not be read for a PDF", exc_info=True)
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _render(template, quotation, title):
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise PdfUnavailableError(MISSING) from exc
    language = quotation.language or settings.LANGUAGE_CODE
    company = company_for(quotation.inquiry)
    lines = list(quotation.lines.select_related("product"))
    for line in lines:
        line.amount_value = line.amount(quotation.currency)
    with translation.override(language):
        context = {
            "quotation": quotation,
            "lines": lines,
            "company": company.localized(language),
            "logo": logo_data_uri(company),
            "title": title,
            "bidi": translation.get_language_bidi(),
            "language": language,
            "previous": quotation.previous_revision(),
        }
        html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def quotation_pdf(quotation):
    with translation.override(quotation.language or settings.LANGUAGE_CODE):
        title = translation.gettext("Quotation")
    return _render("quotations/pdf/quotation.html", quotation, title)


def proforma_pdf(quotation):
    with translation.override(quotation.language or settings.LANGUAGE_CODE):
        title = translation.gettext("Proforma invoice")
    return _render("quotations/pdf/proforma.html", quotation, title)
