"""Which addresses are public files, and bringing the file tree up to date: all of it
(`build_public`), or exactly what a change touched (`refresh`, run by a task on publish).

A page's addresses are its URL plus, for pages with routes of their own (the news list,
the catalogue), what its `static_routes()` method lists: pagination, tag and category
pages, feeds. Site-wide files (robots.txt, sitemap.xml and its sections) are found by
URL name and rendered when those URLs exist."""

import gc
import hashlib
import json
import logging
import re
import time
from pathlib import Path

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from caravan.core.shared import sharing
from caravan.core.tracking import page_key

from . import conf, files, purge
from .models import PublicFile, PublicFileDependency
from .render import Renderer
from .serve import HEADERS_FILE

logger = logging.getLogger(__name__)

SITE_WIDE_URL_NAMES = ("robots_txt", "sitemap")
BUILD_STAMP = ".build-fingerprint"  # in the tree: what rendered it (see tree_is_current)
_SITEMAP_SECTION = re.compile(rb"<loc>[^<]*?(/sitemap-[^<>/]+\.xml)</loc>")


def public_pages():
    """Live pages a visitor may see (every locale), in tree order."""
    from wagtail.models import Page

    return Page.objects.live().public().filter(depth__gt=1).order_by("path")


def withdraw(root=None, page_ids=None):
    """Remove, at once, the files of pages that are not public now (`page_ids`: of these
    pages only): a page made private (a password, login or group restriction on it or
    above it), unpublished or deleted is answered by Django alone from then on, whatever
    else is queued. Returns how many files went."""
    root = Path(root or conf.public_dir())
    records = PublicFile.objects.exclude(page_id=None).exclude(
        page_id__in=public_pages().values("pk")
    )
    if page_ids is not None:
        records = records.filter(page_id__in=list(page_ids))
    removed = []
    for record in records.only("pk", "path"):
        files.remove(root, record.path)
        record.delete()
        removed.append(record.path)
    purge.purge_paths(removed)
    return len(removed)


def rebuild_plan():
    """The whole tree as [page id, address] items for rebuild tasks: a page with routes
    of its own (a listing with hundreds of pages) one item per address, any other page
    one item (None: its own address), so that every item renders quickly."""
    plan = []
    for page in public_pages().iterator(chunk_size=2000):
        if hasattr(page.specific_class, "static_routes"):
            plan += [[page.pk, url] for url in page_urls(page)]
        else:
            plan.append([page.pk, None])
    return plan


def page_urls(page):
    """The site-relative addresses of one page (empty when it is not routable)."""
    url = page.get_url()
    if not url or not url.startswith("/"):
        return []
    routes_of = getattr(page.specific_class, "static_routes", None)
    if routes_of is None:
        return [url]
    return [url + route for route in page.specific.static_routes()]


def site_wide_urls():
    urls = []
    for name in SITE_WIDE_URL_NAMES:
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    return urls


def targets():
    """Every (url, page_id, the page's own url) that should be a file, site-wide files
    last (with no page)."""
    for page in public_pages().iterator(chunk_size=2000):
        urls = page_urls(page)
        for url in urls:
            yield url, page.pk, urls[0]
    for url in site_wide_urls():
        yield url, None, None


RECORD_BATCH = 500  # rendered addresses recorded together in a whole build


