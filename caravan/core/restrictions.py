"""Which pages are private (a view restriction on them or an ancestor), read once.

Wagtail's `PageQuerySet.public()` reads every PageViewRestriction, with its page, each
time a queryset is filtered by it: several times per page rendered. Here the
restricted sections' paths are read once per batch of files, or per content
generation for the pages served to anonymous visitors (caravan/core/shared.py; saving
or deleting a restriction advances the generation, caravan/core/pagecache.py), and
every file that filtered on them records the restricted pages, as Wagtail's own
look-up did, so that lifting a restriction re-renders the lists that left them out
(caravan/static_site/signals.py).

`PublicPageQuerySet` is the page queryset of our own page types (its `public()` and
`not_public()` use these paths); `public(queryset)` filters any page queryset."""

from django.db.models import Q
from wagtail.models import PageQuerySet

from . import tracking
from .shared import shared


def private_paths():
    """The tree paths of the pages carrying a view restriction (sorted, no repeats)."""

    def compute():
        from wagtail.models import PageViewRestriction

        rows = list(PageViewRestriction.objects.values_list("page_id", "page__path"))
        tracking.record({tracking.page_key(page_id) for page_id, _path in rows})
        return tuple(sorted({path for _page_id, path in rows}))

    return shared(("private_paths",), compute)


def private_q():
    """Pages in a private section (the restricted page and its descendants); matches
    no page when nothing is restricted, as Wagtail's does."""
    q = Q()
    for path in private_paths():
        q |= Q(path__startswith=path)
    return q if q else Q(pk__in=[])


def public(queryset):
    """`queryset` without the pages in a private section."""
    return queryset.exclude(private_q())


class PublicPageQuerySet(PageQuerySet):
    """A page queryset whose `public()` and `not_public()` read the view restrictions
    once (see the module docstring)."""

    def private_q(self):
        return private_q()
