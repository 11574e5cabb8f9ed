"""The file tree a full rebuild writes, incremental refreshes, removal and atomic writes."""

import gzip
import os

import brotli
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, reverse

from caravan import testing
from caravan.news.models import NewsIndexPage, NewsPage
from caravan.products.models import ProductPage
from caravan.static_site import files
from caravan.static_site.build import Publisher
from caravan.static_site.models import PublicFile, PublicFileDependency


def file_of(root, url):
    return root / PublicFile.objects.get(url=url).path


def site_wide(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def stamp(path):
    info = os.stat(path)
    return info.st_ino, info.st_mtime_ns


def test_build_writes_every_public_page_with_compressed_variants(
    built_everything, public_dir, anon_client
):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    article = NewsPage.objects.child_of(news).live().first()
    expected = {
        "/en/": "en/index.html",
        news.url: f"{news.url.strip('/')}/index.html",
        article.url: f"{article.url.strip('/')}/index.html",
        news.url + "feed/rss/": f"{news.url.strip('/')}/feed/rss/index.rss",
        news.url + "feed/atom/": f"{news.url.strip('/')}/feed/atom/index.atom",
        "/en/products/": "en/products/index.html",
    }
    for name in ("sitemap", "robots_txt"):  # site-wide files, where the site has them
        url = site_wide(name)
        if url:
            expected[url] = url.strip("/")
    for url, rel in expected.items():
        path = public_dir / rel
        body = path.read_bytes()
        assert body == anon_client.get(url).content, url  # what a visitor gets
        if len(body) >= files.COMPRESS_MIN_BYTES:
            assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == body
            assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == body
    # Pagination and tag pages have files; every language's pages have theirs.
    assert PublicFile.objects.filter(url__startswith=news.url + "tag/").exists()
    for news_index in NewsIndexPage.objects.live():
        assert (public_dir / news_index.url.strip("/") / "index.html").exists(), news_index.url
    assert len({p.url.split("/")[1] for p in PublicFile.objects.exclude(page_id=None)}) == len(
        settings.LANGUAGES
    )
    paths = {p.relative_to(public_dir).as_posix() for p in public_dir.rglob("*")}
    assert not any(p.endswith(".tmp") for p in paths)


def test_a_build_writes_the_bytes_each_page_serves_alone(built_everything, public_dir, anon_client):
    """A build shares look-ups between pages and starts routing at the page it already
    holds (core/shared.py, render.py); every file must still be exactly what a visitor gets
    from Django for that address alone — every page, listing and feed, every language."""
    records = list(PublicFile.objects.exclude(page_id=None))
    assert len(records) > 50
    for record in records:
        body = (public_dir / record.path).read_bytes()
        assert body == anon_client.get(record.url).content, record.url


def test_every_page_a_listing_links_to_is_a_file(
    public_dir, renditions_made, home, anon_client, monkeypatch
):
    """Pages 2..n of the news list, of each topic, of the catalogue and of each category
    are files (static_routes), and no page past the last is."""
    monkeypatch.setattr("caravan.products.models.PRODUCTS_PER_PAGE", 2)
    press = testing.make_news_index(home, per_page=1)
    for n in range(3):
        testing.make_article(press, f"Rail news {n}", tags=["Rail"] if n else [])
    publisher = Publisher(public_dir, brotli_quality=files.BUILD_BROTLI_QUALITY)
    for under in ("/en/press-room/", "/en/products/"):
        publisher.build(under=under)

    def page(url):
        return BeautifulSoup(anon_client.get(url).content, "html.parser")

    categories = [a["href"] for a in page("/en/products/").select("nav.category-filter a")]
    to_visit = ["/en/press-room/", "/en/press-room/tag/rail/", *categories]
    linked = set()
    while to_visit:  # every page the pagination leads to, from page to page
        url = to_visit.pop()
        if url not in linked:
            linked.add(url)
            to_visit += [a["href"] for a in page(url).select("nav.pagination a")]
    paged = {url for url in linked if "/page/" in url}
    assert {"/en/press-room/page/3/", "/en/press-room/tag/rail/page/2/"} <= paged
    assert {url for url in paged if url.startswith("/en/products/category/")}
    written = set(PublicFile.objects.filter(url__contains="/page/").values_list("url", flat=True))
    assert written == paged
    for url in paged:
        assert file_of(public_dir, url).read_bytes() == anon_client.get(url).content, url


def test_pages_rendered_later_in_a_build_still_list_what_they_showed(built):
    """A shared look-up (the language's categories, the menu) is computed by the first
    page that needs it; the pages after it must record its rows as dependencies too."""
    products = list(ProductPage.objects.live().filter(locale__language_code="en"))
    assert len(products) > 2
    for product in products:
        keys = set(
            PublicFile.objects.get(url=product.url).dependencies.values_list("key", flat=True)
        )
        for category in product.category_list():
            assert f"products.productcategory:{category.pk}" in keys, product.url
        menu = product.get_site().root_page.get_children().live().in_menu()
        for item in menu:
            assert f"page:{item.pk}" in keys, (product.url, item.url)


def test_a_rebuild_brings_records_back_to_what_the_files_show(built, public_dir):
    """A second build of an unchanged site keeps every record and dependency row as the
    first wrote them, and mends a record that no longer matches its file."""

    def records():
        return {
            f.url: (f.path, f.page_id, f.content_type, f.digest, f.rendered_at)
            for f in PublicFile.objects.all()
        }

    def dependencies():
        return set(PublicFileDependency.objects.values_list("file__url", "key"))

    first, first_keys = records(), dependencies()
    product = ProductPage.objects.live().filter(locale__language_code="en").first()
    record = PublicFile.objects.get(url=product.url)
    PublicFile.objects.filter(pk=record.pk).update(digest="0" * 64)
    record.dependencies.filter(key=f"page:{product.pk}").delete()
    PublicFileDependency.objects.create(file=record, key="page:999999")

    built.build(under="/en/")

    again = records()
    assert again.keys() == first.keys()
    for url, (*fields, rendered_at) in again.items():
        assert fields == list(first[url][:4]), url
        assert rendered_at >= first[url][4], url
    assert again[product.url][4] > first[product.url][4]  # rendered again: a new time
    assert dependencies() == first_keys


def test_publishing_a_newer_article_links_it_from_the_one_before(built, public_dir, publishing):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    newest = NewsPage.objects.child_of(news).visible().newest_first().first()
    assert b'rel="next"' not in file_of(public_dir, newest.url).read_bytes()
    with publishing():
        article = testing.make_article(news, "Newest of all")
    body = file_of(public_dir, newest.url).read_bytes().decode()
    assert f'rel="next" href="{article.url}"' in body


def test_publishing_an_article_re_renders_exactly_what_shows_it(built, public_dir, publishing):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    products = list(ProductPage.objects.live().filter(locale__language_code="en")[:2])
    related, unrelated = products
    untouched = file_of(public_dir, unrelated.url)
    before = stamp(untouched)
    with publishing():
        article = testing.make_article(
            news, "Static files arrive", tags=["fresh-tag"], products=[related]
        )
    title = b"Static files arrive"
    assert title in (public_dir / article.url.strip("/") / "index.html").read_bytes()
    for url in (news.url, "/en/", related.url, news.url + "feed/rss/", news.url + "feed/atom/"):
        assert title in file_of(public_dir, url).read_bytes(), url
    assert title in file_of(public_dir, news.url + "tag/fresh-tag/").read_bytes()
    sitemap = site_wide("sitemap")
    assert sitemap, "the sitemap has an address"
    assert article.full_url.encode() in file_of(public_dir, sitemap).read_bytes()
    assert stamp(untouched) == before  # an unrelated product's file was not rewritten


def test_unpublishing_deletes_the_file_and_the_listing_entry(built, public_dir, publishing):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    article = NewsPage.objects.child_of(news).live().first()
    path = file_of(public_dir, article.url)
    assert path.exists()
    with publishing():
        article.unpublish()
    assert not path.exists()
    assert not path.with_name(path.name + ".gz").exists()
    assert not PublicFile.objects.filter(url=article.url).exists()
    assert article.title.encode() not in file_of(public_dir, news.url).read_bytes()


def test_editing_a_snippet_re_renders_the_pages_that_show_it(built, public_dir, publishing):
    from caravan.products.models import ProductCategory

    category = ProductCategory.objects.filter(locale__language_code="en").first()
    shown = PublicFile.objects.filter(dependencies__key=f"products.productcategory:{category.pk}")
    assert shown.exists()
    others = PublicFile.objects.exclude(pk__in=shown.values("pk")).filter(page_id__isnull=False)
    other = others.first()
    before = stamp(public_dir / other.path)
    rendered_before = {r.pk: r.rendered_at for r in shown}
    with publishing():
        category.name = "Renamed by the test"
        category.save()
    for record in PublicFile.objects.filter(pk__in=rendered_before):
        assert record.rendered_at > rendered_before[record.pk], record.url  # re-rendered
    english = [r for r in shown if r.url.startswith("/en/products/")]
    assert english
    for record in english:
        assert b"Renamed by the test" in (public_dir / record.path).read_bytes(), record.url
    assert stamp(public_dir / other.path) == before


def test_a_rolled_back_change_renders_nothing(built, public_dir, settings):
    from django.db import transaction

    settings.CARAVAN_STATIC_PUBLISH = True
    news = NewsIndexPage.objects.get(locale__language_code="en")
    before = stamp(file_of(public_dir, news.url))
    with pytest.raises(RuntimeError), transaction.atomic():
        testing.make_article(news, "Never happened")
        raise RuntimeError
    assert stamp(file_of(public_dir, news.url)) == before


def test_files_are_replaced_by_rename_never_written_in_place(tmp_path, monkeypatch):
    target = tmp_path / "en" / "index.html"
    files.write(tmp_path, "en/index.html", b"<p>old</p>" * 100)
    renames = []
    real_replace = os.replace

    def failing_replace(source, destination):
        renames.append((source, destination))
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        files.write(tmp_path, "en/index.html", b"<p>new</p>" * 100)
    # The reader still gets the old, whole file; the temporary file is gone.
    assert target.read_bytes() == b"<p>old</p>" * 100
    assert os.path.dirname(renames[0][0]) == os.path.dirname(renames[0][1])
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "index.html",
        "index.html.br",
        "index.html.gz",
    ]
    monkeypatch.setattr(os, "replace", real_replace)
    files.write(tmp_path, "en/index.html", b"<p>new</p>" * 100)
    assert target.read_bytes() == b"<p>new</p>" * 100


