"""Template tags of the site chrome: navigation, breadcrumb, JSON-LD and contact details
that people can read but harvesters cannot."""

import base64
import datetime
import json

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from .. import blocks, pictures, seo, translations
from ..blocks import SectionsStreamBlock
from ..restrictions import public
from ..shared import bulk, shared

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """Render `data` as a JSON-LD script element, escaped so that no value can close it."""
    if not data:
        return ""
    if isinstance(data, dict):
        data = {"@context": "https://schema.org", **data}
    text = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def site_root(request):
    site = Site.find_for_request(request)
    if site is None:
        return None
    return site.root_page.localized


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """`url` made absolute with the site's configured address."""
    return seo.absolute(context["request"], url)


@register.simple_tag
def logo_image(image, height=48):
    """The company logo at `height` CSS pixels, sharp on 2x screens (its renditions
    looked up once per batch of pages)."""
    if image is None:
        return ""
    return shared(
        ("logo_image", image.pk, height),
        lambda: pictures.density_srcset_img(image, height, css_class="brand__logo"),
    )


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Home, then the home page's children marked “show in menus”."""
    request = context["request"]
    cache_key = "_caravan_main_menu"
    if hasattr(request, cache_key):
        return getattr(request, cache_key)
    items = shared(("main_menu", get_language()), lambda: _menu_items(request))
    setattr(request, cache_key, items)
    return items


def _menu_items(request):
    root = site_root(request)
    if root is None:
        return []
    children = public(root.get_children().live()).in_menu().specific()
    return [root, *translations.in_source_order(children)]


@register.simple_tag(takes_context=True)
def language_versions(context, page=None):
    """The live language versions of `page` (of the home page on views outside the page
    tree): what the language switcher offers and the hreflang links announce."""
    request = context.get("request")
    if request is None:
        return []
    page = page or context.get("page")
    if isinstance(page, Page):
        return translations.live_translations(page, request)
    versions = translations.view_translations(request)
    return versions if len(versions) > 1 else translations.home_translations(request)


@register.simple_tag(takes_context=True)
def announced_versions(context, page):
    """The language versions a page's hreflang links name: none on a stand-in."""
    return translations.announced(language_versions(context, page), page)


@register.simple_tag
def x_default(versions):
    return translations.x_default(versions)


@register.filter
def datetime_attribute(value):
    """A date or time as a `<time datetime>` value: ISO 8601 in whole seconds (the HTML
    standard allows at most three digits of a second's fractions; `date:'c'` writes six)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


@register.simple_tag(takes_context=True)
def canonical_url(context, page):
    """The page's own address; a stand-in's is its source's."""
    return translations.source_of(page).get_full_url(context.get("request"))


@register.filter
def content_language(page):
    """` lang=".." dir=".."` for an element showing a stand-in's title or content (its
    source's language), so bidirectional text renders right; "" for any other page."""
    source_id = translations.shown_source_id(page) if isinstance(page, Page) else None
    if source_id is None:
        return ""
    code = shared(
        ("source_language", source_id),
        lambda: (
            Page.objects.filter(pk=source_id)
            .values_list("locale__language_code", flat=True)
            .first()
        ),
    )
    if not code or code == get_language():
        return ""
    bidi = get_language_info(code)["bidi"]
    return format_html(' lang="{}" dir="{}"', translations.hreflang(code), "rtl" if bidi else "ltr")


@register.simple_tag(takes_context=True)
def stand_in_source(context, page):
    """For a stand-in (a page shown before it is translated): its source's language and
    address, as a version; None for any other page."""
    if not isinstance(page, Page) or not translations.is_stand_in(page):
        return None
    return translations.Translation(translations.source_of(page), context.get("request"))


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, page=None):
    """The pages from home down to `page` (both included) that a visitor may see."""
    page = page or context.get("page")
    if page is None or not isinstance(page, Page):
        return []

    def ancestors():
        ancestors = page.get_ancestors().filter(depth__gt=1).live()
        return list(public(ancestors).specific(defer=True))

    if not page.path or not page.depth or page.depth < 2:
        return [*ancestors(), page]
    # Siblings have the same ancestors: looked up once per parent in a batch of files.
    return [*shared(("ancestors", page.path[: -page.steplen]), ancestors), page]


@register.simple_tag(takes_context=True)
def breadcrumb_json_ld(context, trail):
    if len(trail) < 2:
        return ""
    return json_ld(seo.breadcrumb_list(context["request"], trail))


@register.simple_tag(takes_context=True)
def organization_json_ld(context, with_contact=False):
    company = context["company"]
    return shared(
        ("organization_json_ld", getattr(company, "pk", None), with_contact, get_language()),
        lambda: json_ld(seo.organization(context["request"], company, with_contact=with_contact)),
    )


