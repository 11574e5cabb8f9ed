"""Every page type in every site language is valid HTML: the Nu HTML Checker (vnu.jar, the
W3C's validator, from the npm package vnu-jar) finds no error in any of them. The pages
are rendered from the test database into files and checked in one run of the checker.
Without Java or vnu.jar the test is skipped (a failure under CARAVAN_REQUIRE_SERVICES=1)."""

import json
import re
import subprocess

import pytest
from django.conf import settings
from wagtail.models import Locale, PageViewRestriction

from caravan.core.models import ContactPage, HomePage, StandardPage
from caravan.news.models import NewsIndexPage, NewsPage
from caravan.products.models import ProductCategory, ProductIndexPage, ProductPage
from caravan.testing import (
    inquiry_data,
    make_article,
    make_news_index,
    make_product,
    post_inquiry,
    publish,
)
from caravan.testing.services import VNU_JAR, skip_or_fail, vnu_problem

pytestmark = pytest.mark.django_db


def first_live(model, locale, **filters):
    return model.objects.live().filter(locale=locale, **filters).order_by("path").first()


def pages_of(language):
    """One live page of each type in `language`: the demo's where it has one, else made
    here (a product with a category, an article with tags and no “Posted on” date)."""
    locale = Locale.objects.get(language_code=language)
    home = HomePage.objects.get(locale=locale)
    suffix = language.lower()
    products = first_live(ProductIndexPage, locale) or publish(
        home, ProductIndexPage(title="Products", slug="products")
    )
    category = ProductCategory.objects.filter(locale=locale).first()
    if category is None:
        category = ProductCategory.objects.create(
            name=f"Valves {suffix}", slug=f"valves-{suffix}", locale=locale
        )
    product = make_product(
        f"Checked valve {suffix}",
        index=products,
        slug=f"checked-valve-{suffix}",
        sku=f"CHK-{suffix}".upper(),
        categories=[category],
        specs=["Materials", ("Body", "Ductile iron", ""), ("Nominal pressure", "1.6", "MPa")],
    )
    news = first_live(NewsIndexPage, locale) or make_news_index(parent=home)
    article = make_article(
        news,
        f"Checked article {suffix}",
        slug=f"checked-article-{suffix}",
        tags=["valves"],
        products=[product],
    )
    article = NewsPage.objects.get(pk=article.pk)
    standard = first_live(StandardPage, locale) or publish(
        home, StandardPage(title="About", slug="about", introduction="About us.")
    )
    contact = first_live(ContactPage, locale) or publish(
        home, ContactPage(title="Contact", slug="contact", introduction="Write to us.")
    )
    protected = publish(
        home, StandardPage(title="Dealers", slug=f"dealers-{suffix}", introduction="Prices.")
    )
    PageViewRestriction.objects.create(
        page=protected, restriction_type=PageViewRestriction.PASSWORD, password="dealers"
    )
    return {
        "home": home.url,
        "standard": standard.url,
        "contact": contact.url,
        "protected": protected.url,
        "products": products.url,
        "category": f"{products.url}category/{category.slug}/",
        "product": ProductPage.objects.get(pk=product.pk).url,
        "news": news.url,
        "tag": f"{news.url}tag/valves/",
        "article": article.url,
        "search": f"/{language}/search/?q={product.sku}",
        "search-empty": f"/{language}/search/?q=zzqxq",
        "search-start": f"/{language}/search/",
        "inquiry": f"/{language}/inquiry/?product={product.pk}",
        "not-found": f"/{language}/no-such-page/",
    }


def test_every_page_type_in_every_language_is_valid_html(client, tmp_path):
    problem = vnu_problem()
    if problem:
        skip_or_fail(problem)
    files = {}
    for number, (language, _name) in enumerate(settings.LANGUAGES):
        for kind, url in pages_of(language).items():
            response = client.get(url)
            assert response.status_code in (200, 401, 404), (url, response.status_code)
            files[f"{language}-{kind}.html"] = (url, response.content)
        address = {"REMOTE_ADDR": f"192.0.2.{number + 1}"}
        invalid = post_inquiry(client, inquiry_data(name="", contact="x"), lang=language, **address)
        assert invalid.status_code == 400
        files[f"{language}-inquiry-errors.html"] = (f"/{language}/inquiry/ (POST)", invalid.content)
        sent = post_inquiry(client, lang=language, **address)
        files[f"{language}-inquiry-sent.html"] = (
            sent["Location"],
            client.get(sent["Location"]).content,
        )
    for name, (_url, content) in files.items():
        (tmp_path / name).write_bytes(content)
    run = subprocess.run(
        ["java", "-jar", VNU_JAR, "--errors-only", "--format", "json", *sorted(files)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [
        f"{files[m['url'].rsplit('/', 1)[-1]][0]} line {m.get('lastLine')}: {m['message']} "
        f"[{m.get('extract', '').strip()}]"
        for m in messages
        if m.get("type") == "error"
    ]
    assert len(files) == 17 * len(settings.LANGUAGES)
    assert not errors, "\n".join(errors)


def test_a_small_picture_lists_each_width_once():
    """A 400-pixel upload asked for at 400 and 800 pixels: one 400w candidate per format
    (Wagtail's own tag lists the same width twice, which HTML forbids)."""
    from django.template import Context, Template

    from caravan.testing import make_image

    html = Template(
        "{% load wagtailimages_tags caravan_tags %}"
        '{% picture image format-{webp,jpeg} fill-{400x300,800x600} sizes="400px" alt="" %}'
    ).render(Context({"image": make_image(size=(400, 300))}))
    srcsets = [s.split(", ") for s in re.findall(r'srcset="([^"]*)"', html)]
    assert len(srcsets) == 2
    for candidates in srcsets:
        assert [c.rsplit(" ", 1)[1] for c in candidates] == ["400w"]
    wide = Template(
        "{% load wagtailimages_tags caravan_tags %}"
        '{% picture image format-{webp,jpeg} fill-{400x300,800x600} sizes="400px" alt="" %}'
    ).render(Context({"image": make_image("Wide picture", size=(1600, 1200))}))
    assert "400w" in wide
    assert "800w" in wide
