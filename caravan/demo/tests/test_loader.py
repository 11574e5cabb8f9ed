"""The demo loader fills an empty database, once, consistently."""

import io

import pytest
from wagtail.models import Page, Site

from caravan.core.models import CaravanImage, CompanyProfile, HomePage
from caravan.demo import loader

pytestmark = pytest.mark.django_db


def empty_the_database():
    """Reduce the session's demo database to what Wagtail's migrations leave."""
    Site.objects.all().delete()
    for page in Page.objects.filter(depth=2):
        page.delete()
    CaravanImage.objects.all().delete()
    root = Page.get_first_root_node()
    welcome = Page(title="Welcome", slug="home")
    root.add_child(instance=welcome)
    Site.objects.create(hostname="localhost", root_page=welcome, is_default_site=True)


def test_loader_fills_an_empty_database():
    empty_the_database()
    assert loader.database_is_empty()
    out = io.StringIO()
    loader.load(out)
    home = HomePage.objects.get(locale__language_code="en")
    assert Site.objects.get(is_default_site=True).root_page.specific == home
    slugs = set(home.get_children().live().values_list("slug", flat=True))
    assert {"about", "contact", "privacy"} <= slugs
    profile = CompanyProfile.objects.get()
    assert profile.name == "Silkline Flow Controls" and profile.logo
    assert all(image.description for image in CaravanImage.objects.all())
    assert not loader.database_is_empty()


def test_loading_twice_changes_nothing():
    counts = (Page.objects.count(), CaravanImage.objects.count(), CompanyProfile.objects.count())
    loader.load(io.StringIO())
    assert (
        Page.objects.count(),
        CaravanImage.objects.count(),
        CompanyProfile.objects.count(),
    ) == counts


def test_if_empty_leaves_a_database_with_content_alone():
    from django.core.management import call_command

    HomePage.objects.get(locale__language_code="en").get_children().get(slug="about").delete()
    out = io.StringIO()
    call_command("load_demo", if_empty=True, stdout=out, verbosity=2)
    assert "was not loaded" in out.getvalue()
    assert (
        not HomePage.objects.get(locale__language_code="en")
        .get_children()
        .filter(slug="about")
        .exists()
    )


def test_a_failing_step_leaves_nothing_behind(monkeypatch):
    empty_the_database()
    before = Page.objects.count()

    def explode(ctx):
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        loader, "STEPS", [*loader.STEPS, "caravan.demo.tests.test_loader.explode_step"]
    )
    global explode_step
    explode_step = explode
    with pytest.raises(RuntimeError):
        loader.load(io.StringIO())
    assert Page.objects.count() == before
    assert not HomePage.objects.exists()


def test_demo_is_translated_into_russian_chinese_spanish_and_arabic():
    from caravan.core.models import CompanyText
    from caravan.news.models import NewsPage
    from caravan.products.models import ProductCategory, ProductPage

    def live(model, code):
        return model.objects.live().filter(locale__language_code=code)

    english = HomePage.objects.get(locale__language_code="en")
    english_pages = {
        page.translation_key: page for page in live(Page, "en").filter(depth__gt=1).specific()
    }
    for code in ("ru", "zh-hans", "es", "ar"):
        home = live(HomePage, code).get()
        assert home.translation_key == english.translation_key
        assert home.hero_heading != english.hero_heading
        # Every page, product, article and category has its own version, not a copy.
        pages = {page.translation_key: page for page in live(Page, code).specific()}
        assert pages.keys() == english_pages.keys(), code
        assert not live(Page, code).exclude(alias_of=None).exists()
        for key, page in pages.items():
            assert page.title != english_pages[key].title or page.depth == 2, (code, page)
        assert live(ProductPage, code).count() == live(ProductPage, "en").count() == 12
        assert live(NewsPage, code).count() == live(NewsPage, "en").count() == 10
        categories = ProductCategory.objects.filter(locale__language_code=code)
        assert categories.count() == 3
        assert not categories.filter(name__in=["Valves", "Flow meters"]).exists()
        assert CompanyText.objects.get(locale__language_code=code).tagline
    counts = (Page.objects.count(), ProductCategory.objects.count(), CompanyText.objects.count())
    loader.load(io.StringIO())
    assert (
        Page.objects.count(),
        ProductCategory.objects.count(),
        CompanyText.objects.count(),
    ) == counts


def test_loading_queues_no_reference_index_task_and_builds_the_index_once(settings):
    """The first `make run` prints no failed task: no reference-index task is queued
    per saved row (one for a row the demo replaced fails in the worker), and the admin's
    "usage" of an image or a product is still right."""
    from django_tasks_db.models import DBTaskResult
    from wagtail.models import ReferenceIndex

    from caravan.products.models import ProductPage

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    empty_the_database()
    ReferenceIndex.objects.all().delete()
    DBTaskResult.objects.all().delete()
    loader.load(io.StringIO())
    queued = DBTaskResult.objects.filter(task_path="wagtail.tasks.update_reference_index_task")
    assert not queued.exists()
    product = ProductPage.objects.filter(locale__language_code="en").first()
    picture = product.gallery_images.first().image
    assert ReferenceIndex.get_references_to(picture).exists()
