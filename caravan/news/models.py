"""The news section: the "News List" (NewsIndexPage) and the "News Detail" (NewsPage)."""

import bisect
import math
import re
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, MultipleChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from caravan.core.blocks import BaseStreamBlock
from caravan.core.cards import when_shown
from caravan.core.listing import IdRange, Listing, counted, section_pages
from caravan.core.models import BasePage, require_alt_text
from caravan.core.restrictions import PublicPageQuerySet
from caravan.core.shared import active, bulk, lookup, shared
from caravan.products.models import chosen_cards, in_editor_order

from .feeds import NewsAtomFeed, NewsRssFeed
from .images import load_image_fields, prefetch_renditions, stream_images
from .seo import collection_page, news_article
from .wording import NO_SUCH_NEWS_PAGE, NO_SUCH_TAG, PAGED_LISTING_TITLE, TAG_LISTING_TITLE

RELATED_NEWS_LIMIT = 6  # articles a product page lists under "In the news"
NEVER = datetime.min.replace(tzinfo=UTC)  # sorts before every real date
WORDS_PER_MINUTE = 220
# Chinese, Japanese and Korean text is read by characters, not by space-separated words.
CJK_CHARS_PER_MINUTE = 450
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+")


class NewsPageQuerySet(PublicPageQuerySet):
    """Questions the news pages answer about their articles."""

    def visible(self):
        """Articles a visitor may see: published, not private, not scheduled for later."""
        return self.live().public()

    def newest_first(self):
        """Ordered by the “Posted on” date, newest first; `listing_date` carries it."""
        return self.annotate(listing_date=Coalesce("date", "first_published_at")).order_by(
            "-sort_date", "-pk"
        )

    def for_listing(self):
        """What a card needs in one query: the images a card may show."""
        return self.select_related("hero_image", "listing_image")


NewsPageManager = PageManager.from_queryset(NewsPageQuerySet)


