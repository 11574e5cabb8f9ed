"""Views outside the page tree."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from wagtail.models import Locale, Page

SEARCH_QUERY_MAX = 200
SEARCH_PER_PAGE = 10


def search(request):
    """Site search over the live public pages of the visitor's language."""
    query = (request.GET.get("q") or "").strip()[:SEARCH_QUERY_MAX]
    results = Page.objects.none()
    if query:
        results = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active(), depth__gt=1)
            .specific()
            .search(query)
        )
    paginator = Paginator(results, SEARCH_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page") or 1)
    except (PageNotAnInteger, EmptyPage):
        page_obj = paginator.page(1)
    response = render(
        request,
        "core/search_results.html",
        {"search_query": query, "page_obj": page_obj, "results": page_obj.object_list},
    )
    response["X-Robots-Tag"] = "noindex"
    return response
