"""Structured data (schema.org JSON-LD) of the news pages."""

from django.utils.translation import get_language

from caravan.core import seo
from caravan.core.context_processors import get_company_profile

# Google asks for article images in 16:9, 4:3 and 1:1, at least 50,000 pixels each.
ARTICLE_IMAGE_SPECS = (
    "fill-1200x675|format-jpeg",
    "fill-1200x900|format-jpeg",
    "fill-1200x1200|format-jpeg",
)


def news_article(request, page, tags=()):
    """schema.org NewsArticle for a NewsPage."""
    company = get_company_profile(request)
    publisher = seo.organization(request, company)
    url = seo.absolute(request, page.get_url(request))
    data = {
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "description": page.meta_description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": page.posted_at.isoformat(),
        "dateModified": page.modified_at.isoformat(),
        "inLanguage": get_language(),
        "author": ({"@type": "Person", "name": page.author} if page.author else publisher.copy()),
        "publisher": publisher,
    }
    image = page.share_image
    if image is not None:
        data["image"] = [seo.rendition_url(request, image, spec) for spec in ARTICLE_IMAGE_SPECS]
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    return data


def collection_page(request, index_page, articles, canonical_url, title):
    """schema.org CollectionPage whose main entity lists the articles on this page."""
    url = seo.absolute(request, canonical_url)
    return {
        "@type": "CollectionPage",
        "name": title,
        "url": url,
        "description": index_page.meta_description or index_page.introduction,
        "inLanguage": get_language(),
        "mainEntity": {
            "@type": "ItemList",
            "itemListOrder": "https://schema.org/ItemListOrderDescending",
            "numberOfItems": len(articles),
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": seo.absolute(request, article.get_url(request)),
                    "name": article.title,
                }
                for position, article in enumerate(articles, start=1)
            ],
        },
    }
