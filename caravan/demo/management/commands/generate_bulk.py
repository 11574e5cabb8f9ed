"""Many published products and articles at once, for load and scale tests."""

import json
import time
import uuid
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from caravan.demo.steps import stream
from caravan.operations.jobs import refresh_query_statistics

WORDS = [
    "valve",
    "flange",
    "casting",
    "pressure",
    "seal",
    "stainless",
    "forged",
    "pipeline",
    "pump",
    "gate",
    "check",
    "ball",
    "butterfly",
    "strainer",
    "meter",
    "flow",
    "steel",
    "iron",
    "bronze",
    "export",
    "rail",
    "freight",
    "port",
]
TAGS = [f"bulk-topic-{n}" for n in range(20)]


def _text(n, words=60):
    return " ".join(WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(words)).capitalize() + "."


class Command(BaseCommand):
    help = (
        "Add N published products and M published articles to the catalogue and the news "
        "of one language, fast (rows inserted in batches, the page tree numbered directly; "
        "no revisions or search index: run `update_index` to search them). For load and "
        "scale tests, e.g. `generate_bulk --products 10000 --articles 10000`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=0)
        parser.add_argument("--articles", type=int, default=0)
        parser.add_argument("--language", default="en")
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, products, articles, language, batch, **options):
        from caravan.news.models import NewsIndexPage, NewsPage, NewsPageRelatedProduct, NewsPageTag
        from caravan.products.models import ProductIndexPage, ProductPage

        if products < 0 or articles < 0 or batch < 1:
            raise CommandError("--products and --articles must be 0 or more, --batch 1 or more.")
        try:
            product_index = ProductIndexPage.objects.get(locale__language_code=language)
            news_index = NewsIndexPage.objects.get(locale__language_code=language)
        except (ProductIndexPage.DoesNotExist, NewsIndexPage.DoesNotExist) as exc:
            raise CommandError(
                f"No product catalogue or news section in language {language!r}: "
                "load the demo first (`manage.py load_demo`)."
            ) from exc
        run = uuid.uuid4().hex[:6]
        started = time.perf_counter()
        now = timezone.now()
        with transaction.atomic():
            product_ids = self.add_pages(
                ProductPage,
                product_index,
                products,
                batch,
                run,
                "product",
                lambda n: {
                    "sku": f"BULK-{run}-{n}".upper(),
                    "short_description": _text(n, 20),
                    "description": json.dumps(
                        [{"type": "paragraph", "value": f"<p>{_text(n)}</p>"}]
                    ),
                    "specifications": stream(
                        ("spec", {"name": "Nominal pressure", "value": str(n % 40), "unit": "MPa"})
                    ),
                },
            )
            article_ids = self.add_pages(
                NewsPage,
                news_index,
                articles,
                batch,
                run,
                "article",
                lambda n: {
                    "summary": _text(n, 25),
                    "date": now - timedelta(minutes=n),
                    "sort_date": now - timedelta(minutes=n),  # what NewsPage.save() keeps
                    "body": json.dumps(
                        [
                            {"type": "heading", "value": {"text": _text(n, 4), "level": "h2"}},
                            {"type": "paragraph", "value": f"<p>{_text(n, 120)}</p>"},
                        ]
                    ),
                },
            )
            tags = [Tag.objects.get_or_create(name=t, defaults={"slug": t})[0] for t in TAGS]
            NewsPageTag.objects.bulk_create(
                [
                    NewsPageTag(content_object_id=pk, tag=tags[n % len(tags)])
                    for n, pk in enumerate(article_ids)
                ],
                batch_size=batch,
            )
            if product_ids:
                NewsPageRelatedProduct.objects.bulk_create(
                    [
                        NewsPageRelatedProduct(
                            page_id=pk, product_id=product_ids[n % len(product_ids)], sort_order=0
                        )
                        for n, pk in enumerate(article_ids)
                        if n % 10 == 0
                    ],
                    batch_size=batch,
                )
        refresh_query_statistics()  # the tables just grew many times over
        self.stdout.write(
            f"Added {len(product_ids)} products and {len(article_ids)} articles in "
            f"{time.perf_counter() - started:.1f} s."
        )

    def add_pages(self, model, parent, count, batch, run, prefix, fields_of):
        """Insert `count` live pages of `model` under `parent`: the base rows in bulk, then
        the rows of the page type's own table, numbering the tree paths as treebeard
        does."""
        from wagtail.models import Page

        if not count:
            return []
        parent = Page.objects.get(pk=parent.pk)
        last = parent.get_last_child()
        step = Page._str2int(last.path[-Page.steplen :]) if last else 0
        content_type = ContentType.objects.get_for_model(model)
        now = timezone.now()
        base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
        own_fields = list(model._meta.local_concrete_fields)
        ids = []
        for start in range(0, count, batch):
            pages = []
            for n in range(start, min(start + batch, count)):
                slug = f"bulk-{prefix}-{run}-{n}"
                title = f"{_text(n, 3).rstrip('.')} {prefix} {n}"
                page = model(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    path=Page._get_path(parent.path, parent.depth + 1, step + n + 1),
                    depth=parent.depth + 1,
                    numchild=0,
                    url_path=f"{parent.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    content_type=content_type,
                    locale_id=parent.locale_id,
                    translation_key=uuid.uuid4(),
                    **fields_of(n),
                )
                pages.append(page)
            bases = Page.objects.bulk_create(
                [Page(**{f.attname: getattr(p, f.attname) for f in base_fields}) for p in pages]
            )
            for page, base in zip(pages, bases, strict=True):
                page.page_ptr_id = page.pk = base.pk
            model._base_manager._insert(pages, fields=own_fields, using="default")
            ids += [p.pk for p in pages]
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count)
        return ids