class Publisher:
    """Renders addresses into the file tree and keeps the PublicFile records."""

    def __init__(self, root=None, brotli_quality=files.BROTLI_QUALITY):
        self.root = Path(root or conf.public_dir())
        self.root.mkdir(parents=True, exist_ok=True)
        self.renderer = Renderer()
        self.written = self.unchanged = self.removed = self.skipped = 0
        self.brotli_quality = brotli_quality
        self.changed = set()  # files written or removed, not yet purged (see purge())

    def render(self, url, page=None, page_url=None):
        """Render one address; returns the Rendered result (written or not)."""
        result = self.renderer.render(url, page, page_url)
        if result.storable and result.content_type.startswith("text/html"):
            self.record_headers(result.headers)
        if result.storable:
            if files.write(self.root, result.path, result.body, self.brotli_quality):
                self.written += 1
                self.changed.add(result.path)
            else:
                self.unchanged += 1
        else:
            self.skipped += 1
            logger.info("Not kept as a file: %s (%s)", url, result.reason)
        return result

    def publish(self, url, page_id, page=None, page_url=None):
        """Render one address and record it; an address that no longer renders is
        removed."""
        result = self.render(url, page, page_url)
        existing = PublicFile.objects.filter(url=url).first()
        if not result.storable:
            if existing is not None:
                self.remove(existing)
            return result
        if existing is not None and existing.path != result.path:
            files.remove(self.root, existing.path)
            self.changed.add(existing.path)
        with transaction.atomic():
            record, _ = PublicFile.objects.update_or_create(
                url=url,
                defaults={
                    "path": result.path,
                    "page_id": page_id,
                    "content_type": result.content_type,
                    "digest": files.digest(result.body),
                    "rendered_at": timezone.now(),
                },
            )
            record.dependencies.all().delete()
            PublicFileDependency.objects.bulk_create(
                PublicFileDependency(file=record, key=key) for key in sorted(result.keys)
            )
        self.extra_site_wide(url, result.body)
        return result

    def extra_site_wide(self, url, body):
        """The sitemap index (`body`) names its sections: they are files too, and those
        it no longer names (the site shrank) are not. Returns the sections' addresses."""
        if url not in site_wide_urls() or not url.endswith(".xml"):
            return []
        sections = [s.decode() for s in dict.fromkeys(_SITEMAP_SECTION.findall(body))]
        sections = [section for section in sections if section != url]
        for section_url in sections:
            self.publish(section_url, None)
        earlier = PublicFile.objects.filter(page_id=None, url__startswith="/sitemap-")
        for record in earlier.exclude(url__in=sections):
            self.remove(record)
        return sections

    def record_headers(self, headers):
        """The headers Django sends with public pages, for the embedded fast path."""
        if getattr(self, "_headers_recorded", None) == headers:
            return
        body = json.dumps(headers, indent=1, sort_keys=True).encode()
        files.replace_if_changed(self.root / HEADERS_FILE, body)
        self._headers_recorded = headers

    def remove(self, record):
        files.remove(self.root, record.path)
        record.delete()
        self.removed += 1
        self.changed.add(record.path)

    def purge(self):
        """Purge the front-end cache of the addresses whose files changed (purge.py)."""
        changed, self.changed = self.changed, set()
        purge.purge_paths(changed)

    def refresh_site_wide(self):
        with sharing(bulk=True):  # the sitemap asks each page's address several times
            for url in site_wide_urls():
                self.publish(url, None)

    # The whole tree

    def build(self, progress=None, jobs=1, under=None):
        """Render every public address; remove files of addresses that are no longer
        public. `progress(done, total, url)` is called after each address. With
        `jobs` > 1 the rendering is shared by that many forked processes. `under` limits
        the build to addresses starting with it (and removes nothing but sitemap
        sections the index no longer names)."""
        started = time.perf_counter()
        started_at = timezone.now()
        wanted = [t for t in targets() if under is None or t[0].startswith(under)]
        results = _render_all(self.root, wanted, jobs, self.brotli_quality)
        seen = set()
        batch = []
        for done, (url, page_id, outcome) in enumerate(results, 1):
            seen.add(url)
            if outcome.get("headers"):
                self.record_headers(outcome["headers"])
            batch.append((url, page_id, outcome))
            if len(batch) >= RECORD_BATCH:
                self._record_batch(batch, started_at)
                batch = []
            if progress:
                progress(done, len(wanted), url)
        self._record_batch(batch, started_at)
        # The sitemap index names its sections: files too (rendered here, they are few).
        for url in site_wide_urls():
            if url not in seen:  # not part of this build (`under`)
                continue
            record = PublicFile.objects.filter(url=url).first()
            if record is not None:
                seen.update(self.extra_site_wide(url, (self.root / record.path).read_bytes()))
        if under is None:
            # Not what was published while the build ran.
            self.remove_all_but(PublicFile.objects.filter(rendered_at__lte=started_at), seen)
            self.remove_strays()
            files.replace_if_changed(self.root / BUILD_STAMP, rendering_fingerprint().encode())
        # A page made private while the build rendered it is not left behind.
        self.removed += withdraw(self.root)
        self.purge()
        return time.perf_counter() - started, len(wanted)

    def remove_all_but(self, records, wanted):
        """Remove these records (and files) except those of the `wanted` addresses:
        compared here, not in SQL, since a site's addresses outnumber the parameters
        SQLite takes in one query."""
        for record in [r for r in records.only("url", "path") if r.url not in wanted]:
            self.remove(record)

    def _record_batch(self, batch, started_at):
        """Record a batch of rendered addresses (at most RECORD_BATCH). A whole build mostly re-renders files
        exactly as they were: those records only get their time, and of the dependency
        rows only the ones that changed are deleted or added. A record written after the
        build began (an editor published meanwhile) is newer than what the build
        rendered: it stays."""
        now = timezone.now()
        fields = ("path", "page_id", "content_type", "digest")
        with transaction.atomic():
            old = {r.url: r for r in PublicFile.objects.filter(url__in=[u for u, _, _ in batch])}
            kept = {}  # url -> (page_id, outcome) of addresses that are files
            for url, page_id, outcome in batch:
                record = old.get(url)
                if record is not None and record.rendered_at > started_at:
                    old.pop(url)
                    continue
                if outcome["path"] is None:
                    self.skipped += 1
                    if record is not None:
                        self.remove(record)
                    continue
                self.written += outcome["written"]
                self.unchanged += not outcome["written"]
                if outcome["written"]:
                    self.changed.add(outcome["path"])
                if record is not None and record.path != outcome["path"]:
                    files.remove(self.root, record.path)
                    self.changed.add(record.path)
                kept[url] = (page_id, outcome)
            values = {
                url: {
                    "path": o["path"],
                    "page_id": page_id,
                    "content_type": o["content_type"],
                    "digest": o["digest"],
                    "rendered_at": now,
                }
                for url, (page_id, o) in kept.items()
            }
            new = [PublicFile(url=url, **values[url]) for url in kept if url not in old]
            PublicFile.objects.bulk_create(new, batch_size=500)
            ids = dict(
                PublicFile.objects.filter(url__in=[f.url for f in new]).values_list("url", "pk")
            )
            same = []
            for url in kept:
                record = old.get(url)
                if record is None:
                    continue
                ids[url] = record.pk
                if all(getattr(record, name) == values[url][name] for name in fields):
                    same.append(record.pk)
                else:
                    PublicFile.objects.filter(pk=record.pk).update(**values[url])
            PublicFile.objects.filter(pk__in=same).update(rendered_at=now)
            had = {}  # file id -> {key: dependency row id}
            rows = PublicFileDependency.objects.filter(file_id__in=[r.pk for r in old.values()])
            for pk, file_id, key in rows.values_list("pk", "file_id", "key"):
                had.setdefault(file_id, {})[key] = pk
            stale, added = [], []
            for url, (_, outcome) in kept.items():
                before = had.get(ids[url], {})
                keys = set(outcome["keys"])
                stale += [pk for key, pk in before.items() if key not in keys]
                added += [
                    PublicFileDependency(file_id=ids[url], key=key)
                    for key in outcome["keys"]
                    if key not in before
                ]
            for start in range(0, len(stale), 500):
                PublicFileDependency.objects.filter(pk__in=stale[start : start + 500]).delete()
            PublicFileDependency.objects.bulk_create(added, batch_size=2000)

    def remove_strays(self):
        """Files in the tree that no record names (left by an interrupted run)."""
        known = set(PublicFile.objects.values_list("path", flat=True))
        for path in self.root.rglob("*"):
            if not path.is_file():
                continue
            rel = path.relative_to(self.root).as_posix()
            base = rel.removesuffix(".gz").removesuffix(".br")
            if base not in known and rel not in (HEADERS_FILE, BUILD_STAMP):
                path.unlink(missing_ok=True)

    # The whole tree in parts (a change that shows on every page; see tasks.py)

    def publish_items(self, items):
        """Render [page id, address] items; an address of None stands for all of the
        page's addresses that are not listed separately."""
        ids = {page_id for page_id, _ in items}
        pages = {p.pk: p for p in public_pages().filter(pk__in=ids).specific()}
        done = 0
        with sharing():  # a few dozen pages: not worth the whole-site look-ups
            for page_id, url in items:
                page = pages.get(page_id)
                if page is None:
                    continue  # no longer public: finish_public_rebuild removes its files
                page_url = page.get_url()  # the first of page_urls(page)
                for address in page_urls(page) if url is None else [url]:
                    self.publish(address, page_id, page, page_url)
                    done += 1
        self.removed += withdraw(self.root, ids)  # made private meanwhile
        return done

    def remove_unwanted(self):
        """Remove the files of addresses that are no longer public."""
        wanted = {url for url, _, _ in targets()}
        self.remove_all_but(PublicFile.objects.exclude(page_id=None), wanted)

    # What one change touched

    def refresh(self, page_ids=(), keys=(), parent_ids=(), site_wide=True):
        """Re-render what a change touched: the changed pages' own addresses first (the
        edit is live), then the files that showed them, then the listings above them
        and (unless `site_wide` is false) the site-wide files; remove what is no longer
        public. (A change every page shows is a whole rebuild: see tasks.py.)"""
        with sharing():
            return self._refresh(page_ids, keys, parent_ids, site_wide)

    def _refresh(self, page_ids, keys, parent_ids, site_wide):
        order = {}  # url -> page_id, in rendering order
        done = set()

        def want(url, page_id):
            if url not in done:
                order.setdefault(url, page_id)

        keys = set(keys) | {page_key(pk) for pk in page_ids}
        pages = {p.pk: p for p in public_pages().filter(pk__in=page_ids)}
        membership_changed = set(parent_ids)
        for pk in page_ids:
            owned = list(PublicFile.objects.filter(page_id=pk))
            page = pages.get(pk)
            urls = page_urls(page) if page is not None else []
            for record in owned:
                if record.url not in urls:
                    self.remove(record)
            known = {r.url for r in owned}
            if page is None or not urls or urls[0] not in known:
                # Published for the first time, unpublished, moved, renamed or deleted:
                # the listings above it change membership.
                membership_changed.add(pk)
            if urls:
                # The edit itself is live before anything else is even looked up.
                self.publish(urls[0], pk)
                done.add(urls[0])
            for url in urls:
                want(url, pk)
        # Pages that list a changed page without having read it before (explicit hooks
        # on the page types, e.g. an article's related products).
        dependents = set()
        for page in pages.values():
            if hasattr(page.specific_class, "static_dependents"):
                dependents.update(page.specific.static_dependents())
        for page in public_pages().filter(pk__in=dependents - set(pages)):
            for url in page_urls(page):
                want(url, page.pk)
        readers = (
            PublicFile.objects.filter(dependencies__key__in=keys)
            .exclude(page_id=None)
            .values_list("url", "page_id")
            .distinct()
        )
        for url, page_id in readers:
            want(url, page_id)
        # Listings above a page whose membership changed are rendered whole (pagination
        # shifts, a tag page appears or goes); above a page edited in place only their
        # new addresses are (the files that showed the page are among the readers).
        full = {p.pk for p in public_pages().filter(pk__in=parent_ids)}
        full |= {p.pk for p in self.ancestors_of(membership_changed | set(parent_ids))}
        for ancestor in self.ancestors_of(set(page_ids) | set(parent_ids)):
            full_here = ancestor.pk in full
            urls = page_urls(ancestor)
            owned = {r.url: r for r in PublicFile.objects.filter(page_id=ancestor.pk)}
            for url, record in owned.items():
                if url not in urls:
                    self.remove(record)
            for url in urls:
                if full_here or url not in owned:
                    want(url, ancestor.pk)
        if site_wide:
            for url in site_wide_urls():
                want(url, None)
        for url, page_id in order.items():
            self.publish(url, page_id)
        self.prune(set(page_ids) | set(parent_ids))
        # A page made private while this ran (its own refresh follows) is not left behind.
        self.removed += withdraw(self.root, {pk for _, pk in order.items() if pk is not None})
        return len(order)

    def ancestors_of(self, page_ids):
        """The public ancestors of these pages (and the public ones among them that were
        not changed themselves), nearest first."""
        from wagtail.models import Page

        result = {}
        for page in Page.objects.filter(pk__in=page_ids):
            for ancestor in public_pages().ancestor_of(page, inclusive=True):
                result[ancestor.pk] = ancestor
        return sorted(result.values(), key=lambda p: -p.depth)

    def prune(self, page_ids):
        """Files of pages that no longer exist."""
        from wagtail.models import Page

        gone = PublicFile.objects.filter(page_id__in=page_ids).exclude(
            page_id__in=Page.objects.values("pk")
        )
        for record in gone:
            self.remove(record)


