"""A page in the other languages: which translations a visitor may be sent to, the
hreflang codes search engines read, and where an untranslated address leads.

A language's tree holds, for a page not translated yet, a stand-in: wagtail-localize's
synchronised-tree alias of the source page (README.md, "Languages"). It shows the source's
content in that language's chrome, so every section is reachable in every language, but it
is not a version of its own: search engines are sent to the source (canonical) and never
told about it (hreflang, sitemap, feeds)."""

from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import Resolver404, resolve, translate_url
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page, Revision, Site

from .restrictions import public
from .shared import bulk, shared


def hreflang(language_code):
    """The BCP 47 spelling search engines expect: zh-hans → zh-Hans, en-gb → en-GB."""
    first, *rest = language_code.split("-")
    parts = [first.lower()]
    for part in rest:
        parts.append(part.title() if len(part) == 4 else part.upper())
    return "-".join(parts)


def language_order():
    return [code for code, _name in settings.LANGUAGES]


def _sort_key(page):
    order = language_order()
    code = page.locale.language_code
    return order.index(code) if code in order else len(order)


class Version:
    """An address in one language, as the switcher and the hreflang links show it."""

    stand_in = False

    def __init__(self, code, url, full_url):
        self.code = code
        self.hreflang = hreflang(code)
        info = get_language_info(code)
        self.name = info["name_local"]
        self.bidi = info["bidi"]
        self.url = url
        self.full_url = full_url


class Translation(Version):
    """One language version of a page."""

    def __init__(self, page, request):
        self.page = page
        super().__init__(
            page.locale.language_code, page.get_url(request), page.get_full_url(request)
        )
        self.stand_in = is_stand_in(page)


def is_stand_in(page):
    """True for a language's stand-in of a page not translated yet: an alias, or an
    alias that "Translate this page" turned into a draft translation (still live with
    its source's content until the editor publishes the translation)."""
    return shown_source_id(page) is not None


def shown_source_id(page):
    """The id of the page whose content a stand-in shows; None for a page of its own."""
    if getattr(page, "alias_of_id", None) is not None:
        return page.alias_of_id
    revision_id = getattr(page, "live_revision_id", None)
    if revision_id is None or not getattr(page, "pk", None):
        return None
    # A converted alias shows a live revision of its source and has a draft of its own:
    # only a page with unpublished changes can be one, so other pages cost no query.
    if not page.has_unpublished_changes or page.latest_revision_id == revision_id:
        return None
    if bulk():
        owner = shared(("foreign_live_revisions",), _foreign_live_revisions).get(page.pk)
    else:
        owner = (
            Revision.objects.filter(pk=revision_id)
            .exclude(object_id=str(page.pk))
            .values_list("object_id", flat=True)
            .first()
        )
    return int(owner) if owner else None


def _foreign_live_revisions():
    """page id → the id of the page whose revision it shows live (converted aliases)."""
    rows = (
        Page.objects.exclude(live_revision=None)
        .exclude(live_revision__object_id=Cast("pk", CharField()))
        .values_list("pk", "live_revision__object_id")
    )
    return dict(rows)


def own_versions(queryset):
    """The pages of `queryset` that are versions of their own (no stand-ins)."""
    return queryset.filter(alias_of__isnull=True).filter(
        Q(live_revision__isnull=True) | Q(live_revision__object_id=Cast("pk", CharField()))
    )


def source_of(page):
    """What a stand-in stands in for (the page itself otherwise)."""
    source_id = shown_source_id(page)
    if source_id is None:
        return page
    return Page.objects.select_related("locale").get(pk=source_id)


def announced(versions, page):
    """The versions search engines are told about (hreflang): every version of its own;
    nothing on a stand-in, whose canonical address is its source's."""
    if page is not None and is_stand_in(page):
        return []
    return [version for version in versions if not version.stand_in]


def live_translations(page, request):
    """Every live, public language version of `page` (itself included), in the order of
    settings.LANGUAGES; the same list whichever version asks, so hreflang is symmetric."""
    cache = request.__dict__.setdefault("_caravan_translations", {})
    if page.translation_key in cache:
        return cache[page.translation_key]
    if not (page.pk and page.live):  # a draft or a preview: looked up afresh
        versions = _versions(_live_versions(page), request)
    elif bulk() and shared(("live_versions",), _version_counts).get(page.translation_key) == 1:
        # In a batch of files, which pages have translations at all is looked up once:
        # a page in one language only is its own single version.
        page.locale = shared(("locales",), lambda: Locale.objects.in_bulk())[page.locale_id]
        versions = _versions([page], request)
    else:
        # The versions of a translated page, looked up once for all of them in a batch
        # and kept until content changes for a page served alone (core/shared.py).
        versions = shared(
            ("translations", page.translation_key),
            lambda: _versions(_live_versions(page), request),
        )
    cache[page.translation_key] = versions
    return versions


