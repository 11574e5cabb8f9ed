"""Template tags that show news outside the news section (the home page's latest news,
a product page's "In the news")."""

from django import template

from caravan.core.templatetags.caravan_tags import site_root

from ..images import prefetch_renditions
from ..models import NewsIndexPage, NewsPage, news_about

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_news(context, count=3):
    """The newest `count` live articles of the current site and language, and the news
    list they come from: {"articles": [...], "index": NewsIndexPage or None}."""
    request = context.get("request")
    page = context.get("page")
    if page is not None and getattr(page, "depth", None) == 2:
        root = page  # on the home page itself: no need to look the site root up
    else:
        root = site_root(request) if request is not None else None
    if root is None:
        return {"articles": [], "index": None}
    articles = list(
        NewsPage.objects.descendant_of(root).visible().newest_first().for_listing()[:count]
    )
    prefetch_renditions([article.card_image for article in articles])
    index = NewsIndexPage.objects.child_of(root).live().public().first() if articles else None
    return {"articles": articles, "index": index}


@register.simple_tag
def related_news(product):
    """The published articles that name `product`, in its language, newest first."""
    return news_about(product)
