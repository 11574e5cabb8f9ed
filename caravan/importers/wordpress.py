"""Moving a WordPress site in: the export file's media, posts, pages and WooCommerce
products become Wagtail images, documents, news articles, pages and product pages, with
their SEO fields, languages and every old address redirected; Flamingo's inquiries
become leads. Records are matched by their WordPress id (or SKU), so running it again
updates what changed and creates nothing twice; one bad item is reported and skipped.

The file is read three times as a stream (media, then content, then translations), so
memory does not grow with its size; what is kept between passes is a map of ids."""

import csv
import hashlib
import logging
import re
from contextlib import contextmanager
from dataclasses import astuple
from datetime import UTC, datetime
from urllib.parse import unquote, urlencode, urlsplit

import phpserialize
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator, slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, Page, PageViewRestriction

from caravan.core.models import StandardPage
from caravan.inquiries.models import ContactKind, DeliveryStatus, Inquiry
from caravan.inquiries.submission import add as add_inquiry
from caravan.news.models import NewsIndexPage, NewsPage
from caravan.products.models import (
    ProductCategory,
    ProductIndexPage,
    ProductPage,
    ProductPageDocument,
    ProductPageGalleryImage,
)

from . import media as media_module
from .content import Converter
from .media import MediaError, MediaLibrary
from .models import ImportedItem
from .posters import Posters
from .report import Report
from .wxr import WXRFile

logger = logging.getLogger(__name__)
VERSION = "1"  # part of every fingerprint: a new importer version re-imports everything
BATCH = 50  # items per committed transaction
LIVE, SCHEDULED, DRAFT = "live", "scheduled", "draft"
STATUS = {"publish": LIVE, "future": SCHEDULED}  # anything else (draft, pending, private): draft
PRODUCT_BLOCKS = ("heading", "paragraph", "figure", "table", "callout")
SEO_TITLE_KEYS = ("_yoast_wpseo_title", "rank_math_title", "_aioseo_title")
SEO_DESCRIPTION_KEYS = ("_yoast_wpseo_metadesc", "rank_math_description", "_aioseo_description")
WPML_LANGUAGE = "_wpml_import_language_code"  # written by WPML Export and Import
WPML_GROUP = "_wpml_import_translation_group"
SEO_VARIABLE = re.compile(r"%%?(\w+)%%?")


class SkipItemError(Exception):
    """This item cannot be imported; the reason goes into the report."""


def fingerprint(*parts):
    return hashlib.sha256(repr((VERSION, *parts)).encode()).hexdigest()


def parse_date(gmt, local=""):
    for text, aware in ((gmt, True), (local, False)):
        if text and not text.startswith("0000"):
            try:
                value = datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            return value.replace(tzinfo=UTC) if aware else timezone.make_aware(value)
    return None


def php_unserialize(text):
    """A PHP-serialised value read safely: strings decoded, objects refused."""

    def refuse(name, value):
        raise ValueError(f"serialised PHP object {name!r} refused")

    try:
        return phpserialize.loads(
            (text or "").encode(), decode_strings=True, object_hook=refuse, array_hook=dict
        )
    except Exception:  # noqa: BLE001 - any malformed or refused value reads as nothing
        return None


def locale_for(code):
    """Our Locale for a WordPress language code (en, en_US, zh-CN, pt-br...), or None."""
    code = (code or "").replace("_", "-").lower()
    if not code:
        return None
    candidates = [code, code.split("-")[0]]
    if code.startswith("zh"):
        candidates.insert(0, "zh-hant" if code in ("zh-tw", "zh-hk", "zh-hant") else "zh-hans")
    for candidate in candidates:
        locale = Locale.objects.filter(language_code__iexact=candidate).first()
        if locale:
            return locale
    return None