def test_check_public_reports_missing_and_stale_files(built, public_dir, capsys):
    call_command("check_public", under="/en/")
    assert "up-to-date" in capsys.readouterr().out
    news = NewsIndexPage.objects.get(locale__language_code="en")
    article = NewsPage.objects.child_of(news).live().first()
    file_of(public_dir, article.url).unlink()
    file_of(public_dir, news.url).write_bytes(b"<p>half a page")
    with pytest.raises(CommandError, match="2 public file"):
        call_command("check_public", under="/en/")
    out = capsys.readouterr().out
    assert f"missing  {article.url}" in out
    assert f"stale    {news.url}" in out


def test_prepare_builds_a_tree_that_is_missing_or_rendered_by_other_code(
    built_everything, public_dir, settings, monkeypatch, tmp_path
):
    from caravan.operations.management.commands import prepare
    from caravan.static_site import build

    settings.CARAVAN_STATIC_PUBLISH = True
    # A full build leaves the fingerprint of what rendered it.
    stamp_file = public_dir / build.BUILD_STAMP
    assert stamp_file.read_text() == build.rendering_fingerprint()
    assert build.tree_is_current(public_dir)

    builds = []
    monkeypatch.setattr(
        build.Publisher, "build", lambda self, **kw: builds.append(self.root) or (0, 0)
    )
    prepare.Command().build_public()
    assert builds == []  # current: left alone

    monkeypatch.setattr(build, "rendering_fingerprint", lambda: "other templates")
    assert not build.tree_is_current(public_dir)
    prepare.Command().build_public()
    assert builds == [public_dir]

    settings.CARAVAN_PUBLIC_DIR = tmp_path / "empty"
    assert not build.tree_is_current(tmp_path / "empty")
    prepare.Command().build_public()
    assert builds == [public_dir, tmp_path / "empty"]


