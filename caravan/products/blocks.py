"""StreamField blocks of the product page: the rich description, the specification
rows, the trade terms and the certifications.

Specifications, trade terms and certifications are StreamFields rather than child models
so that a product is read in one row (no query per row) and so that wagtail-localize can
offer every name and value for translation when more languages arrive."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from caravan.core.blocks import (
    CalloutBlock,
    CaravanTableBlock,
    FigureBlock,
    HeadingBlock,
    ParagraphBlock,
)

from .wording import INCOTERM_NAMES, INCOTERMS


class ProductDescriptionBlock(blocks.StreamBlock):
    """The product's long description: text, figures and tables (the shared blocks)."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    figure = FigureBlock()
    table = CaravanTableBlock()
    callout = CalloutBlock()


class SpecificationBlock(blocks.StructBlock):
    """One row of the specification table: what is measured, its value and its unit."""

    name = blocks.CharBlock(
        label=_("specification"), max_length=120, help_text=_("e.g. Nominal pressure")
    )
    value = blocks.CharBlock(label=_("value"), max_length=200, help_text=_("e.g. 1.6 or 16–40"))
    unit = blocks.CharBlock(
        label=_("unit"), max_length=40, required=False, help_text=_("e.g. MPa, mm, °C")
    )

    class Meta:
        icon = "list-ul"
        template = "blocks/specification_block.html"
        label = _("Specification")
        description = _("A row of the specification table: name, value and unit.")
        preview_value = {"name": "Nominal pressure", "value": "1.6", "unit": "MPa"}


class SpecificationGroupBlock(blocks.CharBlock):
    """A sub-heading inside the specification table, e.g. “Materials”."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 120)
        super().__init__(**kwargs)

    class Meta:
        icon = "title"
        template = "blocks/specification_group_block.html"
        label = _("Group heading")
        description = _("A heading that groups the rows below it, e.g. “Materials”.")
        preview_value = "Materials"


class SpecificationsBlock(blocks.StreamBlock):
    group = SpecificationGroupBlock()
    spec = SpecificationBlock()


class TradeTermBlock(blocks.StructBlock):
    """An Incoterm and its named place, e.g. FOB Qingdao or DAP Almaty."""

    incoterm = blocks.ChoiceBlock(label=_("Incoterm"), choices=INCOTERMS)
    place = blocks.CharBlock(
        label=_("named place or port"), max_length=100, help_text=_("e.g. Qingdao, Almaty")
    )

    class Meta:
        icon = "site"
        template = "blocks/trade_term_block.html"
        label = _("Trade term")
        description = _("An Incoterm with its port or place, e.g. FOB Qingdao.")
        preview_value = {"incoterm": "FOB", "place": "Qingdao"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["incoterm_name"] = INCOTERM_NAMES.get(value.get("incoterm"), "")
        return context


class TradeTermsBlock(blocks.StreamBlock):
    term = TradeTermBlock()


class CertificationBlock(blocks.StructBlock):
    """A certificate or approval the product holds, optionally with its scan."""

    name = blocks.CharBlock(label=_("certification"), max_length=120, help_text=_("e.g. CE (PED)"))
    detail = blocks.CharBlock(
        label=_("detail"),
        max_length=250,
        required=False,
        help_text=_("Standard, certificate number or issuing body."),
    )
    document = DocumentChooserBlock(
        label=_("certificate document"),
        required=False,
        help_text=_("Optional: the certificate itself, for buyers to download."),
    )

    class Meta:
        icon = "success"
        template = "blocks/certification_block.html"
        label = _("Certification")
        description = _("A certificate or approval, with an optional downloadable copy.")
        preview_value = {"name": "ISO 9001:2015", "detail": "Quality management system"}


class CertificationsBlock(blocks.StreamBlock):
    certification = CertificationBlock()