class WordPressImport:
    """One run of the importer. Options: media_dir, media_url, hosts, dry_run,
    products_csv, leads_csv, fetch_posters (the videos' posters from YouTube and Vimeo;
    off unless the operator asks); `progress(share, label)` is called as it goes."""

    def __init__(
        self,
        path=None,
        *,
        media_dir=None,
        media_url=None,
        hosts=(),
        dry_run=False,
        products_csv=None,
        leads_csv=None,
        progress=None,
        session=None,
        fetch_posters=False,
    ):
        self.wxr = WXRFile(path) if path else None
        self.products_csv = products_csv
        self.leads_csv = leads_csv
        self.dry_run = dry_run
        self.report = Report(dry_run=dry_run)
        self.progress = progress or (lambda share, label: None)
        self.media_options = {
            "media_dir": media_dir,
            "media_url": media_url,
            "hosts": hosts,
            "session": session,
        }
        self.fetch_posters = fetch_posters
        self.posters = Posters(self.report, session=session, dry_run=dry_run, fetch=fetch_posters)
        self.pages = {}  # (kind, wp id) → page id, for parents, translations and links
        self.old_paths = {}  # old path → page id
        self.with_links = set()  # ids of pages whose text links to the old site
        self.deferred = []
        self.indexes = {}  # page model → its section page in the default language
        self.wpml_groups = {}  # WPML translation group → {language: WordPress id}

    # The run

    def run(self):
        media_module._cached_image.cache_clear()
        self.site = self.wxr.site() if self.wxr else None
        self.default_locale = Locale.get_default()
        self.media = (
            MediaLibrary(self.site, self.report, dry_run=self.dry_run, **self.media_options)
            if self.site
            else None
        )
        self.home = self._home()
        publish = getattr(settings, "CARAVAN_STATIC_PUBLISH", True)
        # Public files: not re-rendered per page while importing, rebuilt once at the end.
        with override_settings(CARAVAN_STATIC_PUBLISH=False), self._outer():
            if self.wxr:
                self._pass_media()
                self._pass_content()
                self._pass_deferred()
                self._order_pages()
                self._term_redirects()
                self._rewrite_links()
            if self.products_csv:
                self._products_from_csv()
            if self.leads_csv:
                self._leads()
        if publish and not self.dry_run:
            from caravan.static_site.tasks import refresh_public_files

            refresh_public_files.enqueue(everything=True)
        self.progress(1.0, "done")
        return self.report

    @contextmanager
    def _outer(self):
        """A dry run does everything in one transaction and rolls it back. A real run
        commits every BATCH items (each item in a savepoint of its own), so that a
        large import does not wait for the disk after every page, and an interrupted
        one keeps every item it finished."""
        if self.dry_run:
            with transaction.atomic():
                yield
                transaction.set_rollback(True)
            return
        self._batch = transaction.atomic()
        self._batch.__enter__()
        self._in_batch = 0
        try:
            yield
        except BaseException:
            self._end_batch(failed=True)
            raise
        self._end_batch()

    def _end_batch(self, failed=False):
        batch, self._batch = getattr(self, "_batch", None), None
        if batch is None:
            return
        if failed and transaction.get_connection().needs_rollback:
            batch.__exit__(RuntimeError, RuntimeError(), None)  # the database refused: undo
        else:
            batch.__exit__(None, None, None)  # finished items are whole: keep them

    def _next_in_batch(self):
        if getattr(self, "_batch", None) is None:
            return
        self._in_batch += 1
        if self._in_batch >= BATCH:
            self._end_batch()
            self._batch = transaction.atomic()
            self._batch.__enter__()
            self._in_batch = 0

    def _each(self, kind, item_id, title, work):
        """Run one item's import in its own transaction; a failure skips only it."""
        try:
            with transaction.atomic():
                outcome = work()
        except (SkipItemError, MediaError) as exc:
            self.report.skip(kind, item_id, title, str(exc))
            self._next_in_batch()
            return None
        except Exception as exc:
            logger.exception("WordPress import: %s %s failed", kind, item_id)
            self.report.skip(kind, item_id, title, f"{exc.__class__.__name__}: {exc}")
            self._next_in_batch()
            return None
        if outcome:
            self.report.count(kind, outcome)
        self._next_in_batch()
        return outcome

    def _map(self, kind, key, obj, print_, guid=""):
        ImportedItem.objects.update_or_create(
            kind=kind,
            key=str(key),
            defaults={
                "content_type": ContentType.objects.get_for_model(obj, for_concrete_model=False),
                "object_id": obj.pk,
                "fingerprint": print_,
                "guid": guid[:500],
            },
        )

    # Pass 1: media

    def _pass_media(self):
        for item in self.wxr.items():
            self.progress(self.wxr.progress / 3, "media")
            group = item.first_meta(WPML_GROUP)
            if group and item.type != "attachment":
                # WPML Export and Import's fields: the groups are known before the content.
                language = item.first_meta(WPML_LANGUAGE)
                self.wpml_groups.setdefault(group, {})[language] = item.id
            if item.type != "attachment":
                continue
            print_ = fingerprint(astuple(item))

            def work(item=item, print_=print_):
                outcome, obj = self.media.add(item, print_)
                if obj is not None and outcome != "unchanged":
                    self._map("attachment", item.id, obj, print_, item.guid)
                return outcome

            self._each("media", item.id, item.title, work)

    # Pass 2: posts, pages, products

    def _pass_content(self):
        handlers = {"post": self._post, "page": self._page, "product": self._product}
        for item in self.wxr.items():
            self.progress(1 / 3 + self.wxr.progress / 3, "content")
            if item.type in handlers:
                self._item(item, handlers[item.type])
            elif item.type == "attachment":
                continue
            elif item.type == "product_variation":
                self.report.skip(
                    "variation",
                    item.id,
                    item.title,
                    "product variations are not imported; their attributes are on the product",
                )
            elif item.type not in (
                "nav_menu_item",
                "revision",
                "customize_changeset",
                "wp_global_styles",
                "wp_navigation",
                "custom_css",
                "oembed_cache",
                "user_request",
                "wp_template",
                "wp_template_part",
                "wpcf7_contact_form",
                "flamingo_inbound",
                "flamingo_contact",
                "shop_order",
                "shop_coupon",
            ):
                self.report.skip(
                    item.type or "item",
                    item.id,
                    item.title,
                    "a kind of content this importer does not know",
                )

    def _pass_deferred(self):
        """Items that came before their parent or their translation's source."""
        for _round in range(3):
            pending, self.deferred = self.deferred, []
            for item, handler in pending:
                self._item(item, handler, last_round=_round == 2)
            if not self.deferred:
                return

    def _item(self, item, handler, last_round=False):
        kind = {"post": "news", "page": "pages", "product": "products"}[item.type]
        if item.status in ("trash", "auto-draft", "inherit"):
            self.report.skip(kind, item.id, item.title, f"status “{item.status}” is not imported")
            return
        self._each(
            kind, item.id, item.title, lambda: self._unchanged(item) or handler(item, last_round)
        )

    def _unchanged(self, item):
        """An item imported before and not changed since: nothing to do but remember
        where it went (checked before any conversion, so a re-run is quick)."""
        mapped = ImportedItem.objects.find(item.type, item.id)
        if not mapped or mapped.fingerprint != self._fingerprint(item):
            return None
        page = Page.objects.filter(pk=mapped.object_id).first()
        if page is None:
            return None
        self._remember(item, page)
        return "unchanged"

    # Where things go

    def _home(self):
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        if site is None:
            raise SkipItemError("The site has no home page yet.")
        return site.root_page.specific

    def _index(self, model, title, slug):
        if model in self.indexes:
            return self.indexes[model]
        found = model.objects.filter(locale=self.default_locale).first()
        if found:
            self.indexes[model] = found
            return found
        index = model(title=title, slug=slug, live=True)
        self.home.add_child(instance=index)
        index.save_revision().publish()
        self.report.note("notes", f"created the “{title}” section under the home page")
        return index

    def _language(self, item):
        """(our locale, Polylang's translation group) of an item."""
        languages = item.terms_in("language")
        groups = item.terms_in("post_translations")
        group = (
            php_unserialize(self.site.terms.get(("post_translations", groups[0][0])).description)
            if groups and ("post_translations", groups[0][0]) in self.site.terms
            else None
        )
        if not languages:
            wpml = item.first_meta(WPML_LANGUAGE)
            languages = [(wpml, wpml)] if wpml else []
            group = self.wpml_groups.get(item.first_meta(WPML_GROUP))
        if not languages:
            return self.default_locale, None
        slug, name = languages[0]
        term = self.site.terms.get(("language", slug))
        details = php_unserialize(term.description) if term else None
        code = (details or {}).get("locale") or slug
        locale = locale_for(slug) or locale_for(code)
        if locale is None:
            self.report.unmapped_languages[f"{name} ({slug})"] += 1
            return self.default_locale, None
        return locale, group if isinstance(group, dict) else None

    def _parent_in(self, parent, locale):
        if parent.locale_id == locale.pk:
            return parent
        translated = parent.get_translation_or_none(locale)
        if translated is None:
            translated = parent.copy_for_translation(locale, copy_parents=True)
            if parent.live:
                translated.save_revision().publish()
        return translated.specific

    def _translation_source(self, item, locale, group, last_round):
        """The page this item translates (in the site's default language), if any."""
        if locale.pk == self.default_locale.pk or not group:
            return None
        kind = item.type
        for lang, wp_id in group.items():
            if lang == locale.language_code or str(wp_id) == str(item.id):
                continue
            mapped = ImportedItem.objects.find(kind, wp_id)
            if mapped:
                page = Page.objects.filter(pk=mapped.object_id).first()
                if page and page.locale_id == self.default_locale.pk:
                    return page.specific
        if not last_round and any(str(w) != str(item.id) for w in group.values()):
            raise _DeferError()
        return None

    # One page of any kind

    def _fingerprint(self, item):
        """An item's fingerprint; asking for posters changes it where the body has a
        video, so a run with --fetch-posters converts again what an earlier one did not."""
        if self.fetch_posters and re.search(r"youtu\.?be|vimeo\.com", item.content):
            return fingerprint(astuple(item), "posters")
        return fingerprint(astuple(item))

    def _save_page(self, item, model, parent, fields, locale, group, last_round, after=None):
        print_ = self._fingerprint(item)
        mapped = ImportedItem.objects.find(item.type, item.id)
        page = None
        if mapped:
            page = model.objects.filter(pk=mapped.object_id).first()
            if page and mapped.fingerprint == print_:
                self._remember(item, page)
                return "unchanged"
        outcome = "updated" if page else "created"
        if page is None:
            try:
                source = self._translation_source(item, locale, group, last_round)
            except _DeferError:
                self.deferred.append((item, getattr(self, f"_{item.type}")))
                return None
            if source is not None:
                existing = source.get_translation_or_none(locale)
                page = (existing or source.copy_for_translation(locale, copy_parents=True)).specific
                if not isinstance(page, model):
                    raise SkipItemError("its translation source is another kind of page")
                wanted = slugify(unquote(item.slug), allow_unicode=True)
                if wanted and page.slug != wanted:
                    page.slug = self._free_slug(page.get_parent(), item, model)
            else:
                parent = self._parent_in(parent, locale)
                page = model(locale=locale, live=False)
                page.slug = self._free_slug(parent, item, model)
                for name, value in fields.items():
                    setattr(page, name, value)
                parent.add_child(instance=page)
        for name, value in fields.items():
            setattr(page, name, value)
        if after:
            after(page)
        self._seo(page, item)
        state = self._status(page, item)
        self._map(item.type, item.id, page, print_, item.guid)
        self._remember(item, page)
        if state != DRAFT:
            self._redirects(item, page)
        return outcome

    def _free_slug(self, parent, item, model):
        slug = slugify(unquote(item.slug), allow_unicode=True) or slugify(
            item.title, allow_unicode=True
        )
        slug = (slug or f"{item.type}-{item.id}")[:200]
        if slug in ("page", "category", "tag", "feed"):
            slug = f"{slug}-{item.id}"
        if Page.objects.child_of(parent).filter(slug=slug).exists():
            slug = f"{slug}-{item.id}"
        return slug

    def _status(self, page, item):
        state = STATUS.get(item.status, DRAFT)
        date = parse_date(item.date, item.local_date)
        if state == SCHEDULED and (date is None or date <= timezone.now()):
            state = LIVE
        if state != DRAFT and date and not page.first_published_at:
            page.first_published_at = date
        if state == SCHEDULED:
            page.go_live_at = date
        revision = page.save_revision(log_action=True)
        if state == DRAFT:
            if page.live:
                page.unpublish()
            if item.status not in ("draft", "pending"):
                self.report.note(
                    "notes",
                    f"{item.type} {item.id} “{item.title}” was {item.status}: kept as a draft",
                )
        else:
            revision.publish()
        if item.password:
            PageViewRestriction.objects.get_or_create(
                page=page,
                restriction_type=PageViewRestriction.PASSWORD,
                defaults={"password": item.password},
            )
        return state

    def _seo(self, page, item):
        def expand(text):
            names = {
                "title": item.title,
                "sitename": self.site.title,
                "sep": "–",
                "excerpt": strip_tags(item.excerpt),
            }
            text = SEO_VARIABLE.sub(lambda m: names.get(m.group(1), ""), text)
            return re.sub(r"\s+", " ", text).strip(" –|-")

        title = next((item.first_meta(k) for k in SEO_TITLE_KEYS if item.first_meta(k)), "")
        description = next(
            (item.first_meta(k) for k in SEO_DESCRIPTION_KEYS if item.first_meta(k)), ""
        )
        if title:
            page.seo_title = expand(title)[:255]
        if description:
            page.search_description = expand(description)

    def _remember(self, item, page):
        self.pages[(item.type, item.id)] = page.pk
        if item.link:
            self.old_paths[_path(item.link)] = page.pk

    def _featured(self, item):
        return self.media.image(wp_id=int(item.first_meta("_thumbnail_id") or 0) or None)

    def _body(self, item, allowed=None, page_kind="news"):
        result = Converter(
            self.media,
            inquiry_url=self._inquiry_url(),
            allowed=allowed,
            posters=self.posters,
            featured=self._featured(item),
        ).convert(item.content)
        for name in result.unknown_shortcodes:
            self.report.unknown_shortcodes[name] += 1
        for missing in result.missing_images:
            self.report.note("missing_media", f"{missing} (in {item.type} {item.id})")
        for video in result.videos_without_poster:
            self.report.note("videos_without_poster", f"{video} (in {item.type} {item.id})")
        return result

    def _inquiry_url(self):
        """Where a contact form shortcode now points: the inquiry form, in the site's
        default language."""
        with translation.override(self.default_locale.language_code):
            return reverse("inquiries:inquiry")

    def _links_to_old_site(self, result):
        host = self.site.host
        return any(
            (urlsplit(h).hostname or "").lower() == host or h.startswith("/?") for h in result.links
        )

    # Posts → news articles

    def _post(self, item, last_round=False):
        locale, group = self._language(item)
        index = self._index(NewsIndexPage, "News", "news")
        result = self._body(item)
        hero = self._featured(item)
        summary = strip_tags(item.excerpt).strip() or Truncator(
            strip_tags(item.content.split("<!--more-->")[0]).strip()
        ).words(40)
        tags = [name for slug, name in item.terms_in("category") if slug != "uncategorized"]
        tags += [name for slug, name in item.terms_in("post_tag")]
        fields = {
            "title": item.title or f"Post {item.id}",
            "date": parse_date(item.date, item.local_date),
            "author": self.site.authors.get(item.creator, item.creator)[:120],
            "summary": summary[:600] or item.title,
            "hero_image_id": getattr(hero, "pk", None),
            "body": result.blocks,
        }

        def after(page):
            page.tags.set(tags)
            if self._links_to_old_site(result):
                self.with_links.add(page.pk)

        return self._save_page(item, NewsPage, index, fields, locale, group, last_round, after)

    # Pages → pages, with their hierarchy

    def _page(self, item, last_round=False):
        locale, group = self._language(item)
        parent = self.home
        if item.parent:
            parent_id = self.pages.get(("page", item.parent))
            if parent_id is None:
                if not last_round:
                    self.deferred.append((item, self._page))
                    return None
                self.report.note(
                    "notes",
                    f"page {item.id}: its parent {item.parent} was not imported; placed under the home page",
                )
            else:
                parent = Page.objects.get(pk=parent_id).specific
        result = self._body(item)
        fields = {
            "title": item.title or f"Page {item.id}",
            "introduction": strip_tags(item.excerpt).strip()[:600],
            "body": result.blocks,
            "show_in_menus": item.parent == 0 and item.status == "publish",
        }

        def after(page):
            if self._links_to_old_site(result):
                self.with_links.add(page.pk)

        return self._save_page(item, StandardPage, parent, fields, locale, group, last_round, after)

    def _order_pages(self):
        """Siblings in WordPress's menu order."""
        if self.dry_run:
            return
        by_parent = {}
        for item in self.wxr.items({"page"}):
            page_id = self.pages.get(("page", item.id))
            if page_id:
                by_parent.setdefault(item.parent, []).append((item.menu_order, item.id, page_id))
        for siblings in by_parent.values():
            if len(siblings) < 2:
                continue
            for _order, _wp_id, page_id in sorted(siblings):
                page = Page.objects.get(pk=page_id)
                page.move(page.get_parent(), pos="last-child")

    # WooCommerce products → product pages

    def _product(self, item, last_round=False):
        locale, group = self._language(item)
        index = self._index(ProductIndexPage, "Products", "products")
        result = self._body(item, allowed=PRODUCT_BLOCKS)
        sku = item.first_meta("_sku").strip() or item.slug or f"WP-{item.id}"
        categories = self._categories(
            item.terms_in("product_cat"),
            lambda slug: self.site.ancestors("product_cat", slug),
            lambda slug: self.site.terms.get(("product_cat", slug)),
            locale,
        )
        specs = self._specifications(item)
        gallery = [int(item.first_meta("_thumbnail_id") or 0)]
        gallery += [
            int(x)
            for x in item.first_meta("_product_image_gallery").split(",")
            if x.strip().isdigit()
        ]
        documents = self._product_documents(item)
        self._note_price(sku, item.first_meta("_regular_price") or item.first_meta("_price"))
        short = strip_tags(item.excerpt).strip() or Truncator(strip_tags(item.content)).words(40)
        fields = {
            "title": item.title or sku,
            "sku": sku[:64],
            "short_description": (short or item.title)[:400],
            "description": result.blocks,
            "specifications": specs,
        }

        def after(page):
            page.categories.set(categories)
            self._gallery(page, gallery, item)
            page.documents.all().delete()
            page.documents.set(
                [ProductPageDocument(document=doc, title=title[:200]) for doc, title in documents]
            )

        return self._save_page(item, ProductPage, index, fields, locale, group, last_round, after)

    def _gallery(self, page, wp_ids, item):
        images, seen = [], set()
        for wp_id in wp_ids:
            if not wp_id or wp_id in seen:
                continue
            seen.add(wp_id)
            image = self.media.image(wp_id=wp_id)
            if image is None or image.pk is None:
                if image is None:
                    self.report.note("missing_media", f"attachment {wp_id} (in product {item.id})")
                continue
            images.append(ProductPageGalleryImage(image_id=image.pk))
        page.gallery_images.set(images)

    def _categories(self, terms, ancestors, term_of, locale):
        """Our categories for WordPress's (a product joins its category and the ones
        above it: our categories are flat, the tree is kept in their order)."""
        found = []
        for slug, name in terms:
            if slug == "uncategorized":
                continue
            for term in [*reversed(ancestors(slug)), term_of(slug)]:
                if term is None:
                    term_slug, term_name, description = slug, name, ""
                else:
                    term_slug, term_name, description = term.slug, term.name, term.description
                category = self._category(term_slug, term_name, description, locale)
                if category not in found:
                    found.append(category)
        return found

    def _category(self, slug, name, description, locale):
        slug = slugify(unquote(slug))[:80] or slugify(name)[:80]
        category = ProductCategory.objects.filter(locale=locale, slug=slug).first()
        if category is None:
            category = ProductCategory.objects.create(
                locale=locale, slug=slug, name=name[:80], description=strip_tags(description)[:400]
            )
            self.report.count("categories", "created")
            self._map("product_cat", f"{locale.language_code}:{slug}", category, "")
        return category

    def _specifications(self, item):
        attributes = php_unserialize(item.first_meta("_product_attributes")) or {}
        rows = []
        entries = sorted(
            (a for a in attributes.values() if isinstance(a, dict)),
            key=lambda a: int(a.get("position") or 0),
        )
        for attribute in entries:
            if not int(attribute.get("is_visible") or 0) and not int(
                attribute.get("is_taxonomy") or 0
            ):
                continue
            taxonomy = str(attribute.get("name") or "")
            if int(attribute.get("is_taxonomy") or 0):
                values = [name for _slug, name in item.terms_in(taxonomy)]
                label = (
                    taxonomy.removeprefix("pa_").replace("-", " ").replace("_", " ").capitalize()
                )
            else:
                values = [v.strip() for v in str(attribute.get("value") or "").split("|")]
                label = taxonomy
            values = [v for v in values if v]
            if label and values:
                rows.append(
                    {
                        "type": "spec",
                        "value": {
                            "name": label[:120],
                            "value": ", ".join(values)[:200],
                            "unit": "",
                        },
                    }
                )
        if not attributes:  # no attribute list: the pa_* terms themselves
            for taxonomy in sorted({tax for tax, _s, _n in item.terms if tax.startswith("pa_")}):
                values = ", ".join(name for _slug, name in item.terms_in(taxonomy))
                label = taxonomy.removeprefix("pa_").replace("-", " ").capitalize()
                rows.append(
                    {
                        "type": "spec",
                        "value": {"name": label[:120], "value": values[:200], "unit": ""},
                    }
                )
        return rows

    def _product_documents(self, item):
        documents = []
        files = php_unserialize(item.first_meta("_downloadable_files")) or {}
        for entry in files.values() if isinstance(files, dict) else []:
            if not isinstance(entry, dict):
                continue
            doc = self.media.document(url=str(entry.get("file") or ""))
            if doc is None:
                self.report.note(
                    "missing_media", f"{entry.get('file')} (download of product {item.id})"
                )
                continue
            documents.append((doc, str(entry.get("name") or doc.title)))
        for wp_id, parent in self.media.parents.items():
            if parent == item.id and self.media.by_id[wp_id][0] == "document":
                doc = self.media.document(wp_id=wp_id)
                if doc and all(doc.pk != d.pk for d, _t in documents):
                    documents.append((doc, doc.title))
        return documents

    def _note_price(self, sku, price):
        if price:
            self.report.note("prices", {"sku": sku, "price": price})

    # Old addresses → permanent redirects

    def _redirect(self, old, page=None, link=None):
        old_path = Redirect.normalise_path(old)
        if not old_path or old_path == "/":
            return
        defaults = {"is_permanent": True, "redirect_page": page, "redirect_link": link or ""}
        Redirect.objects.update_or_create(old_path=old_path, site=None, defaults=defaults)
        self.report.redirects += 1

    def _redirects(self, item, page):
        if item.link:
            self._redirect(_path(item.link), page)
        query = {
            "post": {"p": item.id},
            "page": {"page_id": item.id},
            "product": {"post_type": "product", "p": item.id},
        }[item.type]
        self._redirect("/?" + urlencode(query), page)
        if item.guid and "?" in item.guid:
            self._redirect(_path(item.guid), page)
        for path, wp_id in self.media.links.items():  # attachment pages of this item
            if self.media.parents.get(wp_id) == item.id:
                self._redirect(path, page)

    def _term_redirects(self):
        news = NewsIndexPage.objects.filter(locale=self.default_locale).first()
        products = ProductIndexPage.objects.filter(locale=self.default_locale).first()
        for (taxonomy, slug), term in self.site.terms.items():
            if taxonomy in ("category", "post_tag") and news:
                base = "category" if taxonomy == "category" else "tag"
                chain = [t.slug for t in reversed(self.site.ancestors(taxonomy, slug))] + [slug]
                self._redirect(
                    f"/{base}/{'/'.join(chain)}/",
                    link=news.url + f"tag/{slugify(term.name, allow_unicode=True)}/",
                )
            elif taxonomy == "product_cat" and products and products.url:
                chain = [t.slug for t in reversed(self.site.ancestors(taxonomy, slug))] + [slug]
                self._redirect(
                    f"/product-category/{'/'.join(chain)}/",
                    link=products.url + f"category/{slugify(unquote(slug))}/",
                )
        # Attachment pages whose post was not imported: to the file itself.
        for path, wp_id in self.media.links.items():
            kind, pk = self.media.by_id[wp_id]
            if (
                pk is None
                or Redirect.objects.filter(old_path=Redirect.normalise_path(path)).exists()
            ):
                continue
            obj = (
                self.media.document(wp_id=wp_id)
                if kind == "document"
                else media_module._cached_image(pk)
            )
            if obj is not None:
                self._redirect(path, link=obj.url if kind == "document" else obj.file.url)
                self._redirect(
                    f"/?attachment_id={wp_id}", link=obj.url if kind == "document" else obj.file.url
                )

    # Links inside the text → the new pages

    def _rewrite_links(self):
        if self.dry_run:
            return
        for page_id in sorted(self.with_links):
            page = Page.objects.get(pk=page_id).specific
            field = "body" if hasattr(page, "body") else "description"
            raw = getattr(page, field).raw_data
            changed = 0
            for block in raw:
                if block["type"] == "paragraph":
                    block["value"], n = self._rewrite(block["value"])
                    changed += n
            if changed:
                setattr(page, field, list(raw))
                revision = page.save_revision()
                if page.live:
                    revision.publish()
                self.report.links_rewritten += changed

    def _rewrite(self, html):
        count = 0

        def replace(match):
            nonlocal count
            href = match.group(1).replace("&amp;", "&")
            parts = urlsplit(href)
            if parts.hostname and parts.hostname.lower() != self.site.host:
                return match.group(0)
            if not parts.hostname and not href.startswith("/"):
                return match.group(0)
            path = parts.path or "/"
            old = path + (f"?{parts.query}" if parts.query else "")
            page_id = self.old_paths.get(path)
            if page_id is None:
                redirect = Redirect.objects.filter(old_path=Redirect.normalise_path(old)).first()
                if redirect and redirect.redirect_page_id:
                    page_id = redirect.redirect_page_id
                elif redirect and redirect.redirect_link:
                    count += 1
                    return f'<a href="{escape(redirect.redirect_link)}">'
                else:
                    doc_id = self.media.find(url=href)
                    if doc_id and self.media.by_id[doc_id][0] == "document":
                        count += 1
                        return f'<a linktype="document" id="{self.media.by_id[doc_id][1]}">'
                    return match.group(0)
            count += 1
            return f'<a linktype="page" id="{page_id}">'

        return re.sub(r'<a href="([^"]*)">', replace, html), count

    # WooCommerce's product CSV

    def _products_from_csv(self):
        index = self._index(ProductIndexPage, "Products", "products")
        with open(self.products_csv, encoding="utf-8-sig", newline="") as stream:
            for row in csv.DictReader(stream):
                title = row.get("Name", "")
                self._each(
                    "products",
                    row.get("SKU") or row.get("ID"),
                    title,
                    lambda row=row: self._csv_product(row, index),
                )

    def _csv_product(self, row, index):
        kinds = {k.strip() for k in (row.get("Type") or "simple").split(",")}
        if "variation" in kinds:
            raise SkipItemError(
                "product variations are not imported; their attributes are on the product"
            )
        sku = (row.get("SKU") or "").strip() or f"WP-{row.get('ID')}"
        print_ = fingerprint(sorted(row.items()))
        mapped = ImportedItem.objects.find("product_sku", sku)
        page = ProductPage.objects.filter(pk=mapped.object_id).first() if mapped else None
        if page and mapped.fingerprint == print_:
            return "unchanged"
        outcome = "updated" if page else "created"
        description = Converter(self.media, allowed=PRODUCT_BLOCKS).convert(
            row.get("Description", "")
        )
        locale = self.default_locale
        if page is None:
            page = ProductPage(
                locale=locale,
                live=False,
                title=row.get("Name") or sku,
                sku=sku[:64],
                short_description="-",
            )
            page.slug = slugify(row.get("Name") or sku)[:200] or slugify(sku)
            if Page.objects.child_of(index).filter(slug=page.slug).exists():
                page.slug = f"{page.slug}-{slugify(sku)}"[:200]
            index.add_child(instance=page)
        page.title = row.get("Name") or sku
        page.sku = sku[:64]
        short = strip_tags(row.get("Short description") or "").strip()
        page.short_description = (
            short or Truncator(strip_tags(row.get("Description") or "")).words(40) or page.title
        )[:400]
        page.description = description.blocks
        rows, n = [], 1
        while f"Attribute {n} name" in row:
            name, values = (
                row.get(f"Attribute {n} name", ""),
                row.get(f"Attribute {n} value(s)", ""),
            )
            if name and values and row.get(f"Attribute {n} visible", "1") != "0":
                rows.append(
                    {
                        "type": "spec",
                        "value": {"name": name[:120], "value": values[:200], "unit": ""},
                    }
                )
            n += 1
        page.specifications = rows
        categories = []
        for path in (row.get("Categories") or "").split(","):
            names = [p.strip() for p in path.split(">") if p.strip()]
            for name in names:
                category = self._category(slugify(name), name, "", locale)
                if category not in categories:
                    categories.append(category)
        page.categories.set(categories)
        self._note_price(sku, row.get("Regular price") or row.get("Sale price"))
        for url in [u.strip() for u in (row.get("Images") or "").split(",") if u.strip()]:
            if self.media is None or self.media.image(url=url) is None:
                self.report.note(
                    "missing_media", f"{url} (picture of product {sku}; import the export file too)"
                )
        if self.media is not None:
            images = [
                self.media.image(url=u.strip())
                for u in (row.get("Images") or "").split(",")
                if u.strip()
            ]
            page.gallery_images.set(
                [ProductPageGalleryImage(image_id=i.pk) for i in images if i is not None and i.pk]
            )
        revision = page.save_revision()
        if (row.get("Published") or "1").strip() == "1":
            revision.publish()
        self._map("product_sku", sku, page, print_)
        return outcome

    # Flamingo's inbound messages → leads

    def _leads(self):
        with open(self.leads_csv, encoding="utf-8-sig", newline="") as stream:
            for number, row in enumerate(csv.DictReader(stream), start=2):
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
                self._each(
                    "leads",
                    f"line {number}",
                    row.get("your-subject") or row.get("subject", ""),
                    lambda row=row: self._lead(row),
                )

    def _lead(self, row):
        def first(*names):
            return next((row[n] for n in names if row.get(n)), "")

        key = fingerprint(sorted(row.items()))
        if ImportedItem.objects.find("lead", key):
            return "unchanged"
        email = first("your-email", "email", "e-mail", "from_email")
        sender = first("from")
        if not email and "<" in sender:
            email = sender.split("<", 1)[1].rstrip(">").strip()
        phone = first("your-phone", "phone", "tel", "your-tel", "telephone")
        name = (
            first("your-name", "name", "full-name")
            or sender.split("<")[0].strip()
            or email
            or phone
        )
        subject = first("your-subject", "subject")
        message = first("your-message", "message", "body", "content")
        if not (email or phone):
            raise SkipItemError("no e-mail address or phone number to answer")
        if not (message or subject):
            raise SkipItemError("no message")
        text = f"{subject}\n\n{message}".strip() if subject and subject not in message else message
        received = parse_date("", first("date", "submitted", "created")) or timezone.now()
        inquiry = Inquiry(
            created_at=received,
            name=name[:100],
            contact=(email or phone)[:254],
            contact_kind=ContactKind.EMAIL if email else ContactKind.PHONE,
            message=text[:5000],
            language=self.default_locale.language_code,
            page_url=first("url", "page", "_url")[:2000],
            utm_source="wordpress-flamingo",
            notification_status=DeliveryStatus.SKIPPED,
            autoreply_status=DeliveryStatus.SKIPPED,
            notification_last_error="Imported from WordPress (Flamingo); never e-mailed.",
        )
        add_inquiry(inquiry)  # stored as a lead; no delivery task is enqueued
        self._map("lead", key, inquiry, key)
        return "created"


class _DeferError(Exception):
    pass


def _path(url):
    parts = urlsplit(url)
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "")
