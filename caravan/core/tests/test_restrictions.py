"""View restrictions read once per batch of pages (caravan/core/restrictions.py): a
private section and everything under it is left out of public lists, and the pages
that filtered on it record the restricted page so lifting it re-renders them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from caravan.core import tracking
from caravan.core.restrictions import PublicPageQuerySet, public
from caravan.core.shared import sharing

pytestmark = pytest.mark.django_db


def restriction_queries(queries):
    return [q for q in queries if "wagtailcore_pageviewrestriction" in q["sql"]]


@pytest.fixture
def section(home):
    """A child of the demo's home with a child of its own, made private."""
    section = home.get_children().filter(numchild__gt=0).first()
    PageViewRestriction.objects.create(page=section, restriction_type="password", password="x")
    return section


def test_a_private_section_and_its_pages_are_left_out(home, section):
    inside = set(Page.objects.descendant_of(section, inclusive=True).values_list("pk", flat=True))
    assert len(inside) > 1
    everything = Page.objects.descendant_of(home, inclusive=True)
    shown = set(public(everything).values_list("pk", flat=True))
    assert not shown & inside
    assert home.pk in shown and len(shown) == everything.count() - len(inside)
    # Our page types' querysets answer as Wagtail's own public() and not_public() do.
    ours = PublicPageQuerySet(model=Page).descendant_of(home, inclusive=True)
    assert set(ours.public().values_list("pk", flat=True)) == shown
    wagtails = set(everything.not_public().values_list("pk", flat=True))
    assert set(ours.not_public().values_list("pk", flat=True)) == wagtails == inside


def test_without_restrictions_every_page_is_public(home):
    everything = Page.objects.descendant_of(home, inclusive=True)
    assert public(everything).count() == everything.count()
    assert not PublicPageQuerySet(model=Page).not_public().exists()


def test_a_batch_reads_the_restrictions_once_and_each_page_records_them(home, section):
    pages = PublicPageQuerySet(model=Page).descendant_of(home)
    with sharing(), CaptureQueriesContext(connection) as queries:
        with tracking.recording() as first:
            list(pages.public())
        with tracking.recording() as second:
            list(pages.not_public())
            list(public(Page.objects.live()))
    assert len(restriction_queries(queries.captured_queries)) == 1
    assert tracking.page_key(section.pk) in first
    assert tracking.page_key(section.pk) in second
