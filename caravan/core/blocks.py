"""StreamField blocks shared by every page body: the anatomy of the reference news page
(sections, figures with captions, a timeline, a "Did you know?" box) and a little more.

Every block names its icon, its template under ``templates/blocks/``, a description for
the block picker and a preview value for the admin's block preview."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

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
