"""The product catalogue: the index with its category filter and path-based pagination,
the category taxonomy, the product pages and the products the home page features."""

import copy
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents import get_document_model_string
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from caravan.core.cards import when_shown
from caravan.core.listing import IdRange, Listing, counted, section_pages
from caravan.core.models import BasePage, require_alt_text
from caravan.core.restrictions import PublicPageQuerySet, public
from caravan.core.shared import active, shared
from caravan.core.translations import in_language

from .blocks import (
    CertificationsBlock,
    ProductDescriptionBlock,
    SpecificationsBlock,
    TradeTermsBlock,
)
from .wording import CATALOGUE_KIND, NO_SUCH_CATEGORY, NO_SUCH_PRODUCT_PAGE, PRODUCT_KIND

PRODUCTS_PER_PAGE = 12
KEY_SPECIFICATIONS = 2  # specification rows on a product card
# Path segments the product index answers itself; a product may not take them as slug.
RESERVED_SLUGS = frozenset({"page", "category"})


class ProductCategory(TranslatableMixin, Orderable):
    """A group of products that buyers browse by, such as “Valves” or “Flow meters”.

    Categories are a snippet taxonomy, not pages under the product index, because:

    - a product can belong to several categories (a wafer check valve is both a check
      valve and a wafer-pattern fitting), which a page's single parent cannot express;
    - moving a product to another category never changes its address, so links,
      bookmarks, search results and inquiries that name the URL stay valid;
    - the index keeps one listing, one paginator and one template for “all products”
      and for each category (``/products/category/<slug>/``), and editors manage the
      whole taxonomy, names and order, in one list (Snippets › Product categories).

    Categories are translatable; products are matched to a category by its
    translation key, so a translated product finds its category in every language."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        blank=True,
        allow_unicode=False,
        help_text=_("The last part of the category's address; made from the name if empty."),
    )
    description = models.TextField(
        _("description"),
        max_length=400,
        blank=True,
        help_text=_("One or two sentences shown above the category's products."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["locale", "slug"], name="products_category_slug_unique_per_locale"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.locale_id is None:  # the admin sets it; so that the unique check can run
            self.locale = self.get_default_locale()
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        if not self.slug:
            raise ValidationError({"slug": _("Give the category a slug of letters and digits.")})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        if self.sort_order is None:
            last = ProductCategory.objects.aggregate(models.Max("sort_order"))["sort_order__max"]
            self.sort_order = (last or 0) + 1
        super().save(*args, **kwargs)


class Crumb:
    """A breadcrumb step that is not a page (a category's listing)."""

    def __init__(self, title, url):
        self.title = title
        self.url = url

    def get_url(self, request=None):
        return self.url


class ProductPageQuerySet(PublicPageQuerySet):
    """Questions the catalogue asks about products."""

    def in_category(self, category):
        """Products filed under `category` or under any of its translations."""
        return self.filter(filed_under(category))

    def with_card_images(self):
        """Load what a product card shows (its listing image or first gallery image, and
        their renditions) in a fixed number of queries, however many products."""
        return self.prefetch_related(*card_image_prefetches())

    def chosen(self, ids, locale_id):
        """The products an editor chose (`ids`, in the editor's order) that a visitor may
        see, each in the language `locale_id` where it has a live, public version in it;
        a list, without repeats. What the home page features and what a product or an
        article names as related."""
        ids = list(dict.fromkeys(pk for pk in ids if pk))
        if not ids:
            return []
        visible = self.live().public()
        found = visible.in_bulk(ids)
        return in_language([found[pk] for pk in ids if pk in found], locale_id, visible)


def chosen_cards(ids, locale_id):
    """The products an editor chose (`ProductPageQuerySet.chosen`) with what their cards
    show, kept with the look-ups pages share (read-only): a page asked again, or another
    naming the same products, loads none of them. A tuple."""
    ids = tuple(pk for pk in ids if pk)
    if not ids:
        return ()
    return shared(
        ("chosen_cards", locale_id, ids),
        lambda: tuple(ProductPage.objects.with_card_images().chosen(ids, locale_id)),
    )


def card_image_prefetches():
    # Only each product's first picture (a correlated subquery: modelcluster's related
    # manager cannot prefetch a sliced queryset).
    first_pk = (
        ProductPageGalleryImage.objects.filter(page=OuterRef("page"))
        .order_by("sort_order", "pk")
        .values("pk")[:1]
    )
    first_image = (
        ProductPageGalleryImage.objects.filter(pk=Subquery(first_pk))
        .select_related("image")
        .prefetch_related("image__renditions")
    )
    return [
        "listing_image__renditions",
        Prefetch("gallery_images", queryset=first_image, to_attr="card_gallery"),
    ]


ProductPageManager = PageManager.from_queryset(ProductPageQuerySet)


def in_editor_order(rows):
    """Chosen rows (related or featured products) in the editor's order. Rows saved
    without a sort order (made in code, not the admin's panel) keep the order they were
    added in, their ids, whatever order the database returns them in."""
    return sorted(rows, key=lambda row: (row.sort_order is None, row.sort_order or 0, row.pk or 0))


def filed_under(category):
    """The condition on pages filed under `category` or under any of its translations."""
    through = category_through_model()
    return models.Q(
        pk__in=through.objects.filter(
            productcategory__translation_key=category.translation_key
        ).values("productpage_id")
    )


def category_through_model():
    """The table linking products to categories (productpage_id, productcategory_id)."""
    return ProductPage._meta.get_field("categories").remote_field.through


class ProductIndexPage(RoutablePageMixin, BasePage):
    """All products of the catalogue (“Products” in the menu), filtered by category and
    paginated with addresses a static cache can hold:

    ``/products/``, ``/products/page/2/``, ``/products/category/<slug>/`` and
    ``/products/category/<slug>/page/2/``. A page number out of range, an unknown
    category or ``page/1/`` spelled out never renders a page of its own: the first two
    answer 404, the last redirects to the address without it."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        HelpPanel(
            _(
                "Products are the pages under this one. Categories are edited under "
                "Snippets › Product categories; each has its own address here."
            )
        ),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["products.ProductPage"]
    max_count_per_parent = 1

    search_result_kind = CATALOGUE_KIND

    class Meta:
        verbose_name = _("product index page")

    # What the listing shows

    def products(self):
        """The products a visitor may see here, in the editors' order."""
        return ProductPage.objects.child_of(self).live().public().order_by("path")

    def product_ids(self, category=None):
        """The ids of the products listed here (those in `category`), in order; one
        look-up for all the pages of a listing in a batch of files."""

        products = self.products()
        if category is not None:
            products = products.in_category(category)
        if not active():  # a page served alone reads the slice it shows
            key = ("product_count", self.pk, category.pk if category else None)
            counting = section_pages(self, ProductPage)
            if category is not None:
                counting = counting.filter(filed_under(category))
            return IdRange(products, key, counting)
        return shared(
            ("product_ids", self.pk, category.pk if category else None),
            lambda: list(products.values_list("pk", flat=True)),
        )

    def category_links(self, request=None):
        """The categories of this index's language that hold visible products, each with
        `url` and `product_count` set."""
        counts = counted(("product_category_counts", self.pk), self.category_counts)
        base = self.get_url(request)
        links = []
        for category in ProductCategory.objects.filter(locale_id=self.locale_id):
            category.product_count = counts.get(category.translation_key, 0)
            if category.product_count and base:
                category.url = base + self.reverse_subpage("category", args=[category.slug])
                links.append(category)
        return links

    def category_counts(self):
        """How many visible products each category holds here, by the category's
        translation key. Counted per category, the visible products read as one range
        of the tree index (core/listing.section_pages), then the few categories' keys:
        joining the categories first made SQLite look up every category against every
        product (20 ms at 10,000)."""
        per_category = (
            category_through_model()
            .objects.filter(productpage_id__in=section_pages(self, ProductPage).values("pk"))
            .order_by()
            .values_list("productcategory_id")
            .annotate(n=Count("pk"))
        )
        keys = dict(ProductCategory.objects.values_list("pk", "translation_key"))
        counts = {}
        for category_id, n in per_category:
            key = keys[category_id]
            counts[key] = counts.get(key, 0) + n
        return counts

    def category_trail(self, category, url):
        """The breadcrumb of a category's listing: home … this index, then the category."""
        ancestors = public(self.get_ancestors().filter(depth__gt=1).live()).specific(defer=True)
        return [*ancestors, self, Crumb(category.name, url)]

    def static_routes(self):
        """Every listing address of the catalogue, relative to its URL, for the public
        file tree (caravan/static_site): its pages, and each category's pages."""
        routes = self.listing().static_routes(self.products().count())
        for category in self.category_links():
            routes += self.listing(category.slug).static_routes(category.product_count)
        return routes

    def listing(self, slug=None):
        """The list of all products, or of those in the category with `slug`."""
        if slug:
            return Listing(
                self, PRODUCTS_PER_PAGE, "category_page", first_route="category", args=(slug,)
            )
        return Listing(self, PRODUCTS_PER_PAGE, "page")

    # Routes

    @path("")
    def all_products(self, request):
        return self.render_listing(request)

    @path("page/<int:number>/", name="page")
    def all_products_page(self, request, number):
        if number == 1:
            return redirect(self.listing().url(request), permanent=True)
        return self.render_listing(request, number=number)

    @path("category/<slug:slug>/", name="category")
    def category(self, request, slug):
        return self.render_listing(request, slug=slug)

    @path("category/<slug:slug>/page/<int:number>/", name="category_page")
    def category_page(self, request, slug, number):
        if number == 1:
            return redirect(self.listing(slug).url(request), permanent=True)
        return self.render_listing(request, slug=slug, number=number)

    def render_listing(self, request, slug=None, number=1):
        category = None
        if slug is not None:
            category = shared(
                ("product_category", self.locale_id, slug),
                lambda: ProductCategory.objects.filter(locale_id=self.locale_id, slug=slug).first(),
            )
            if category is None:
                raise Http404(str(NO_SUCH_CATEGORY))
        listing = self.listing(slug if category else None)
        listing_page = listing.paginate(
            request, self.product_ids(category), number, NO_SUCH_PRODUCT_PAGE
        )
        shown = listing_page.page_obj.object_list

        def products():
            found = ProductPage.objects.with_card_images().in_bulk(shown)
            return [found[pk] for pk in shown if pk in found]

        base = self.get_url(request) or ""
        return self.render(
            request,
            context_overrides={
                **listing_page.context(),
                "category": category,
                "category_trail": self.category_trail(category, listing.url(request))
                if category
                else None,
                "categories": shared(
                    ("product_categories", self.pk), lambda: self.category_links(request)
                ),
                "all_products_url": base,
                "products": when_shown(products),  # not loaded when the list is kept
            },
        )


class ProductPage(BasePage):
    """One product a buyer can study and ask about: pictures, specifications, order
    and trade terms, certificates and datasheets, and the inquiry that follows."""

    sku = models.CharField(
        _("model number / SKU"),
        max_length=64,
        help_text=_("The model number buyers quote in an inquiry, e.g. SLV-GV-Z45X."),
    )
    categories = ParentalManyToManyField(
        "products.ProductCategory",
        verbose_name=_("categories"),
        blank=True,
        related_name="products",
    )
    short_description = models.TextField(
        _("short description"),
        max_length=400,
        help_text=_("Two or three sentences under the product's name and on its card."),
    )
    description = StreamField(ProductDescriptionBlock(), verbose_name=_("description"), blank=True)
    specifications = StreamField(
        SpecificationsBlock(),
        verbose_name=_("specifications"),
        blank=True,
        help_text=_("Rows of the specification table; group headings are optional."),
    )
    moq_quantity = models.PositiveIntegerField(_("minimum order quantity"), null=True, blank=True)
    moq_unit = models.CharField(
        _("unit of the minimum order"),
        max_length=40,
        blank=True,
        help_text=_("e.g. pieces, sets, metres"),
    )
    lead_time = models.CharField(
        _("lead time"),
        max_length=120,
        blank=True,
        help_text=_("e.g. 20–30 days after the deposit"),
    )
    trade_terms = StreamField(
        TradeTermsBlock(),
        verbose_name=_("trade terms (Incoterms)"),
        blank=True,
        help_text=_("The delivery terms you quote, each with its port or place."),
    )
    payment_terms = models.CharField(
        _("payment terms"),
        max_length=255,
        blank=True,
        help_text=_(
            # xgettext:no-python-format (a percentage, not a placeholder)
            "e.g. T/T 30% deposit, balance before shipment; L/C at sight"
        ),
    )
    packaging = models.CharField(
        _("packaging"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Fumigated plywood crates on pallets"),
    )
    place_of_origin = models.CharField(
        _("place of origin"), max_length=100, blank=True, help_text=_("e.g. Xi'an, China")
    )
    certifications = StreamField(
        CertificationsBlock(), verbose_name=_("certifications"), blank=True
    )
    certificates = ParentalManyToManyField(
        "products.Certificate",
        verbose_name=_("certificates"),
        blank=True,
        related_name="products",
        help_text=_(
            "Certificates (Snippets › Certificates) that apply to this product; shown on "
            "its page until they expire."
        ),
    )

    objects = ProductPageManager()

    content_panels = Page.content_panels + [
        FieldPanel("sku"),
        FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
        FieldPanel("short_description"),
        InlinePanel(
            "gallery_images",
            heading=_("Pictures"),
            label=_("Picture"),
            min_num=1,
            help_text=_("The first picture is the main one, shown on cards and when shared."),
        ),
        FieldPanel("description"),
    ]
    specification_panels = [
        FieldPanel("specifications"),
        FieldPanel("certificates", widget=forms.CheckboxSelectMultiple),
        FieldPanel("certifications"),
    ]
    terms_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("moq_quantity"), FieldPanel("moq_unit")]),
                FieldPanel("lead_time"),
                FieldPanel("trade_terms"),
                FieldPanel("payment_terms"),
                FieldPanel("packaging"),
                FieldPanel("place_of_origin"),
            ],
            _("Order and trade terms"),
        ),
        InlinePanel(
            "documents",
            heading=_("Downloads"),
            label=_("Document"),
            help_text=_("Datasheets, manuals, drawings; buyers download them from the page."),
        ),
        InlinePanel("related_products", heading=_("Related products"), label=_("Product")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(specification_panels, heading=_("Specifications")),
            ObjectList(terms_panels, heading=_("Terms and downloads")),
            ObjectList(BasePage.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = BasePage.search_fields + [
        index.SearchField("sku_keywords", boost=3),
        index.AutocompleteField("sku"),
        index.SearchField("short_description"),
        index.SearchField("description"),
        index.SearchField("specifications"),
        index.SearchField("certifications"),
        index.SearchField("category_names"),
    ]

    parent_page_types = ["products.ProductIndexPage"]
    subpage_types = []

    search_result_kind = PRODUCT_KIND
    search_group = 0

    class Meta:
        verbose_name = _("product page")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("“%(slug)s” is part of the catalogue's addresses; choose another.")},
                params={"slug": self.slug},
            )
        if self.sku:
            clash = ProductPage.objects.filter(sku__iexact=self.sku.strip()).exclude(pk=self.pk)
            if self.locale_id:
                clash = clash.filter(locale_id=self.locale_id)
            if clash.exists():
                raise ValidationError({"sku": _("Another product already has this model number.")})

    def sku_keywords(self):
        """The model number as search words: as written, in its parts and run together,
        so that each way a buyer types it is found (PostgreSQL, for one, reads the
        “-77” of “QK-77-ZX9” as a negative number, not as the part “77”)."""
        parts = [part for part in re.split(r"[\s\-_/.]+", self.sku or "") if part]
        return " ".join(dict.fromkeys([self.sku, *parts, "".join(parts)]))

    def category_names(self):
        """The names of the product's categories in the page's own language (a category's
        translation where the page links the source-language one), as search words."""
        names = []
        for category in self.categories.all():
            if category.locale_id != self.locale_id:
                category = category.get_translation_or_none(self.locale_id) or category
            names.append(category.name)
        return " ".join(names)

    # The contract with the inquiries app: the product an inquiry from here is about.

    @property
    def inquiry_product(self):
        return self

    # What cards, search results and structured data read

    @classmethod
    def prefetch_for_listing(cls, products):
        """Load the card pictures of already fetched `products` (search results)."""
        prefetch_related_objects(products, *card_image_prefetches())

    @property
    def meta_description(self):
        return self.search_description or self.listing_summary or self.short_description

    @property
    def card_summary(self):
        return self.listing_summary or self.short_description

    @cached_property
    def gallery(self):
        """The product's pictures in order, with their renditions loaded in one go."""
        return list(
            self.gallery_images.select_related("image").prefetch_related("image__renditions")
        )

    @property
    def main_gallery_item(self):
        if hasattr(self, "card_gallery"):  # set by ProductPageQuerySet.with_card_images()
            return self.card_gallery[0] if self.card_gallery else None
        return self.gallery[0] if self.gallery else None

    @property
    def card_image(self):
        if self.listing_image_id:
            return self.listing_image
        item = self.main_gallery_item
        return item.image if item else None

    @property
    def moq(self):
        if self.moq_quantity is None:
            return ""
        return f"{self.moq_quantity} {self.moq_unit}".strip()

    def specification_rows(self):
        """(name, value, unit) of every row, group headings left out."""
        return [
            (block.value["name"], block.value["value"], block.value.get("unit") or "")
            for block in self.specifications
            if block.block_type == "spec"
        ]

    def key_specifications(self):
        """The first rows of the specification table, the ones a card has room for."""
        return self.specification_rows()[:KEY_SPECIFICATIONS]

    def specification_groups(self):
        """The specification rows split at each group heading: [(heading, [block value])];
        the rows before the first heading have the heading None."""
        groups = []
        for block in self.specifications:
            if block.block_type == "group":
                groups.append((block.value, []))
            else:
                if not groups:
                    groups.append((None, []))
                groups[-1][1].append(block.value)
        return [(heading, rows) for heading, rows in groups if rows or heading]

    # Neighbours on the page

    def category_list(self, request=None):
        """The product's categories in the page's language, each with its `url` on the
        product index (two queries; pages with the same categories, or under the same
        index, share them while a batch of pages is rendered)."""
        keys = tuple(sorted(c.translation_key for c in self.categories.all()))
        if not keys:
            return []
        found = shared(
            ("product_categories", self.locale_id, keys),
            lambda: list(
                ProductCategory.objects.filter(locale_id=self.locale_id, translation_key__in=keys)
            ),
        )
        categories = [copy.copy(category) for category in found]  # each gets its own url
        parent_path = self.path[: -self.steplen]
        base = shared(("parent_url", parent_path), lambda: self._parent_url(request))
        for category in categories:
            category.url = (
                base + ProductIndexPage.get_resolver().reverse("category", category.slug)
                if base
                else ""
            )
        return categories

    def _parent_url(self, request):
        parent = self.get_parent()
        return parent.get_url(request) if parent else None

    def related_product_list(self):
        """The related products a visitor may see, in the editor's order, with what
        their cards show (kept: see `chosen_cards`)."""
        ids = [row.product_id for row in in_editor_order(self.related_products.all())]
        return chosen_cards([pk for pk in ids if pk != self.pk], self.locale_id)

    def certificate_list(self):
        """The product's certificates that have not expired, in the page's language."""
        return valid_certificates(list(self.certificates.all()), self.locale_id)

    def document_list(self):
        return [row for row in self.documents.select_related("document") if row.document_id]

    def get_context(self, request, *args, **kwargs):
        from caravan.core.context_processors import get_company_profile

        from .seo import product_structured_data

        context = super().get_context(request, *args, **kwargs)
        categories = self.category_list(request)
        related = self.related_product_list()
        context.update(
            gallery=self.gallery,
            product_categories=categories,
            specification_groups=self.specification_groups(),
            related_product_list=related,
            related_product_ids=tuple(product.pk for product in related),
            document_list=self.document_list(),
            certificate_list=self.certificate_list(),
            product_json_ld=product_structured_data(
                request, self, get_company_profile(request), categories
            ),
        )
        return context


