"""Visitor-facing words the inquiry models need (kept out of models.py, whose strings are
the admin's and are not extracted into the site's catalogues)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    """The units a buyer can ask in (the inquiry basket and the inquiry page use them)."""

    PIECE = "piece", _("pieces")
    SET = "set", _("sets")
    PAIR = "pair", _("pairs")
    BOX = "box", _("boxes")
    CARTON = "carton", _("cartons")
    METRE = "metre", _("metres")
    SQUARE_METRE = "square_metre", _("square metres")
    KILOGRAM = "kilogram", _("kilograms")
    TONNE = "tonne", _("tonnes")
    LITRE = "litre", _("litres")
    CONTAINER_20 = "container_20", _("20′ containers")
    CONTAINER_40 = "container_40", _("40′ containers")
    OTHER = "other", _("other (see note)")
