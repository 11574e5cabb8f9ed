"""StreamField blocks shared by every page body: the anatomy of the reference news page
(sections, figures with captions, a timeline, a "Did you know?" box) and a little more.

Every block names its icon, its template under ``templates/blocks/``, a description for
the block picker and a preview value for the admin's block preview."""

import json
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from .countries import territory_choices, territory_name

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; h2 for sections, h3 for sub-sections."""

    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section (h2)")), ("h3", _("Sub-section (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        description = _("A section or sub-section heading.")
        preview_value = {"text": "Shipping by rail to Almaty", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    """Running text with links, lists and bold/italic."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        label = _("Text")
        description = _("Paragraphs of text, with links and lists.")
        preview_value = (
            "<p>Every valve leaves the works with its own pressure-test record, "
            "signed by the inspector who ran the test.</p>"
        )


def _figure_preview():
    """The newest image that has alt text, so the block picker previews a real figure."""
    from wagtail.images import get_image_model

    image = get_image_model().objects.exclude(description="").order_by("-created_at").first()
    return {
        "image": image,
        "caption": "Each valve is pressure-tested before it is painted.",
        "credit": "Test bay",
    }


class FigureBlock(blocks.StructBlock):
    """An image in the text with its alt text, caption and credit."""

    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alt text"),
        required=False,
        max_length=255,
        help_text=_("Describe the picture; the image's own alt text is used if empty."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)
    credit = blocks.CharBlock(label=_("credit"), required=False, max_length=150)

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"
        label = _("Figure")
        description = _("An image with a caption and credit.")
        preview_value = staticmethod(_figure_preview)

    def clean(self, value):
        value = super().clean(value)
        image = value.get("image")
        if image and not (value.get("alt_text") or image.description).strip():
            raise blocks.StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _("Describe this image for people who cannot see it.")
                    )
                }
            )
        return value


class QuoteBlock(blocks.StructBlock):
    """A quotation with who said it."""

    text = blocks.TextBlock(label=_("quotation"), max_length=1000)
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=150)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quote")
        description = _("A quotation and who said it.")
        preview_value = {
            "text": "The meters arrived calibrated and the paperwork was in Russian.",
            "attribution": "Procurement engineer, Novosibirsk",
        }


class CalloutBlock(blocks.StructBlock):
    """A box that sets a fact apart from the text, such as “Did you know?”."""

    title = blocks.CharBlock(label=_("title"), max_length=100, default=_("Did you know?"))
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "help"
        template = "blocks/callout_block.html"
        label = _("Callout")
        description = _("A highlighted box such as “Did you know?”.")
        preview_value = {
            "title": "Did you know?",
            "text": "<p>A container train from Xi'an reaches Almaty in about six days.</p>",
        }


class TimelineEntryBlock(blocks.StructBlock):
    date_label = blocks.CharBlock(
        label=_("date"), max_length=40, help_text=_("e.g. 2019, or May 2024")
    )
    text = blocks.CharBlock(label=_("event"), max_length=300)


class TimelineBlock(blocks.StructBlock):
    """Dated events in order, rendered as an ordered list."""

    title = blocks.CharBlock(label=_("title"), required=False, max_length=150)
    entries = blocks.ListBlock(TimelineEntryBlock(), label=_("entries"), min_num=1)

    class Meta:
        icon = "date"
        template = "blocks/timeline_block.html"
        label = _("Timeline")
        description = _("A list of dated events, oldest first.")
        preview_value = {
            "title": "Milestones",
            "entries": [
                {"date_label": "2009", "text": "First valve line opens."},
                {"date_label": "2016", "text": "First rail shipment to Kazakhstan."},
            ],
        }


class CaravanTableBlock(TableBlock):
    """A table of text with an optional header row and caption."""

    class Meta:
        icon = "table"
        template = "blocks/table_block.html"
        label = _("Table")
        description = _("A table with a header row and a caption.")
        preview_value = {
            "first_row_is_table_header": True,
            "data": [["Size", "Pressure"], ["DN50", "PN16"], ["DN100", "PN40"]],
            "table_caption": "Ratings",
        }


class VideoValue(blocks.StructValue):
    """A video link's value, with the host name a visitor is sent to."""

    def host(self):
        host = urlsplit(self.get("url") or "").hostname or ""
        return host.removeprefix("www.")


class VideoBlock(blocks.StructBlock):
    """A video hosted elsewhere (YouTube, Vimeo, Youku...), shown as a poster that links
    to it: the page itself makes no request to the video host, which some buyers'
    networks block."""

    url = blocks.URLBlock(label=_("video URL"))
    title = blocks.CharBlock(label=_("title"), max_length=200)
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        value_class = VideoValue
        label = _("Video")
        description = _("A link to a video, shown with a poster image and a caption.")
        preview_value = {
            "url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "title": "Pressure test of a DN200 gate valve",
            "caption": "Hydrostatic shell test at 1.5 times the rated pressure.",
        }


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every page body may use."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    figure = FigureBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()
    timeline = TimelineBlock()
    table = CaravanTableBlock()
    video = VideoBlock()


