"""Paginated listings of a routable page (the news list and its tags, the catalogue and
its categories): which articles or products a page of the list shows, its numbered page
links, previous and next, its canonical address, and every address of the list that the
public file tree holds.

A listing lives at plain paths a crawler and a static cache can follow: page 1 at the
listing's own address (``news/``, ``news/tag/<slug>/``), page n at a route of its own
(``news/page/2/``, ``news/tag/<slug>/page/2/``). The template that shows the links is
``includes/pagination.html``; the names it reads are those of `ListingPage.context`."""

import logging
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.functional import cached_property
from wagtail.models import Page

from . import pagecache
from .restrictions import public
from .shared import active, shared
from .translations import source_of

logger = logging.getLogger(__name__)

# Page links around the current page and at each end; the rest become a gap (…).
ON_EACH_SIDE = 2
ON_ENDS = 1


@dataclass(frozen=True)
class Listing:
    """One paginated list of `page` (a RoutablePageMixin page): page 1 is the route
    `first_route` (None: the page's own address), page n the route `page_route`, both
    reversed with `args` (a tag's or category's slug), the page number last."""

    page: object
    per_page: int
    page_route: str
    first_route: str | None = None
    args: tuple = ()

    def path(self, number=1):
        """The address of page `number`, relative to the page's URL."""
        if number > 1:
            return self.page.reverse_subpage(self.page_route, args=[*self.args, number])
        if self.first_route is None:
            return ""
        return self.page.reverse_subpage(self.first_route, args=list(self.args))

    def url(self, request=None, number=1):
        """The site-relative URL of page `number`."""
        return (self.page.get_url(request) or "") + self.path(number)

    def static_routes(self, count):
        """The addresses (relative to the page's URL) of every page of a list of `count`
        items, page 1 included however short the list: what the public file tree holds."""
        pages = max(1, math.ceil(count / self.per_page))
        return [self.path(number) for number in range(1, pages + 1)]

    def paginate(self, request, object_list, number, not_found):
        """Page `number` of `object_list`; a page that does not exist answers 404 with the
        message `not_found` (in the visitor's language)."""
        paginator = Paginator(object_list, self.per_page)
        try:
            page_obj = paginator.page(number)
        except (EmptyPage, PageNotAnInteger) as exc:
            raise Http404(str(not_found)) from exc
        links = [
            {"gap": True}
            if n == paginator.ELLIPSIS
            else {"number": n, "url": self.url(request, n), "current": n == page_obj.number}
            for n in paginator.get_elided_page_range(
                page_obj.number, on_each_side=ON_EACH_SIDE, on_ends=ON_ENDS
            )
        ]
        return ListingPage(
            page_obj=page_obj,
            page_links=links,
            previous_url=(
                self.url(request, page_obj.previous_page_number())
                if page_obj.has_previous()
                else ""
            ),
            next_url=self.url(request, page_obj.next_page_number()) if page_obj.has_next() else "",
            # A stand-in's listing (a section not translated yet) points at its source's.
            canonical_url=(source_of(self.page).get_full_url(request) or "")
            + self.path(page_obj.number),
        )


# How long a page served alone may show a section's counts after another process
# changed the site (within the process, or with a shared cache, a change shows at once).
COUNT_SECONDS = 60


def counted(key, compute):
    """`compute()`, a count over a whole section (its length, its tags or categories with
    their sizes), kept until public content changes (the page cache's generation, which
    every publish, unpublish, move or deletion advances) and for COUNT_SECONDS at most.
    A batch of files shares one computation (shared.py) and keeps nothing longer.
    `key`: a tuple naming what is counted."""
    if active():
        return shared(key, compute)
    if not settings.CARAVAN_KEEP_LOOKUPS:
        return compute()
    try:
        name = "caravan:counts:{}:{}".format(pagecache.generation(), ":".join(map(str, key)))
        value = cache.get(name)
    except Exception:  # the cache is down: count afresh (healthz reports the outage)
        logger.warning("Could not read a listing count", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(name, value, COUNT_SECONDS)
        except Exception:
            logger.warning("Could not keep a listing count", exc_info=True)
    return value


def section_pages(parent, model):
    """The live pages of type `model` directly below `parent` that a visitor may see,
    as one range of the page tree's index that holds their depth, state and type too
    (migration core 0006): counting them reads the index alone. Asked of `model`'s own
    table, the same question joins its row to each page of the section (about 20 ms at
    10,000 pages on SQLite, against 1-2 ms here): what counting a whole section uses."""
    pages = Page.objects.filter(
        path__range=Page._get_children_path_interval(parent.path),
        depth=parent.depth + 1,
        live=True,
    )
    return public(pages.exact_type(model))


class IdRange:
    """The ids of an ordered queryset as Paginator reads them: the count (kept by
    `counted` under `key`; of `counting` when given, the same pages asked more
    cheaply), then only the slice one page shows (LIMIT/OFFSET on the ordering's
    index), never the whole list. What a page served alone uses; a batch of files
    shares one list of every id."""

    def __init__(self, queryset, key, counting=None):
        self.queryset = queryset.values_list("pk", flat=True)
        self.key = key
        self.counting = self.queryset if counting is None else counting

    @cached_property
    def _count(self):
        return counted(self.key, self.counting.count)

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, index):
        return list(self.queryset[index])


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing, as its template reads it: `page_obj` (Django's Page: the
    ids on it, its number, the paginator), `page_links` ({number, url, current} or
    {gap}), `previous_url` and `next_url` (site-relative, empty at the ends) and
    `canonical_url` (absolute)."""

    page_obj: object
    page_links: list
    previous_url: str
    next_url: str
    canonical_url: str

    def context(self):
        return {
            "page_obj": self.page_obj,
            "page_links": self.page_links,
            "previous_url": self.previous_url,
            "next_url": self.next_url,
            "canonical_url": self.canonical_url,
        }
