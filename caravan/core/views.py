"""Views outside the page tree."""

import re
from collections import defaultdict

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from wagtail.models import Locale, Page

SEARCH_QUERY_MAX = 200
SEARCH_PER_PAGE = 10


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def normalise_query(raw):
    """The visitor's query with control characters dropped and white space collapsed,
    cut to SEARCH_QUERY_MAX characters (the search box allows no more; longer ones come
    from hand-made URLs)."""
    text = CONTROL_CHARACTERS.sub(" ", raw or "")
    return " ".join(text.split())[:SEARCH_QUERY_MAX].strip()


def backend_query(query):
    """`query` as handed to the search backend: double quotes, which the SQLite FTS5
    backend does not escape inside its quoted terms, become spaces."""
    return " ".join(query.replace('"', " ").split())


def prefetch_for_listing(pages):
    """Let each page type load what its search result shows (e.g. a product's picture)
    in one go: page classes with a `prefetch_for_listing(pages)` class method get their
    pages, and those pages get `search_image` set."""
    by_class = defaultdict(list)
    for page in pages:
        by_class[type(page)].append(page)
    for cls, items in by_class.items():
        prefetch = getattr(cls, "prefetch_for_listing", None)
        if prefetch is None:
            continue
        prefetch(items)
        for item in items:
            item.search_image = getattr(item, "card_image", None)


def search(request):
    """Site search over the live public pages of the visitor's language: products, news
    and every other page type, with the search backend of settings.WAGTAILSEARCH_BACKENDS
    (the database's own full-text search)."""
    query = normalise_query(request.GET.get("q"))
    results = Page.objects.none()
    if backend_query(query):
        results = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active(), depth__gt=1)
            .specific()
            .search(backend_query(query))
        )
    paginator = Paginator(results, SEARCH_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page") or 1)
    except (PageNotAnInteger, EmptyPage):
        page_obj = paginator.page(1)
    object_list = list(page_obj.object_list)
    prefetch_for_listing(object_list)
    response = render(
        request,
        "core/search_results.html",
        {"search_query": query, "page_obj": page_obj, "results": object_list},
    )
    response["X-Robots-Tag"] = "noindex"
    return response