class ProductPageGalleryImage(Orderable):
    """A picture of the product; the first one is the main picture."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "core.CaravanImage", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("product picture")
        verbose_name_plural = _("product pictures")

    def clean(self):
        super().clean()
        require_alt_text(self.image if self.image_id else None, "image")


class ProductPageDocument(Orderable):
    """A file buyers download from the product page: datasheet, manual, drawing."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("link text"),
        max_length=200,
        blank=True,
        help_text=_("Shown instead of the document's own title, e.g. “Datasheet (PDF)”."),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("product document")
        verbose_name_plural = _("product documents")

    @property
    def display_title(self):
        return self.title or self.document.title


class ProductPageRelatedProduct(Orderable):
    """Another product shown under “Related products” on a product page."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="related_products")
    product = models.ForeignKey(
        ProductPage, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("product")]

    class Meta(Orderable.Meta):
        verbose_name = _("related product")
        verbose_name_plural = _("related products")

    def clean(self):
        super().clean()
        if self.page_id and self.product_id == self.page_id:
            raise ValidationError({"product": _("A product cannot be related to itself.")})


class HomePageFeaturedProduct(Orderable):
    """A product the editors put on the home page, in their order."""

    page = ParentalKey("core.HomePage", on_delete=models.CASCADE, related_name="featured_products")
    product = models.ForeignKey(
        ProductPage, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("product")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured product")
        verbose_name_plural = _("featured products")


class CertificateQuerySet(models.QuerySet):
    """Questions the trust centre asks about certificates."""

    def valid(self, on=None):
        """Those a visitor may see on `on` (today): a certificate is shown up to and
        including its “valid until” day, and disappears the day after."""
        on = on or timezone.localdate()
        return self.filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on))

    def lapsed_unannounced(self, on=None):
        """Expired, but the public files that showed them have not been refreshed since."""
        on = on or timezone.localdate()
        return self.filter(valid_until__lt=on, expiry_announced=False)


class Certificate(TranslatableMixin, models.Model):
    """A certificate a buyer checks before ordering (ISO 9001, CE, EAC...): who issued it,
    its number and scope, how long it is valid, a scan and where to verify it.

    One row shown on the home page, on an “About / Certificates” page and on the
    products it applies to; it disappears from all of them by itself the day after it
    expires (filtered when a page is rendered; the daily job in jobs.py refreshes the
    public files that showed it)."""

    name = models.CharField(_("name"), max_length=150, help_text=_("e.g. ISO 9001:2015"))
    issuer = models.CharField(
        _("issued by"), max_length=150, blank=True, help_text=_("The certification body.")
    )
    number = models.CharField(_("certificate number"), max_length=80, blank=True)
    scope = models.TextField(
        _("scope"),
        max_length=600,
        blank=True,
        help_text=_("What the certificate covers, e.g. design and manufacture of gate valves."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The certificate disappears from the site the day after this date."),
    )
    scan_image = models.ForeignKey(
        "core.CaravanImage",
        verbose_name=_("scan (image)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scan_document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("scan (PDF or other document)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verification_url = models.URLField(
        _("verification link"),
        blank=True,
        help_text=_("The issuer's page where a buyer can check the certificate."),
    )
    # Set by the daily job once the files that showed an expired certificate were
    # refreshed; cleared when the certificate is valid again.
    expiry_announced = models.BooleanField(default=False, editable=False)
    sort_order = models.IntegerField(null=True, blank=True, editable=False)

    objects = CertificateQuerySet.as_manager()
    # The number is the issuer's, the same in every language (wagtail-localize copies it).
    override_translatable_fields = [SynchronizedField("number")]

    panels = [
        FieldPanel("name"),
        FieldPanel("issuer"),
        FieldPanel("number"),
        FieldPanel("scope"),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
        FieldPanel("scan_image"),
        FieldPanel("scan_document"),
        FieldPanel("verification_url"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["sort_order", "name", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.is_valid():
            self.expiry_announced = False
        if self.sort_order is None:
            last = Certificate.objects.aggregate(models.Max("sort_order"))["sort_order__max"]
            self.sort_order = (last or 0) + 1
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("A certificate cannot expire before it is valid.")}
            )
        require_alt_text(self.scan_image if self.scan_image_id else None, "scan_image")

    def is_valid(self, on=None):
        on = on or timezone.localdate()
        return self.valid_until is None or self.valid_until >= on

    @property
    def scan_url(self):
        if self.scan_document_id:
            return self.scan_document.url
        return ""


def valid_certificates(certificates, locale_id, on=None):
    """`certificates` (chosen in any language) in the language `locale_id` where they
    have a version in it, without repeats and without those that have expired."""
    shown, seen = [], set()
    by_key = {
        c.translation_key: c
        for c in Certificate.objects.valid(on)
        .filter(
            translation_key__in=[c.translation_key for c in certificates],
            locale_id=locale_id,
        )
        .select_related("scan_image", "scan_document")
    }
    for certificate in certificates:
        if certificate.translation_key in seen:
            continue
        seen.add(certificate.translation_key)
        found = by_key.get(certificate.translation_key)
        if found is None and certificate.is_valid(on):
            found = certificate
        if found is not None:
            shown.append(found)
    return shown