class SocialLinkBlock(blocks.StructBlock):
    """A link to the company's page on a social network."""

    label = blocks.CharBlock(label=_("network"), max_length=40, help_text=_("e.g. LinkedIn"))
    url = blocks.URLBlock(label=_("address"))

    class Meta:
        icon = "link"
        label = _("Social link")
        template = "blocks/social_link_block.html"
        description = _("A link to the company on a social network.")
        preview_value = {"label": "LinkedIn", "url": "https://www.linkedin.com/"}


# The sections of a home or landing page. Blocks that show products, categories,
# certificates or news name those models by string and render through the template tags
# of their apps: core imports no feature app (README, “Layout”).


class HeroBlock(blocks.StructBlock):
    """The page's opening: its main heading (the page's h1), a sentence, a picture and
    one button."""

    heading = blocks.CharBlock(label=_("heading"), max_length=200)
    text = blocks.TextBlock(label=_("text"), required=False, max_length=600)
    image = ImageChooserBlock(label=_("image"), required=False)
    button_label = blocks.CharBlock(label=_("button label"), required=False, max_length=60)
    button_page = blocks.PageChooserBlock(label=_("button links to"), required=False)

    class Meta:
        icon = "pick"
        template = "blocks/hero_block.html"
        label = _("Hero")
        description = _("The page's main heading with a sentence, a picture and a button.")
        preview_value = {
            "heading": "Valves that arrive ready to install",
            "text": "Tested one by one and shipped by rail across Eurasia.",
        }

    def clean(self, value):
        value = super().clean(value)
        image = value.get("image")
        if image is not None and not (image.description or "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={
                    "image": ValidationError(
                        _("This image has no alt text; describe it in the image's “Alt text”.")
                    )
                }
            )
        return value


class TrustFigureBlock(blocks.StructBlock):
    number = blocks.CharBlock(label=_("figure"), max_length=20, help_text=_("e.g. 16, 40,000 m²"))
    label = blocks.CharBlock(label=_("what it counts"), max_length=80, help_text=_("e.g. years"))


class TrustStripBlock(blocks.StructBlock):
    """The figures a buyer weighs a supplier by: years in business, factory area, staff,
    export countries."""

    figures = blocks.ListBlock(TrustFigureBlock(), label=_("figures"), min_num=1, max_num=6)

    class Meta:
        icon = "list-ul"
        template = "blocks/trust_strip_block.html"
        label = _("Trust strip")
        description = _("Figures such as years in business, factory area, staff, markets.")
        preview_value = {
            "figures": [
                {"number": "16", "label": "years making valves"},
                {"number": "240", "label": "people"},
            ]
        }


class SectionBlock(blocks.StructBlock):
    """A section with an optional heading; an empty heading shows the section's usual
    name in the visitor's language."""

    def drafted_inputs(self, value, page):
        """What the section shows of `page` beyond its own value (a draft's, in a
        preview): nothing; `body_block_key` names the section by its value and this."""
        return ()

    title = blocks.CharBlock(
        label=_("heading"),
        required=False,
        max_length=150,
        help_text=_("Leave empty for the usual heading of this section."),
    )


class CertificatesBlock(SectionBlock):
    """The company's certificates: those chosen, or every valid one. An expired
    certificate disappears by itself; with none left, the section is not shown."""

    show = blocks.ChoiceBlock(
        label=_("which certificates"),
        choices=[("all", _("All valid certificates")), ("chosen", _("Those chosen below"))],
        default="all",
    )
    certificates = blocks.ListBlock(
        SnippetChooserBlock("products.Certificate"), label=_("certificates"), required=False
    )
    detailed = blocks.BooleanBlock(
        label=_("with details"),
        required=False,
        help_text=_("Show issuer, number, scope and dates (for a certificates page)."),
    )

    class Meta:
        icon = "success"
        template = "blocks/certificates_block.html"
        label = _("Certificates")
        description = _("Certificates from Snippets › Certificates; expired ones are hidden.")
        preview_value = {"show": "all"}


class StandardStreamBlock(BaseStreamBlock):
    """A text page's body: the shared blocks, and the certificates (an “About /
    Certificates” page)."""

    certificates = CertificatesBlock()


class FeaturedCategoriesBlock(SectionBlock):
    """Product categories to browse; empty: every category that holds products."""

    categories = blocks.ListBlock(
        SnippetChooserBlock("products.ProductCategory"), label=_("categories"), required=False
    )

    class Meta:
        icon = "tag"
        template = "blocks/featured_categories_block.html"
        label = _("Product categories")
        description = _("Links to product categories; all of them if none is chosen.")
        preview_value = {}


class FeaturedProductsBlock(SectionBlock):
    """Product cards; empty: the products featured on the home page (its Featured
    products panel)."""

    def drafted_inputs(self, value, page):
        if value.get("products"):
            return ()
        rows = getattr(page, "featured_products", None)
        return tuple(row.product_id for row in rows.all()) if rows is not None else ()

    products = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="products.ProductPage"),
        label=_("products"),
        required=False,
        max_num=12,
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/featured_products_block.html"
        label = _("Featured products")
        description = _("Product cards; the home page's featured products if none is chosen.")
        preview_value = {}