def test_a_change_every_page_shows_re_renders_the_whole_tree(built, public_dir, publishing):
    from caravan.core.models import CompanyProfile

    profile = CompanyProfile.objects.get()
    english = list(PublicFile.objects.filter(url__startswith="/en/").exclude(page_id=None))
    assert len(english) > 20
    with publishing():
        profile.name = "Renamed Valve Works"
        profile.save()
    for record in english:
        assert b"Renamed Valve Works" in (public_dir / record.path).read_bytes(), record.url
    # Every language's pages were rendered (the English-only `built` tree now has them).
    assert PublicFile.objects.filter(url__startswith="/ru/").exists()


def test_a_whole_tree_refresh_waits_behind_edits(built, settings, publishing):
    """On a large site re-rendering everything takes minutes: it is queued as many small
    low-priority tasks, so an editor's publish made meanwhile is rendered first."""
    from django_tasks_db.models import DBTaskResult

    from caravan.static_site import build, tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CARAVAN_STATIC_PUBLISH = True
    tasks.refresh_public_files.call(everything=True)  # as the worker runs it
    parts = DBTaskResult.objects.ready().filter(task_path__endswith="rebuild_public_files")
    items = [item for part in parts for item in part.args_kwargs["kwargs"]["items"]]
    assert len(parts) > 1 and all(
        len(p.args_kwargs["kwargs"]["items"]) <= tasks.REBUILD_CHUNK for p in parts
    )
    # Every public page is in the plan (listings address by address).
    page_ids = {page_id for page_id, _ in items}
    assert page_ids == set(build.public_pages().values_list("pk", flat=True))
    addresses = {url for url, page_id, _ in build.targets() if page_id}
    assert {url for _, url in items if url} <= addresses
    news = NewsIndexPage.objects.get(locale__language_code="en")
    with publishing():
        testing.make_article(news, "Published during the rebuild")  # its refresh is queued
    first = DBTaskResult.objects.ready().filter(task_path__startswith="caravan.static_site")[0]
    assert first.task_path.endswith("refresh_public_files")
    assert first.args_kwargs["kwargs"]["everything"] is False


