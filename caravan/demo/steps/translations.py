"""The demo site in other languages: every page, product, category and article and the
company's texts in Russian, Simplified Chinese, Spanish and Arabic. A page an editor adds
later stands in each language as an alias of the English page until it is translated
(synchronised trees).

Each version is a copy of the English page made with Wagtail's copy_for_translation
(as wagtail-localize does), whose texts are then replaced by the translations below,
looked up by their English wording. Links to other pages and snippets point at their
version in the same language where there is one. Every sentence was written for Caravan."""

import json
import re

from django.conf import settings
from wagtail.models import Locale, Page

from caravan.core.models import CompanyText
from caravan.products.models import Certificate, ProductCategory

from .texts import es_ar, ru, trust, zh

TEXTS = {
    "ru": {**ru.TEXTS, **trust.RU},
    "zh-hans": {**zh.TEXTS, **trust.ZH},
    "es": {**es_ar.ES, **trust.ES},
    "ar": {**es_ar.AR, **trust.AR},
}
TAGS = {"ru": ru.TAGS, "zh-hans": zh.TAGS, "es": es_ar.ES_TAGS, "ar": es_ar.AR_TAGS}
COMPANY = {"ru": ru.COMPANY, "zh-hans": zh.COMPANY, "es": es_ar.ES_COMPANY, "ar": es_ar.AR_COMPANY}

# Every page, category and company text is translated into each of these languages.
LANGUAGES = ["ru", "zh-hans", "es", "ar"]
CATEGORIES = ["valves", "flow-meters", "strainers-and-check-valves"]

TEXT_FIELDS = [
    "title",
    "seo_title",
    "search_description",
    "listing_title",
    "listing_summary",
    "introduction",
    "hero_heading",
    "hero_text",
    "hero_cta_label",
    "hero_caption",
    "summary",
    "author",
    "short_description",
    "lead_time",
    "moq_unit",
    "payment_terms",
    "packaging",
    "place_of_origin",
]
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def translate_text(value, texts):
    """`value` in the other language: the whole string, or rich text paragraph by
    paragraph; what the table does not hold (numbers, model codes) stays as it is."""
    if not isinstance(value, str) or not value.strip():
        return value
    if value in texts:
        return texts[value]
    if value.startswith("<p>"):
        return PARAGRAPH.sub(lambda m: f"<p>{texts.get(m.group(1), m.group(1))}</p>", value)
    return value


def translate_data(data, texts):
    """Every string inside raw StreamField data, translated where the table knows it
    (block types, ids and references are never in the table, so they stay)."""
    if isinstance(data, dict):
        return {
            key: value if key in ("type", "id") else translate_data(value, texts)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [translate_data(item, texts) for item in data]
    return translate_text(data, texts)


def localize_links(page, locale):
    """Point the page's links to other pages (hero button, featured and related
    products) at their version in `locale` where it exists; True if one changed."""
    changed = False
    cta = getattr(page, "hero_cta_page", None)
    if cta is not None and cta.locale_id != locale.pk:
        translated = cta.get_translation_or_none(locale)
        if translated is not None:
            page.hero_cta_page = translated
            changed = True
    for relation in ("featured_products", "related_products"):
        manager = getattr(page, relation, None)
        if manager is None:
            continue
        rows = list(manager.all())
        for row in rows:
            translated = (
                row.product.get_translation_or_none(locale)
                if row.product.locale_id != locale.pk
                else None
            )
            if translated is not None:
                row.product = translated.specific
                changed = True
        setattr(page, relation, rows)
    return changed


def translate_page(source, locale, texts, tags):
    copy = source.copy_for_translation(locale).specific
    for field in TEXT_FIELDS:
        if hasattr(copy, field):
            setattr(copy, field, translate_text(getattr(copy, field), texts))
    for field in copy._meta.get_fields():
        if field.__class__.__name__ == "StreamField":
            raw = getattr(copy, field.name).get_prep_value()
            setattr(copy, field.name, json.dumps(translate_data(raw, texts)))
    if tags and hasattr(copy, "tags"):
        names = [tags.get(tag.name, tag.name) for tag in source.specific.tags.all()]
        copy.tags.set(names, clear=True)
    copy.save_revision().publish()
    return copy


def load(ctx):
    home = ctx.home
    default = Locale.get_default()
    offered = {code for code, _name in settings.LANGUAGES}
    copies = []
    sources = [home, *home.get_descendants().order_by("path")]
    for code in LANGUAGES:
        if code not in offered:
            continue
        locale, _created = Locale.objects.get_or_create(language_code=code)
        texts = TEXTS[code]
        for slug in CATEGORIES:
            category = ProductCategory.objects.filter(locale=default, slug=slug).first()
            if category and category.get_translation_or_none(locale) is None:
                copy = category.copy_for_translation(locale)
                copy.name = texts.get(copy.name, copy.name)
                copy.description = texts.get(copy.description, copy.description)
                copy.save()
        for certificate in Certificate.objects.filter(locale=default):
            if certificate.get_translation_or_none(locale) is None:
                copy = certificate.copy_for_translation(locale)
                for field in ("name", "issuer", "scope"):
                    setattr(copy, field, texts.get(getattr(copy, field), getattr(copy, field)))
                copy.save()
        # In tree order: a page's parent has its version before the page does.
        for source in sources:
            if source.get_translation_or_none(locale) is not None:
                continue
            copies.append(
                translate_page(
                    Page.objects.get(pk=source.pk).specific, locale, texts, TAGS.get(code)
                )
            )
        company_texts(default, locale, COMPANY[code])
    # Links between the new versions are set once all of them exist.
    for copy in copies:
        copy = Page.objects.get(pk=copy.pk).specific  # fresh: its children came later
        if localize_links(copy, copy.locale):
            copy.save_revision().publish()
    made = len(copies)
    ctx.say(f"Translations: {made} pages added")
    synchronise(default, [code for code in LANGUAGES if code in offered])


def synchronise(default, codes):
    """Every language's tree follows the English one (wagtail-localize's synchronised
    trees): a page not translated yet stands in its language as an alias of the English
    page, so every section is reachable in every language (README.md, "Languages")."""
    from wagtail_localize.models import LocaleSynchronization

    for code in codes:
        locale = Locale.objects.get(language_code=code)
        LocaleSynchronization.objects.get_or_create(locale=locale, defaults={"sync_from": default})


def company_texts(default, locale, values):
    """The company's tagline and hours in English (the source editors translate from)
    and in `locale`."""
    from .core import COMPANY as ENGLISH

    source = CompanyText.objects.filter(locale=default).first()
    if source is None:
        source = CompanyText.objects.create(
            locale=default, **{f: ENGLISH.get(f, "") for f in CompanyText.TEXT_FIELDS}
        )
    if source.get_translation_or_none(locale) is None:
        copy = source.copy_for_translation(locale)
        for field, value in values.items():
            setattr(copy, field, value)
        copy.save()