class FactoryBlock(SectionBlock):
    """The factory shown: a picture and a few sentences, and a video if there is one."""

    text = blocks.RichTextBlock(label=_("text"), required=False, features=["bold", "link", "ul"])
    image = ImageChooserBlock(label=_("image"), required=False)
    video_url = blocks.URLBlock(label=_("video URL"), required=False)
    video_title = blocks.CharBlock(label=_("video title"), required=False, max_length=200)

    class Meta:
        icon = "media"
        template = "blocks/factory_block.html"
        label = _("Factory or video")
        description = _("A picture of the factory with text, and a link to a video.")
        preview_value = {
            "title": "Our works",
            "text": "<p>Foundry, machine shop and test bay on one site.</p>",
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        if value.get("video_url"):
            context["video"] = VideoValue(
                VideoBlock(),
                [
                    ("url", value["video_url"]),
                    ("title", value.get("video_title") or value.get("title") or ""),
                    ("poster", None),  # the section shows the picture itself
                    ("caption", ""),
                ],
            )
        return context


class TerritoryBlock(blocks.ChoiceBlock):
    """One country or region, stored as its code. Wagtail's ChoiceBlock matches every
    stored value against its whole list of choices (about 300 here, rebuilt for each
    value) to restore the key's type; a territory code is always a string, so reading
    a page's places costs nothing per place."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", territory_choices)
        kwargs.setdefault("label", _("country or region"))
        super().__init__(**kwargs)

    def normalize_choice(self, value):
        return value if value is None else str(value)


class MarketsBlock(SectionBlock):
    """Where the company sells, named in the visitor's language."""

    text = blocks.TextBlock(label=_("text"), required=False, max_length=400)
    places = blocks.ListBlock(
        TerritoryBlock(),
        label=_("countries and regions"),
        required=False,
    )

    class Meta:
        icon = "site"
        template = "blocks/markets_block.html"
        label = _("Markets served")
        description = _("The countries and regions you export to.")
        preview_value = {"places": ["KZ", "UZ", "RU", "BY"]}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["place_names"] = [territory_name(code) for code in value.get("places") or []]
        return context


class CustomerLogoBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("customer"), max_length=120)
    logo = ImageChooserBlock(label=_("logo"), required=False)
    url = blocks.URLBlock(label=_("address"), required=False)


class CustomersBlock(SectionBlock):
    """Customers who agreed to be named, with their logos."""

    customers = blocks.ListBlock(CustomerLogoBlock(), label=_("customers"), required=False)

    class Meta:
        icon = "group"
        template = "blocks/customers_block.html"
        label = _("Customers")
        description = _("Logos or names of customers.")
        preview_value = {"customers": [{"name": "Steppe Water Utility"}]}


class LatestNewsBlock(SectionBlock):
    """The newest articles of the news section."""

    count = blocks.IntegerBlock(label=_("how many"), default=3, min_value=1, max_value=6)

    class Meta:
        icon = "doc-empty"
        template = "blocks/latest_news_block.html"
        label = _("Latest news")
        description = _("The newest articles.")
        preview_value = {"count": 3}


class InquiryCallBlock(blocks.StructBlock):
    """The closing invitation to send an inquiry."""

    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=150)
    text = blocks.TextBlock(label=_("text"), required=False, max_length=400)

    class Meta:
        icon = "mail"
        template = "blocks/inquiry_call_block.html"
        label = _("Call to inquiry")
        description = _("An invitation to send an inquiry, with the inquiry button.")
        preview_value = {"heading": "Tell us what you need"}


def body_block_key(bound_block, page):
    """A name for the markup of one block of a page's body made of what it shows: its
    type, its stored value and what else of the page it reads (`drafted_inputs`). Two
    drafts, or a draft and the published page, with the same block share its markup."""
    block = bound_block.block
    stored = json.dumps(block.get_prep_value(bound_block.value), sort_keys=True, default=str)
    drafted = getattr(block, "drafted_inputs", None)
    return (bound_block.block_type, stored, drafted(bound_block.value, page) if drafted else ())


class SectionsStreamBlock(BaseStreamBlock):
    """A home or landing page's body: the shared blocks and the sections that sell."""

    hero = HeroBlock()
    trust_strip = TrustStripBlock()
    certificates = CertificatesBlock()
    categories = FeaturedCategoriesBlock()
    products = FeaturedProductsBlock()
    factory = FactoryBlock()
    markets = MarketsBlock()
    customers = CustomersBlock()
    news = LatestNewsBlock()
    inquiry = InquiryCallBlock()

    SECTION_TYPES = frozenset(
        ["hero", "trust_strip", "certificates", "categories", "products", "factory"]
        + ["markets", "customers", "news", "inquiry"]
    )