def _live_versions(page):
    return public(Page.objects.filter(translation_key=page.translation_key).live()).select_related(
        "locale"
    )


def _versions(pages, request):
    versions = [
        Translation(p, request)
        for p in sorted(pages, key=_sort_key)
        if p.locale.language_code in language_order()
    ]
    return [v for v in versions if v.url]


def _version_counts():
    """translation key → how many live, public pages carry it."""
    from django.db.models import Count

    rows = Page.objects.live().public().values("translation_key").annotate(n=Count("pk"))
    return {row["translation_key"]: row["n"] for row in rows.order_by()}


def in_language(pages, locale_id, queryset):
    """`pages` with each one replaced by its version in the language `locale_id` where
    `queryset` holds one (live, public, say), so that a translated page's featured or
    related pages lead to their translations; untranslated pages stay as they are.
    (Editors' links to pages are copied unchanged into translations; wagtail-localize
    leaves it to the site to localise them when it renders.) One query, and none when
    every page is already in that language."""
    keys = {p.translation_key for p in pages if p.locale_id != locale_id}
    if not keys:
        return list(pages)
    versions = {
        p.translation_key: p for p in queryset.filter(translation_key__in=keys, locale_id=locale_id)
    }
    result = []
    for page in pages:
        page = versions.get(page.translation_key, page)
        if page not in result:
            result.append(page)
    return result


def x_default(versions):
    """The version for visitors whose language the site does not offer: the default
    language's, else the first offered."""
    for version in versions:
        if version.code == settings.LANGUAGE_CODE:
            return version
    return versions[0] if versions else None


def in_source_order(pages):
    """`pages` (one language's) in the order of their source pages in the default
    language's tree: menus and lists read the same in every language, whatever order
    the translations were made in. Pages with no source version keep their place after."""
    pages = list(pages)
    keys = {page.translation_key for page in pages}
    paths = dict(
        Page.objects.filter(
            translation_key__in=keys, locale__language_code=settings.LANGUAGE_CODE
        ).values_list("translation_key", "path")
    )
    return sorted(pages, key=lambda page: (paths.get(page.translation_key, "~"), page.path))


def view_translations(request):
    """For views outside the page tree (search results, the inquiry page): the same
    address in every offered language, query string kept, so a switch leaves the visitor
    where they were. A `product` parameter (a product page's id) follows the product to
    its version in that language where it has one."""
    path = request.get_full_path()
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return []
    if match.url_name == "wagtail_serve":
        return []  # an address the page tree did not answer (a 404): no versions of it
    query = dict(parse_qsl(urlsplit(path).query, keep_blank_values=True))
    product = _page_or_none(query.get("product"))
    versions = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        if not url.startswith(f"/{code}/"):
            continue
        if product is not None:
            locale = Locale.objects.filter(language_code=code).first()
            version = product.get_translation_or_none(locale) if locale else None
            if version is not None and version.live:
                query["product"] = str(version.pk)
                url = f"{urlsplit(url).path}?{urlencode(query)}"
        versions.append(Version(code, url, request.build_absolute_uri(url)))
    return versions


def _page_or_none(value):
    """The page a `product` parameter names, or None: only ASCII digits, at most 18 of
    them, reach int() (a visitor's 5,000 digits would make int() raise)."""
    value = str(value or "")
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        return None
    return Page.objects.filter(pk=int(value)).first()


def home_translations(request):
    """The site's home page in every language it exists in (for views outside the page
    tree: search results, the inquiry page, errors)."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    return live_translations(site.root_page, request)


def untranslated_fallback_url(request):
    """Where an address in a language the page has no version in should lead: the page's
    version in that language if its slug differs, else the default language's version.
    None when no live public page answers the path in the default language either."""
    path = request.path_info
    parts = [part for part in path.split("/") if part]
    if not parts:
        return None
    code = parts[0]
    if code == settings.LANGUAGE_CODE or code not in language_order():
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    default_root = site.root_page.get_translation_or_none(Locale.get_default())
    if default_root is None:
        return None
    try:
        result = default_root.specific.route(request, parts[1:])
    except Http404:
        return None
    page = result[0]
    if not page.live or page.get_view_restrictions().exists():
        return None
    # What follows the page's own address (a routable page's category, say) is kept.
    depth = len([c for c in page.url_path.removeprefix(default_root.url_path).split("/") if c])
    rest = "".join(f"{component}/" for component in parts[1 + depth :])
    locale = Locale.objects.filter(language_code=code).first()
    translated = page.get_translation_or_none(locale) if locale else None
    for candidate in (translated, page):
        if candidate is None or not candidate.live:
            continue
        target = candidate.get_url(request)
        if target and target + rest != path:
            return target + rest
    return None
