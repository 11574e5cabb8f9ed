"""Loads the demo company: one transaction over every step, each step idempotent.

A step is a function ``step(ctx)`` taking a ``DemoContext``; the steps run in the order
of ``STEPS``. The news and products apps add their own steps here."""

from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import transaction
from django.utils.module_loading import import_string
from wagtail.models import Page
from wagtail.signal_handlers import disable_reference_index_auto_update

STEPS = [
    "caravan.demo.steps.core.home",
    "caravan.demo.steps.products.load",
    "caravan.demo.steps.news.load",
    "caravan.demo.steps.core.pages",
    "caravan.demo.steps.trust.load",
    "caravan.demo.steps.translations.load",
]


@dataclass
class DemoContext:
    """What the steps share: the home page and anything one step makes for another."""

    stdout: object
    home: Page | None = None
    objects: dict = field(default_factory=dict)

    def say(self, message):
        self.stdout.write(message)


def database_is_empty():
    """True when only what Wagtail's migrations create is there: the root page, its
    welcome page and the default site."""
    from caravan.core.models import CaravanImage, HomePage

    if HomePage.objects.exists() or CaravanImage.objects.exists():
        return False
    return (
        not Page.objects.filter(depth__gte=2)
        .exclude(content_type__app_label="wagtailcore", content_type__model="page")
        .exists()
    )


def load(stdout):
    ctx = DemoContext(stdout=stdout)
    with transaction.atomic():
        # Wagtail queues a reference-index task for every row saved; assembling the demo
        # saves and replaces many rows (a page's featured products, say), and a task for a
        # row replaced before the worker reached it fails with a traceback on the first
        # `make run`. The index is built once instead, when everything is in place.
        with disable_reference_index_auto_update():
            for path in STEPS:
                import_string(path)(ctx)
        call_command("rebuild_references_index", verbosity=0)
    return ctx