def test_queued_site_wide_refreshes_run_once(settings, monkeypatch, db):
    """Ten edits in a row queue ten sitemap refreshes; only the last one renders."""
    from caravan.static_site import build, tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    runs = []
    monkeypatch.setattr(build.Publisher, "refresh_site_wide", lambda self: runs.append(1))
    tasks.refresh_site_wide_files.enqueue()
    tasks.refresh_site_wide_files.call()  # another one waits: nothing to do now
    assert runs == []
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    tasks.refresh_site_wide_files.call()  # the last one renders
    assert runs == [1]


def test_what_is_published_while_a_build_runs_stays(built, public_dir, monkeypatch):
    """An editor publishes while a whole build runs: the build rendered the page before
    the change, and the new article did not exist when it listed the addresses. Neither
    the fresh file's record nor the new article's file may be undone by the build."""
    from caravan.static_site import build

    news = NewsIndexPage.objects.get(locale__language_code="en")
    product = ProductPage.objects.live().filter(locale__language_code="en").first()
    render_all = build._render_all

    def render_then_publish(*args):
        rendered = list(render_all(*args))  # every page rendered as it was
        product.title = "Renamed during the build"
        product.save_revision().publish()
        article = testing.make_article(news, "Published during the build")
        for page in (product, article):
            built.publish(page.url, page.pk)
        yield from rendered

    monkeypatch.setattr(build, "_render_all", render_then_publish)
    built.build()

    record = PublicFile.objects.get(url=product.url)
    body = (public_dir / record.path).read_bytes()
    assert record.digest == files.digest(body)
    assert b"Renamed during the build" in body
    article = NewsPage.objects.get(title="Published during the build")
    assert b"Published during the build" in file_of(public_dir, article.url).read_bytes()


def test_every_section_of_a_large_sitemap_is_a_file(
    built_everything, public_dir, anon_client, settings
):
    """Past one sitemap file's limit the index names numbered sections; each is a file
    (a crawler never makes the app render them), and they go when the site shrinks."""
    settings.CARAVAN_SITEMAP_LIMIT = 20
    built_everything.build()
    sections = list(PublicFile.objects.filter(url__startswith="/sitemap-").order_by("url"))
    assert len(sections) > 2
    assert "/sitemap-pages-2.xml" in {s.url for s in sections}
    for record in sections:
        assert (public_dir / record.path).read_bytes() == anon_client.get(record.url).content
    index = (public_dir / "sitemap.xml").read_bytes()
    assert index.count(b"<sitemap>") == len(sections)

    settings.CARAVAN_SITEMAP_LIMIT = 50_000
    built_everything.refresh_site_wide()
    assert not PublicFile.objects.filter(url__startswith="/sitemap-").exists()
    assert not list(public_dir.glob("sitemap-*"))
    assert b"<urlset" in (public_dir / "sitemap.xml").read_bytes()


def test_publishing_a_translation_refreshes_the_other_versions_hreflang(
    built, public_dir, publishing
):
    from wagtail.models import Locale
    from wagtail_localize.operations import TranslationCreator

    news = NewsIndexPage.objects.get(locale__language_code="en")
    with publishing():
        article = testing.make_article(news, "Wagons for the steppe")
    english_file = file_of(public_dir, article.url)
    assert b'hreflang="ru"' not in english_file.read_bytes()
    russian = Locale.objects.get(language_code="ru")
    with publishing():
        TranslationCreator(None, [russian]).create_translations(article)
    translation = article.get_translation(russian)
    assert not translation.live
    assert b'hreflang="ru"' not in english_file.read_bytes()
    with publishing():
        translation.get_latest_revision().publish()
    assert b'hreflang="ru"' in english_file.read_bytes()
    translation.refresh_from_db()
    with publishing():
        translation.unpublish()
    assert b'hreflang="ru"' not in english_file.read_bytes()
