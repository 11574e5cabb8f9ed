"""Models every part of the site shares: users, images, the company profile and the
page types of the site's frame (home, text pages, contact)."""

import copy

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index

from . import brand, textsearch
from .blocks import BaseStreamBlock, SectionsStreamBlock, SocialLinkBlock, StandardStreamBlock
from .shared import keeping as shared_lookups
from .shared import shared


class CaravanImage(AbstractImage):
    """An uploaded picture. Its description is the alt text read out to people who
    cannot see it; pages that show an image require it."""

    description = models.CharField(
        _("alt text"),
        max_length=255,
        blank=True,
        default="",
        help_text=_(
            "Describe the picture for people who cannot see it. Required where the image "
            "is shown on a page."
        ),
    )

    admin_form_fields = Image.admin_form_fields

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")

    @property
    def alt(self):
        return self.description or self.title


class CaravanRendition(AbstractRendition):
    """A resized, re-encoded copy of a CaravanImage (WebP, AVIF, JPEG at several widths)."""

    image = models.ForeignKey(CaravanImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


def require_alt_text(image, field_name):
    """Raise a form error on `field_name` when an image that will be shown has no alt text."""
    if image is not None and not (image.description or "").strip():
        raise ValidationError(
            {
                field_name: _(
                    "This image has no alt text. Edit the image and describe it in "
                    "“Alt text” so that people who cannot see it know what it shows."
                )
            }
        )


class BasePage(Page):
    """What every public page shares: social sharing fields and the fields used when the
    page is listed elsewhere (cards, search results, feeds)."""

    social_image = models.ForeignKey(
        "core.CaravanImage",
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared (OpenGraph, Twitter). 1200×630 works best."),
    )
    listing_title = models.CharField(
        _("listing title"),
        max_length=255,
        blank=True,
        help_text=_("Shorter title for cards and lists; the page title is used if empty."),
    )
    listing_summary = models.TextField(
        _("listing summary"),
        max_length=400,
        blank=True,
        help_text=_("One or two sentences for cards, search results and the meta description."),
    )
    listing_image = models.ForeignKey(
        "core.CaravanImage",
        verbose_name=_("listing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    promote_panels = [
        MultiFieldPanel(Page.promote_panels, _("Common page configuration")),
        MultiFieldPanel(
            [
                FieldPanel("listing_title"),
                FieldPanel("listing_summary"),
                FieldPanel("listing_image"),
            ],
            _("When this page is listed"),
        ),
        FieldPanel("social_image"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("listing_summary"),
        index.SearchField("search_text"),
    ]
    # Site search lists products first, then news, then every other page (lower first).
    search_group = 2

    class Meta:
        abstract = True

    def search_text(self):
        """Every indexed text of the page as the search words of its language
        (caravan.core.textsearch): Chinese in character pairs, words stemmed, Arabic
        normalised, model numbers in parts. The search view analyses queries alike."""
        return textsearch.page_words(textsearch.indexed_text(self), self.locale.language_code)

    def clean(self):
        super().clean()
        require_alt_text(self.listing_image, "listing_image")
        require_alt_text(self.social_image, "social_image")

    # While a batch of public files is rendered, or pages are served to anonymous
    # visitors (caravan/core/shared.py), what Wagtail would look up again for every page
    # that links to or shows this one.

    def get_url_parts(self, request=None):
        """(site id, root URL, page path), computed once per page in a batch: a page's
        address is asked for by every page that links to it (menus, breadcrumbs, cards),
        and Wagtail resolves it through the URL configuration each time."""
        if not shared_lookups() or not self.pk:
            return super().get_url_parts(request)
        parts = super().get_url_parts
        return shared(("url_parts", self.pk, self.url_path), lambda: parts(request))

    def get_view_restrictions(self):
        """Wagtail checks these before serving a page; in a batch of public files, a
        site with no restriction at all is asked once instead of for every page."""
        from wagtail.models import PageViewRestriction

        if shared_lookups() and not shared(
            ("any_view_restriction",), PageViewRestriction.objects.exists
        ):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    # What templates and structured data read; each page type may refine them.

    @property
    def display_title(self):
        return self.listing_title or self.title

    @property
    def meta_description(self):
        return self.search_description or self.listing_summary

    @property
    def card_image(self):
        return self.listing_image

    @property
    def share_image(self):
        return self.social_image or self.card_image


class HomePage(BasePage):
    """The site's front page: the hero of its fields, then the sections the editors
    arrange in its body (trust strip, certificates, products, news...). With an empty
    body it shows the featured products and the latest news; a hero section in the body
    takes the place of the hero fields."""

    hero_heading = models.CharField(_("hero heading"), max_length=200)
    hero_text = models.TextField(_("hero text"), blank=True, max_length=600)
    hero_image = models.ForeignKey(
        "core.CaravanImage",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_label = models.CharField(_("hero button label"), max_length=60, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("hero button links to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(
        SectionsStreamBlock(),
        verbose_name=_("sections"),
        blank=True,
        help_text=_(
            "The page's sections in order. Left empty, the page shows the featured "
            "products and the latest news."
        ),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_label"),
                FieldPanel("hero_cta_page"),
            ],
            _("Hero"),
        ),
        # The rows are products.HomePageFeaturedProduct (defined by the products app).
        InlinePanel(
            "featured_products", heading=_("Featured products"), label=_("Product"), max_num=8
        ),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("hero_text")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def clean(self):
        super().clean()
        require_alt_text(self.hero_image, "hero_image")

    @property
    def card_image(self):
        return self.listing_image or self.hero_image

    @property
    def hero_section(self):
        """The body's hero section, which replaces the hero fields, if there is one."""
        return next((block for block in self.body if block.block_type == "hero"), None)


class LandingPage(BasePage):
    """A page built from sections alone, such as a campaign or a market's own page
    (“Valves for Kazakhstan”): the same sections as the home page."""

    body = StreamField(SectionsStreamBlock(), verbose_name=_("sections"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["core.HomePage", "core.StandardPage", "core.LandingPage"]
    subpage_types = ["core.StandardPage", "core.LandingPage"]

    class Meta:
        verbose_name = _("landing page")

    @property
    def hero_section(self):
        return next((block for block in self.body if block.block_type == "hero"), None)


class StandardPage(BasePage):
    """Any page of text: About, Privacy, terms, a landing page."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(StandardStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["core.HomePage", "core.StandardPage", "core.LandingPage"]
    subpage_types = ["core.StandardPage", "core.LandingPage"]

    class Meta:
        verbose_name = _("standard page")


class ContactPage(BasePage):
    """How to reach the company: its contact details, a map-free address and the
    inquiry form."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        HelpPanel(
            _(
                "The company's e-mail, phone, address and hours come from Settings › "
                "Company profile and are shown on this page automatically."
            )
        ),
        FieldPanel("body"),
    ]

    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("contact page")


def validate_email_list(value):
    for address in split_addresses(value):
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValidationError(
                _("“%(address)s” is not a valid e-mail address."), params={"address": address}
            ) from exc


def split_addresses(value):
    return [a.strip() for a in (value or "").replace(";", ",").split(",") if a.strip()]


@register_setting(icon="site")
class CompanyProfile(BaseSiteSetting):
    """Who the supplier is and how buyers reach them; shown in the header, the footer
    and the contact panel of every page."""

    name = models.CharField(_("company name"), max_length=150, default="")
    logo = models.ForeignKey(
        "core.CaravanImage",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    sales_emails = models.CharField(
        _("sales e-mail addresses"),
        max_length=500,
        blank=True,
        validators=[validate_email_list],
        help_text=_(
            "Inquiries are sent here. Separate several addresses with commas; the first "
            "one is shown to visitors."
        ),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    whatsapp = models.CharField(
        _("WhatsApp number"),
        max_length=40,
        blank=True,
        help_text=_("In international format, e.g. +86 29 0000 0000."),
    )
    wechat_id = models.CharField(_("WeChat ID"), max_length=60, blank=True)
    address = models.TextField(_("address"), blank=True)
    business_hours = models.CharField(_("business hours"), max_length=200, blank=True)
    reply_time = models.CharField(
        _("typical reply time"),
        max_length=100,
        blank=True,
        help_text=_("Shown to buyers after they send an inquiry, e.g. “within one business day”."),
    )
    social_links = StreamField(
        [("link", SocialLinkBlock())], verbose_name=_("social links"), blank=True
    )
    bank_details = models.TextField(
        _("bank details"),
        blank=True,
        help_text=_(
            "Printed on proforma invoices: beneficiary, bank name and address, account "
            "number or IBAN, SWIFT/BIC."
        ),
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default=brand.DEFAULTS["primary_colour"],
        validators=[brand.validate_colour],
        help_text=_("Links, buttons and the menu's marks; shown on white."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=brand.DEFAULTS["accent_colour"],
        validators=[brand.validate_colour],
        help_text=_("The “Send inquiry” buttons."),
    )
    on_brand_colour = models.CharField(
        _("text on the primary and accent colours"),
        max_length=7,
        default=brand.DEFAULTS["on_brand_colour"],
        validators=[brand.validate_colour],
        help_text=_("Usually white."),
    )
    font = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("font"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Optional: a WOFF2 font file (upload it under Documents) for all text on the "
            "site. Served from this site; without one, each visitor's system font is used."
        ),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the footer and from the privacy notice of the inquiry form."),
    )

    panels = [
        HelpPanel(
            _(
                "The tagline, address, business hours and reply time below are shown in "
                "English. Their wording in other languages is kept in Snippets › Company "
                "texts, where each language's version is translated like a page."
            )
        ),
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("logo"), FieldPanel("tagline")], _("Identity")
        ),
        MultiFieldPanel(
            [
                FieldPanel("sales_emails"),
                FieldPanel("phone"),
                FieldPanel("whatsapp"),
                FieldPanel("wechat_id"),
                FieldPanel("reply_time"),
            ],
            _("Contact"),
        ),
        MultiFieldPanel([FieldPanel("address"), FieldPanel("business_hours")], _("Location")),
        MultiFieldPanel(
            [
                FieldPanel("primary_colour", widget=brand.ColourInput),
                FieldPanel("accent_colour", widget=brand.ColourInput),
                FieldPanel("on_brand_colour", widget=brand.ColourInput),
                FieldPanel("font"),
            ],
            _("Brand"),
        ),
        FieldPanel("social_links"),
        FieldPanel("privacy_page"),
        FieldPanel("bank_details"),
    ]

    class Meta:
        verbose_name = _("company profile")

    def __str__(self):
        return self.name or str(_("Company profile"))

    def clean(self):
        super().clean()
        errors = brand.contrast_errors(self)
        if self.font_id and not self.font.file.name.lower().endswith(".woff2"):
            errors["font"] = _("The font must be a WOFF2 file (its name ends in .woff2).")
        if errors:
            raise ValidationError(errors)

    def localized(self, language_code):
        """This profile as a visitor reading `language_code` sees it: the texts of the
        CompanyText of that language replace the profile's own where they are filled in.
        Returns a copy; nothing is saved."""
        texts = (
            CompanyText.objects.filter(locale__language_code=language_code).first()
            if language_code
            else None
        )
        if texts is None:
            return self
        profile = copy.copy(self)
        for field in CompanyText.TEXT_FIELDS:
            value = getattr(texts, field)
            if value.strip():
                setattr(profile, field, value)
        return profile

    @cached_property
    def sales_email_list(self):
        return split_addresses(self.sales_emails)

    @property
    def public_email(self):
        addresses = self.sales_email_list
        return addresses[0] if addresses else ""

    @property
    def whatsapp_digits(self):
        return "".join(ch for ch in self.whatsapp if ch.isdigit())

    @property
    def phone_uri(self):
        return "+" + "".join(ch for ch in self.phone if ch.isdigit()) if self.phone else ""


class CompanyText(TranslatableMixin, models.Model):
    """The company profile's words that a visitor reads (tagline, address, hours, reply
    time), one version per language. Site settings cannot be translated with
    wagtail-localize, so these texts live in a translatable snippet; a language without
    its version shows the profile's own (English) texts."""

    TEXT_FIELDS = ("tagline", "address", "business_hours", "reply_time")

    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    business_hours = models.CharField(_("business hours"), max_length=200, blank=True)
    reply_time = models.CharField(
        _("typical reply time"),
        max_length=100,
        blank=True,
        help_text=_("Shown to buyers after they send an inquiry, e.g. “within one business day”."),
    )

    panels = [
        FieldPanel("tagline"),
        FieldPanel("address"),
        FieldPanel("business_hours"),
        FieldPanel("reply_time"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("company texts")
        verbose_name_plural = _("company texts")

    def __str__(self):
        return f"{self._meta.verbose_name} ({self.locale.get_display_name()})"
