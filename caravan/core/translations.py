"""A page in the other languages: which translations a visitor may be sent to, the
hreflang codes search engines read, and where an untranslated address leads."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page, Site

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


class Translation:
    """One language version of a page, as the switcher and the hreflang links show it."""

    def __init__(self, page, request):
        self.page = page
        self.code = page.locale.language_code
        self.hreflang = hreflang(self.code)
        info = get_language_info(self.code)
        self.name = info["name_local"]
        self.bidi = info["bidi"]
        self.url = page.get_url(request)
        self.full_url = page.get_full_url(request)


def live_translations(page, request):
    """Every live, public language version of `page` (itself included), in the order of
    settings.LANGUAGES; the same list whichever version asks, so hreflang is symmetric."""
    cache = request.__dict__.setdefault("_caravan_translations", {})
    if page.translation_key in cache:
        return cache[page.translation_key]
    if bulk() and page.pk and page.live:
        # In a batch of files: which pages have translations at all is looked up once;
        # a page in one language only is its own single version, and the versions of
        # a translated page are looked up once for all of them.
        versions_of = shared(("live_versions",), _version_counts)
        if versions_of.get(page.translation_key) == 1:
            page.locale = shared(("locales",), lambda: Locale.objects.in_bulk())[page.locale_id]
            versions = _versions([page], request)
        else:
            versions = shared(
                ("translations", page.translation_key),
                lambda: _versions(_live_versions(page), request),
            )
    else:
        versions = _versions(_live_versions(page), request)
    cache[page.translation_key] = versions
    return versions


def _live_versions(page):
    return (
        Page.objects.filter(translation_key=page.translation_key)
        .live()
        .public()
        .select_related("locale")
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