class NewsIndexPage(RoutablePageMixin, BasePage):
    """The “News List”: the company's articles, newest first, by page and by tag, with
    RSS and Atom feeds.

    Every listing page has one plain URL a crawler can follow: ``news/``,
    ``news/page/2/``, ``news/tag/<slug>/``, ``news/tag/<slug>/page/2/``. Page 1 lives
    only at the address without ``page/1/`` (which redirects there permanently)."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=600)
    per_page = models.PositiveSmallIntegerField(
        _("articles per page"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    settings_panels = Page.settings_panels + [FieldPanel("per_page")]
    search_fields = BasePage.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index page")

    # The listing

    def articles(self):
        """The live, public articles of this section, newest first."""
        return NewsPage.objects.child_of(self).visible().newest_first()

    def article_ids(self, tag=None):
        """The ids of the articles listed here (those with `tag`), newest first; one
        look-up for all the pages of a listing in a batch of files."""

        articles = self.articles()
        if tag is not None:
            articles = articles.filter(tags=tag)
        if not active():  # a page served alone reads the slice it shows
            key = ("news_count", self.pk, tag.pk if tag else None)
            counting = section_pages(self, NewsPage)
            if tag is not None:
                tagged = NewsPageTag.objects.filter(tag=tag).values("content_object_id")
                counting = counting.filter(pk__in=tagged)
            return IdRange(articles, key, counting)
        return shared(
            ("news_ids", self.pk, tag.pk if tag else None),
            lambda: list(articles.values_list("pk", flat=True)),
        )

    def shared_tags_in_use(self):
        return counted(("news_tags", self.pk), self.tags_in_use)

    def tags_in_use(self):
        """The tags of the live articles here, with how many articles carry each
        (`article_count`), by name. Counted per tag on the tagging rows of the section's
        articles (one range of the tree index), then the few tags read: grouping the
        tags joined to every tagging row took about 45 ms at 10,000 articles."""
        counts = dict(
            NewsPageTag.objects.filter(
                content_object_id__in=section_pages(self, NewsPage).values("pk")
            )
            .order_by()
            .values_list("tag_id")
            .annotate(n=Count("pk"))
        )
        tags = list(Tag.objects.filter(pk__in=counts).exclude(slug="").order_by("name"))
        for tag in tags:
            tag.article_count = counts[tag.pk]
        return tags

    def listing(self, tag=None):
        """The list of all articles, or of those tagged with the slug `tag`."""
        if tag:
            return Listing(self, self.per_page, "tag_page", first_route="tag", args=(tag,))
        return Listing(self, self.per_page, "page")

    def listing_url(self, request=None, tag=None, page_number=1):
        """Site-relative URL of one listing page."""
        return self.listing(tag).url(request, page_number)

    def feed_url(self, request=None, kind="rss"):
        return self.get_url(request) + self.reverse_subpage(kind)

    def get_context(self, request, *args, tag=None, page_number=1, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        in_use = self.shared_tags_in_use()
        current_tag = None
        if tag is not None:
            # A tag no visible article carries has no listing.
            current_tag = next((t for t in in_use if t.slug == tag), None)
            if current_tag is None:
                raise Http404(str(NO_SUCH_TAG))
        listing_page = self.listing(current_tag.slug if current_tag else None).paginate(
            request, self.article_ids(current_tag), page_number, NO_SUCH_NEWS_PAGE
        )
        page_obj = listing_page.page_obj
        found = NewsPage.objects.for_listing().in_bulk(page_obj.object_list)
        entries = [found[pk] for pk in page_obj.object_list if pk in found]

        def cards():  # the pictures only when the list is rendered, not when it is kept
            prefetch_renditions([entry.card_image for entry in entries])
            return entries

        links = shared(  # the same links on every page of the list
            ("news_tag_links", self.pk),
            lambda: [
                {"pk": t.pk, "name": t.name, "url": self.listing_url(request, t.slug)}
                for t in in_use
            ],
        )
        tags = [
            {
                **link,
                "article_count": t.article_count,
                "current": current_tag is not None and t.pk == current_tag.pk,
            }
            for link, t in zip(links, in_use, strict=True)
        ]
        title = self.title
        if current_tag is not None:
            title = TAG_LISTING_TITLE % {"section": self.title, "tag": current_tag.name}
        if page_obj.number > 1:
            title = PAGED_LISTING_TITLE % {"title": title, "number": page_obj.number}
        context.update(
            {
                **listing_page.context(),
                "articles": when_shown(cards),
                "current_tag": current_tag,
                "tags": tags,
                "listing_title": title,
                "rss_url": self.feed_url(request, "rss"),
                "atom_url": self.feed_url(request, "atom"),
                "index_url": self.get_url(request),
                "listing_json_ld": collection_page(
                    request, self, entries, listing_page.canonical_url, title
                ),
            }
        )
        return context

    def static_routes(self):
        """Every listing address of this section, relative to its URL, for the public
        file tree (caravan/static_site): the pages of the list, of each tag, and the
        feeds."""
        routes = self.listing().static_routes(self.articles().count())
        for tag in self.tags_in_use():
            routes += self.listing(tag.slug).static_routes(tag.article_count)
        routes += [self.reverse_subpage("rss"), self.reverse_subpage("atom")]
        return routes

    # Routes

    @path("", name="index")
    def index_route(self, request):
        return self.render(request)

    @path("page/<int:page_number>/", name="page")
    def page_route(self, request, page_number):
        if page_number == 1:
            return redirect(self.listing_url(request), permanent=True)
        return self.render(request, page_number=page_number)

    # Tag slugs may be Unicode (a Russian or Chinese tag keeps its letters), so \w.
    @re_path(r"^tag/(?P<tag>[-\w]+)/$", name="tag")
    def tag_route(self, request, tag):
        return self.render(request, tag=tag)

    @re_path(r"^tag/(?P<tag>[-\w]+)/page/(?P<page_number>[0-9]+)/$", name="tag_page")
    def tag_page_route(self, request, tag, page_number):
        page_number = int(page_number)
        if page_number == 1:
            return redirect(self.listing_url(request, tag), permanent=True)
        return self.render(request, tag=tag, page_number=page_number)

    @path("feed/rss/", name="rss")
    def rss_route(self, request):
        return NewsRssFeed()(request, index=self)

    @path("feed/atom/", name="atom")
    def atom_route(self, request):
        return NewsAtomFeed()(request, index=self)


class NewsPageTag(TaggedItemBase):
    """A tag on an article."""

    content_object = ParentalKey(
        "news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPageRelatedProduct(Orderable):
    """A product an article talks about, shown as a card under the article."""

    page = ParentalKey("news.NewsPage", related_name="related_products", on_delete=models.CASCADE)
    product = models.ForeignKey(
        "products.ProductPage",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("product")]

    class Meta(Orderable.Meta):
        verbose_name = _("related product")
        verbose_name_plural = _("related products")


class NewsPage(BasePage):
    """The “News Detail”: one article with its “Posted on” date, hero image, summary,
    body of sections, figures, timeline and callouts, tags and related products."""

    date = models.DateTimeField(
        _("posted on"),
        null=True,
        blank=True,
        help_text=_(
            "The date shown as “Posted on”. Leave empty to use the moment the article is "
            "first published; set it to back-date an article."
        ),
    )
    author = models.CharField(_("author"), max_length=120, blank=True)
    summary = models.TextField(
        _("summary"),
        max_length=600,
        help_text=_("One or two sentences under the title; also used in the news list."),
    )
    hero_image = models.ForeignKey(
        "core.CaravanImage",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The large picture at the top of the article; it needs alt text."),
    )
    hero_caption = models.CharField(_("hero caption"), max_length=300, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))
    # The "Posted on" date the list sorts by (date, else first publication, else NEVER),
    # stored and indexed so that a page of the list, or an article's neighbours, is an
    # index range rather than a sort of the whole section. Kept by save().
    sort_date = models.DateTimeField(default=NEVER, editable=False)

    objects = NewsPageManager()

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("author")], _("Byline")),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_caption")], _("Hero")),
        FieldPanel("body"),
        FieldPanel("tags"),
        MultipleChooserPanel(
            "related_products",
            chooser_field_name="product",
            label=_("Related products"),
            max_num=6,
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("author"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("date"),
    ]
    search_group = 1
    search_result_kind = _("News")

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    def static_dependents(self):
        """Pages whose public file shows this article although they did not read it
        before it was published: its related products ("In the news") and the articles
        beside it in the news list (their "newer"/"older" links)."""
        return [
            *(item.product_id for item in self.related_products.all()),
            *(article.pk for article in self.neighbours() if article is not None),
        ]

    class Meta:
        verbose_name = _("news page")
        indexes = [models.Index(fields=["sort_date", "page_ptr"], name="news_page_sort_date")]

    def save(self, *args, **kwargs):
        self.sort_date = self.listed_at()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"date", "first_published_at"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "sort_date"}
        return super().save(*args, **kwargs)

    def listed_at(self):
        """Where the article stands in the list (what sort_date stores)."""
        return self.date or self.first_published_at or NEVER

    def clean(self):
        super().clean()
        require_alt_text(self.hero_image, "hero_image")
        if self.date is not None:
            latest = max(timezone.now(), self.go_live_at or timezone.now()) + timedelta(days=1)
            if self.date > latest:
                raise ValidationError(
                    {
                        "date": _(
                            "“Posted on” cannot be in the future. To publish the article "
                            "later, set its go-live date in the publishing schedule."
                        )
                    }
                )

    # What templates, feeds and structured data read

    @property
    def posted_at(self):
        """When the article counts as posted: the editor's date, else first publication
        (a draft being previewed has neither: it is posted “now”)."""
        return self.date or self.first_published_at or timezone.now()

    @property
    def modified_at(self):
        return max(self.last_published_at or self.posted_at, self.posted_at)

    @property
    def card_image(self):
        return self.listing_image or self.hero_image

    @property
    def card_summary(self):
        return self.listing_summary or self.summary

    @property
    def meta_description(self):
        return self.search_description or self.listing_summary or self.summary

    @cached_property
    def reading_time(self):
        """Minutes an average reader needs for the article (at least one)."""
        text = " ".join([self.title, self.summary, *_stream_text(self.body.raw_data)])
        cjk = len(_CJK.findall(text))
        words = len(_WORD.findall(text))
        return max(1, math.ceil(words / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE))

    @cached_property
    def related_product_pages(self):
        """The live, public products this article links to, in the editor's order, with
        what their cards show (kept: see `chosen_cards`)."""
        ids = [link.product_id for link in in_editor_order(self.related_products.all())]
        return list(chosen_cards(ids, self.locale_id))

    @property
    def inquiry_product(self):
        """The product an inquiry from this article is about: the first related one."""
        products = self.related_product_pages
        return products[0] if products else None

    def news_index(self):
        """The news list this article belongs to (one query, no tree walk)."""
        if not self.path or self.depth is None or self.depth < 2:
            return None
        parent_path = self.path[: -self.steplen]
        return shared(
            ("news_index", parent_path),
            lambda: NewsIndexPage.objects.filter(path=parent_path).first(),
        )

    def neighbours(self):
        """(older, newer): the articles before and after this one in the news list."""
        if not self.pk or not self.live or not self.path:
            return None, None
        if bulk():  # a whole build: one sorted list of the section serves every article
            older, newer = self._neighbours_in_order()
        else:  # one page: the nearest row each way on the (sort_date, id) index, kept
            # with the other look-ups of pages served alone until content changes (the
            # date in the key: a preview's draft may have moved the article)
            older, newer = shared(
                ("news_neighbours", self.pk, self.listed_at()), self._neighbour_ids
            )
        wanted = [pk for pk in (older, newer) if pk is not None]
        # Title and address are all the links show: the generic page, without the body.
        found = Page.objects.in_bulk(wanted) if wanted else {}
        return found.get(older), found.get(newer)

    def _neighbours_in_order(self):
        order = self.sibling_order()
        posted = self.listed_at()
        here = bisect.bisect_left(order, (posted, self.pk))
        older = order[here - 1][1] if here > 0 else None
        if here < len(order) and order[here][1] == self.pk:
            here += 1
        newer = order[here][1] if here < len(order) else None
        return older, newer

    def _neighbour_ids(self):
        older, newer = self.neighbour_queries()
        return older.first(), newer.first()

    def neighbour_queries(self):
        """The ids of the article before and after this one, as two queries: each one
        range of the (sort_date, id) index walked from this article's place to the first
        row beyond it (an article posted at the same moment counts by id). Ordered as
        the index is, the database stops at that row instead of sorting the matches."""
        posted, pk = self.listed_at(), self.pk
        siblings = (
            NewsPage.objects.filter(path__startswith=self.path[: -self.steplen], depth=self.depth)
            .visible()
            .values_list("pk", flat=True)
        )
        older = (
            siblings.filter(sort_date__lte=posted)
            .exclude(sort_date=posted, pk__gte=pk)
            .order_by("-sort_date", "-pk")
        )
        newer = (
            siblings.filter(sort_date__gte=posted)
            .exclude(sort_date=posted, pk__lte=pk)
            .order_by("sort_date", "pk")
        )
        return older, newer

    def sibling_order(self):
        """(posted at, id) of every visible article beside this one (itself included),
        oldest first: sorted here rather than by the database, which would sort the
        whole section on each look-up; shared by the articles of a batch of files."""
        parent_path = self.path[: -self.steplen]

        def compute():
            rows = (
                NewsPage.objects.filter(path__startswith=parent_path, depth=self.depth)
                .visible()
                .order_by()
                .values_list("sort_date", "pk")
            )
            return sorted(rows)

        return shared(("news_order", parent_path), compute)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        load_image_fields(self, ["hero_image", "listing_image", "social_image"])
        products = self.related_product_pages
        prefetch_renditions(
            [
                self.hero_image,
                self.listing_image,
                self.social_image,
                *stream_images(self.body),
                *(product.card_image for product in products),
            ]
        )
        index_page = self.news_index()
        older, newer = self.neighbours()
        tags = list(self.tags.all())
        context.update(
            {
                "og_type": "article",
                "index_page": index_page,
                "article_tags": [
                    {"tag": tag, "url": index_page.listing_url(request, tag.slug)}
                    for tag in tags
                    if tag.slug
                ]
                if index_page
                else [],
                "older_article": older,
                "newer_article": newer,
                "products": products,
                "product_ids": tuple(product.pk for product in products),
                "rss_url": index_page.feed_url(request, "rss") if index_page else None,
                "atom_url": index_page.feed_url(request, "atom") if index_page else None,
                "article_json_ld": news_article(request, self, tags),
            }
        )
        return context


def _stream_text(raw_blocks):
    """The readable text of StreamField blocks in their stored (raw) form."""
    for block in raw_blocks or []:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph":
            yield strip_tags(value or "")
        elif kind == "heading":
            yield value.get("text", "")
        elif kind == "quote":
            yield value.get("text", "")
            yield value.get("attribution", "")
        elif kind == "callout":
            yield value.get("title", "")
            yield strip_tags(value.get("text", ""))
        elif kind == "timeline":
            yield value.get("title", "")
            for entry in value.get("entries", []):
                entry = entry.get("value", entry) if isinstance(entry, dict) else {}
                yield entry.get("date_label", "")
                yield entry.get("text", "")
        elif kind == "table":
            for row in (value or {}).get("data") or []:
                yield " ".join(str(cell) for cell in row if cell)
        elif kind in ("figure", "video"):
            yield value.get("caption", "")
            yield value.get("title", "")


def news_about(product, limit=RELATED_NEWS_LIMIT):
    """The published articles that name `product` (or a translation of it) among their
    related products, in the product's language, newest first: a product page's
    "In the news" (news_tags.related_news)."""
    key = product.translation_key
    # The article ids first (a short list), then those articles: one query joining
    # both and de-duplicating made the database sort every article.
    article_ids = lookup(
        ("news_mentions",),
        key,
        every=_articles_by_product,
        one=lambda: set(
            NewsPageRelatedProduct.objects.filter(product__translation_key=key).values_list(
                "page_id", flat=True
            )
        ),
    )
    if not article_ids:
        return []
    return list(
        NewsPage.objects.visible()
        .filter(locale_id=product.locale_id, pk__in=article_ids)
        .newest_first()[:limit]
    )


def _articles_by_product():
    """Product translation key → the ids of the articles that name it (any version)."""
    mentions = {}
    rows = NewsPageRelatedProduct.objects.values_list("product__translation_key", "page_id")
    for key, page_id in rows:
        mentions.setdefault(key, set()).add(page_id)
    return mentions