# Rendering many addresses, in this process or in forked ones

_worker = {}


def _outcome(root, url, quality, page=None, page_url=None):
    renderer = _worker.get("renderer")
    if renderer is None:
        renderer = _worker["renderer"] = Renderer()
    result = renderer.render(url, page, page_url)
    if not result.storable:
        logger.info("Not kept as a file: %s (%s)", url, result.reason)
        return {"path": None}
    return {
        "headers": result.headers if result.content_type.startswith("text/html") else None,
        "path": result.path,
        "content_type": result.content_type,
        "digest": files.digest(result.body),
        "keys": sorted(result.keys),
        "written": files.write(root, result.path, result.body, quality),
    }


CHUNK = 16  # addresses per job: their pages are loaded together


def _job(args):
    """Render a chunk of addresses; returns [(url, page_id, outcome)]."""
    from wagtail.models import Page

    root, chunk, quality = args
    ids = {page_id for _, page_id, _ in chunk if page_id is not None}
    pages = {p.pk: p for p in Page.objects.filter(pk__in=ids).specific()} if ids else {}
    # The look-ups pages share are kept for the whole build in this process.
    with sharing(_worker.setdefault("shared", {}), bulk=True):
        return [
            (url, page_id, _outcome(root, url, quality, pages.get(page_id), page_url))
            for url, page_id, page_url in chunk
        ]


