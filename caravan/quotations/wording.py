"""Words of the quotation that the buyer reads and that the models need: the units of
the lines and the currencies, kept apart from the admin's field labels in models.py so
that what buyers read is found in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    PIECES = "pcs", _("pieces")
    SETS = "sets", _("sets")
    METRES = "m", _("metres")
    SQUARE_METRES = "m2", _("square metres")
    KILOGRAMS = "kg", _("kilograms")
    TONNES = "t", _("tonnes")
    LITRES = "l", _("litres")
    CARTONS = "ctn", _("cartons")
    PALLETS = "plt", _("pallets")
    CONTAINERS = "ctr", _("containers")


class Incoterm(models.TextChoices):
    """Incoterms® 2020; the codes are the same in every language."""

    EXW = "EXW", "EXW – Ex Works"
    FCA = "FCA", "FCA – Free Carrier"
    CPT = "CPT", "CPT – Carriage Paid To"
    CIP = "CIP", "CIP – Carriage and Insurance Paid To"
    DAP = "DAP", "DAP – Delivered at Place"
    DPU = "DPU", "DPU – Delivered at Place Unloaded"
    DDP = "DDP", "DDP – Delivered Duty Paid"
    FAS = "FAS", "FAS – Free Alongside Ship"
    FOB = "FOB", "FOB – Free on Board"
    CFR = "CFR", "CFR – Cost and Freight"
    CIF = "CIF", "CIF – Cost, Insurance and Freight"


# ISO 4217 codes an exporter quotes in, with their minor units (decimal places): totals
# are rounded to these.
CURRENCY_DECIMALS = {
    "USD": 2,
    "EUR": 2,
    "CNY": 2,
    "GBP": 2,
    "RUB": 2,
    "AED": 2,
    "SAR": 2,
    "KZT": 2,
    "INR": 2,
    "TRY": 2,
    "BRL": 2,
    "MXN": 2,
    "AUD": 2,
    "CAD": 2,
    "CHF": 2,
    "HKD": 2,
    "SGD": 2,
    "JPY": 0,
    "KRW": 0,
    "VND": 0,
    "KWD": 3,
    "BHD": 3,
    "OMR": 3,
}
CURRENCY_CHOICES = [(code, code) for code in CURRENCY_DECIMALS]