def _scramble(value):
    """Reverse and base64-encode, so the plain address is absent from the HTML; the
    site script undoes it in the visitor's browser."""
    return base64.b64encode(value[::-1].encode("utf-8")).decode("ascii")


_KINDS = {
    "email": ("mailto:", _("Show e-mail address")),
    "phone": ("tel:", _("Show phone number")),
    "whatsapp": ("https://wa.me/", _("Show WhatsApp number")),
}


@register.simple_tag(takes_context=True)
def protected_contact(context, kind, value, link_value=None):
    """What shows `value` (an e-mail address or phone number) to a person.

    The served HTML holds only the scrambled value inside a small form: site.js assembles
    the readable text and the mailto:/tel:/WhatsApp link in its place; without JavaScript
    the form's button asks Django for a page that shows it (core.views.reveal_contact), a
    request that address harvesters reading HTML do not make."""
    if not value:
        return ""
    scheme, label = _KINDS[kind]
    return format_html(
        '<form class="protected-contact" method="post" action="{}" data-kind="{}" '
        'data-scheme="{}" data-value="{}" data-link="{}">'
        '<input type="hidden" name="kind" value="{}">'
        '<button type="submit" class="protected-contact__show">{}</button></form>',
        reverse("reveal_contact"),
        kind,
        _scramble(scheme),
        _scramble(value),
        _scramble(link_value or value),
        kind,
        label,
    )


def contact_link(kind, value, link_value=None):
    """A clickable mailto:/tel:/WhatsApp link, for the page that shows a contact on
    request."""
    scheme, _label = _KINDS[kind]
    return format_html(
        '<a class="protected-contact is-revealed" href="{}{}" dir="ltr">{}</a>',
        scheme,
        link_value or value,
        value,
    )


@register.simple_tag
def menu_current(item, page):
    """aria-current for a menu link: "page" on the page itself, "true" in its section."""
    if page is None or not isinstance(page, Page):
        return ""
    if item.pk == page.pk:
        return mark_safe(' aria-current="page"')
    if item.depth > 2 and page.path.startswith(item.path):
        return mark_safe(' aria-current="true"')
    return ""


@register.tag("shared")
def do_shared(parser, token):
    """``{% shared "name" [value …] %}…{% endshared %}``: markup that is the same wherever
    it shows for the same name, values and language: the footer, the inquiry dialog (a
    name alone), a product's or article's card (``{% shared "product-card" product.pk
    heading eager %}``), a home page's sections (the page's id), a section's list of
    the published pages below it (the section's place in the tree, ``page.path``).
    While a batch of public files is rendered (a whole build: only markup named alone),
    or a page is served to an anonymous visitor or previewed (caravan/core/shared.py),
    it is rendered once and reused until content changes, still recording what it
    showed for each file; otherwise (an editor) it is simply rendered. A preview renders
    afresh the markup named after the previewed page's id (`shows_draft`): name markup
    that shows a page's own fields after `page.pk`. Only for markup that reads nothing
    but its values and the language: everything else it shows must be named in the
    values."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% shared %} takes a name, then any values")
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


class SharedNode(template.Node):
    def __init__(self, nodelist, names):
        self.nodelist, self.names = nodelist, names

    def render(self, context):
        if len(self.names) > 1 and bulk():
            # A whole build shows each card or list about once: keeping them all would
            # only hold the build's memory.
            return self.nodelist.render(context)
        values = [name.resolve(context) for name in self.names]
        if shows_draft(context, values):
            return self.nodelist.render(context)
        key = ("fragment", *values, get_language())
        return shared(key, lambda: self.nodelist.render(context))


def shows_draft(context, values):
    """Whether `{% shared %}` markup with these values shows what a preview is of: markup
    named after the previewed page's id (a home page's sections) renders the draft, so
    it is never kept nor read; the footer, a list of published pages or another page's
    card is the published site's, which the preview shows as it is."""
    if not getattr(context.get("request"), "is_preview", False):
        return False
    page = context.get("page")
    return page is None or page.pk in values[1:]


# `{% picture %}` with each width once in its srcset (valid HTML for small uploads);
# replaces Wagtail's in templates that load caravan_tags after wagtailimages_tags.
register.tag("picture", pictures.picture)


@register.filter
def body_block_key(block, page):
    """`{% shared "body-block" block|body_block_key:page %}`: see blocks.body_block_key."""
    return blocks.body_block_key(block, page)


@register.filter
def is_section(block):
    """Whether a body block is one of the page-wide sections of a home or landing page
    (which lay themselves out) rather than text kept to the reading width."""
    return block.block_type in SectionsStreamBlock.SECTION_TYPES