def _render_all(root, wanted, jobs, quality):
    """Yield (url, page_id, outcome) for every wanted (url, page_id, page_url)."""
    work = [(root, wanted[i : i + CHUNK], quality) for i in range(0, len(wanted), CHUNK)]
    _worker.pop("shared", None)  # nothing kept from an earlier build
    if jobs <= 1 or len(wanted) < 50:
        thresholds = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLDS)
        try:
            for done in map(_job, work):
                yield from done
        finally:
            gc.set_threshold(*thresholds)
            _worker.pop("shared", None)
        return
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each forked process opens its own connection
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker) as pool:
        for done in pool.imap_unordered(_job, work):
            yield from done


# A render makes many short-lived objects and few cycles: collecting less often saves
# about a tenth of a build's time.
GC_THRESHOLDS = (50_000, 50, 100)


def _start_worker():
    gc.freeze()  # what the parent loaded stays put: the collector skips it
    gc.set_threshold(*GC_THRESHOLDS)


# Whether the tree needs a full build (at start-up)


def rendering_fingerprint():
    """A digest of what turns the database into files: the project's code, templates
    and compiled translations, the static files' hashed names, the installed packages
    and the settings that appear in pages."""
    from django.conf import settings

    project = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(project.rglob("*")):
        if path.suffix in (".py", ".html", ".txt", ".xml", ".mo") and "tests" not in path.parts:
            digest.update(path.relative_to(project).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    for extra in (
        Path(settings.STATIC_ROOT) / "staticfiles.json",
        project.parent / "requirements" / "base.txt",
    ):
        if extra.exists():
            digest.update(extra.read_bytes())
    digest.update(repr((settings.LANGUAGES, settings.CARAVAN_BASE_URL)).encode())
    return digest.hexdigest()


def tree_is_current(root):
    """The tree was built whole by this code and has records of its files. (Edits since
    are kept current by publishing.)"""
    stamp = Path(root) / BUILD_STAMP
    try:
        built_by = stamp.read_text()
    except OSError:
        return False
    return built_by == rendering_fingerprint() and PublicFile.objects.exists()
