"""RSS 2.0 and Atom feeds of a news section (Django's syndication framework).

Every address in a feed is absolute and built from the site's configured root URL, never
from the request's Host header, so a cached feed cannot carry another host name."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html
from django.utils.translation import gettext as _

from caravan.core import seo
from caravan.core.context_processors import get_company_profile
from caravan.core.translations import own_versions

from .images import prefetch_renditions

FEED_LENGTH = 20
FEED_IMAGE_SPEC = "fill-720x450|format-jpeg"


class NewsRssFeed(Feed):
    """The newest articles of one news section as RSS 2.0."""

    feed_type = Rss201rev2Feed
    kind = "rss"

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, index):
        self.company = get_company_profile(request)
        return index

    def title(self, index):
        if self.company.name:
            return f"{index.title} · {self.company.name}"
        return index.title

    def link(self, index):
        return seo.absolute(self.request, index.get_url(self.request))

    def feed_url(self, index):
        return seo.absolute(self.request, index.feed_url(self.request, self.kind))

    def description(self, index):
        return (
            index.meta_description
            or index.introduction
            or _("News from %(company)s") % {"company": self.company.name or index.title}
        )

    subtitle = description

    def author_name(self, index):
        return self.company.name or None

    def items(self, index):
        # Stand-ins of articles not translated yet are not this language's news.
        own = own_versions(index.articles())
        articles = list(own.for_listing().prefetch_related("tags")[:FEED_LENGTH])
        prefetch_renditions([article.card_image for article in articles])
        return articles

    def item_title(self, article):
        return article.title

    def item_link(self, article):
        return seo.absolute(self.request, article.get_url(self.request))

    def item_description(self, article):
        summary = format_html("<p>{}</p>", article.card_summary)
        image = article.card_image
        if image is None:
            return summary
        rendition = image.get_rendition(FEED_IMAGE_SPEC)
        return format_html(
            '<p><img src="{}" width="{}" height="{}" alt="{}"></p>{}',
            seo.absolute(self.request, rendition.url),
            rendition.width,
            rendition.height,
            image.alt,
            summary,
        )

    def item_pubdate(self, article):
        return article.posted_at

    def item_updateddate(self, article):
        return article.modified_at

    def item_author_name(self, article):
        return article.author or self.company.name or None

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]


class NewsAtomFeed(NewsRssFeed):
    """The newest articles of one news section as Atom 1.0."""

    feed_type = Atom1Feed
    kind = "atom"
