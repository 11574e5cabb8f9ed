"""Words of the catalogue that visitors read, kept out of models.py and blocks.py.

models.py and blocks.py hold the admin's field labels and help texts; a visitor-facing
string that a model or block needs lives here, so that what visitors read is found in one
place (both are in the interface catalogues, caravan/core/catalogues.py)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# Incoterms® 2020: what the seller delivers, where the risk passes to the buyer.
INCOTERM_NAMES = {
    "EXW": _("Ex Works"),
    "FCA": _("Free Carrier"),
    "CPT": _("Carriage Paid To"),
    "CIP": _("Carriage and Insurance Paid To"),
    "DAP": _("Delivered at Place"),
    "DPU": _("Delivered at Place Unloaded"),
    "DDP": _("Delivered Duty Paid"),
    "FAS": _("Free Alongside Ship"),
    "FOB": _("Free on Board"),
    "CFR": _("Cost and Freight"),
    "CIF": _("Cost, Insurance and Freight"),
}
INCOTERMS = [(code, format_lazy("{} – {}", code, name)) for code, name in INCOTERM_NAMES.items()]

# The label above a search result (search_result_kind).
CATALOGUE_KIND = _("Catalogue")
PRODUCT_KIND = _("Product")

# Why a catalogue address answers “Page not found”.
NO_SUCH_PRODUCT_PAGE = _("No such page of products.")
NO_SUCH_CATEGORY = _("No such product category.")
