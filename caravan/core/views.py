"""Views outside the page tree: search, errors, the language switch, robots.txt and
sitemap.xml."""

import re
from collections import defaultdict
from dataclasses import replace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from wagtail.models import Locale, Page, get_page_models

from . import brand, seo, textsearch, translations
from .sitemaps import PageSitemap

SEARCH_QUERY_MAX = 200
SEARCH_PER_PAGE = 10


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def normalise_query(raw):
    """The visitor's query with control characters dropped and white space collapsed,
    cut to SEARCH_QUERY_MAX characters (the search box allows no more; longer ones come
    from hand-made URLs)."""
    text = CONTROL_CHARACTERS.sub(" ", raw or "")
    return " ".join(text.split())[:SEARCH_QUERY_MAX].strip()


class GroupedResults:
    """Search results of several groups (products, news, other pages), each in order of
    relevance, one group after the other: what the paginator counts and slices. Only
    the groups a page of results reaches are queried for their items."""

    def __init__(self, groups):
        self.groups = groups

    @cached_property
    def counts(self):
        return [group.count() for group in self.groups]

    def count(self):
        return sum(self.counts)

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        start, stop = key.start or 0, self.count() if key.stop is None else key.stop
        items, offset = [], 0
        for group, size in zip(self.groups, self.counts, strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                items.extend(group[low:high])
            offset += size
        return items


def search_groups():
    """The page types in the order search lists them: their `search_group` (products
    0, news 1), every other page type last."""
    groups = defaultdict(list)
    for model in get_page_models():
        if model is not Page:
            groups[getattr(model, "search_group", 2)].append(model)
    return [groups[key] for key in sorted(groups)]


def search_results(query, locale):
    """The live public pages of `locale` that have every search word of `query`, read
    the way that language's pages were indexed (caravan.core.textsearch)."""
    words = textsearch.query_words(query, locale.language_code)
    if not words:
        return GroupedResults([])
    pages = Page.objects.live().public().filter(locale=locale, depth__gt=1)
    return GroupedResults(
        [pages.exact_type(*models).specific().search(words) for models in search_groups()]
    )


def prefetch_for_listing(pages):
    """Let each page type load what its search result shows (e.g. a product's picture)
    in one go: page classes with a `prefetch_for_listing(pages)` class method get their
    pages, and those pages get `search_image` set."""
    by_class = defaultdict(list)
    for page in pages:
        by_class[type(page)].append(page)
    for cls, items in by_class.items():
        prefetch = getattr(cls, "prefetch_for_listing", None)
        if prefetch is None:
            continue
        prefetch(items)
        for item in items:
            item.search_image = getattr(item, "card_image", None)


def search(request):
    """Site search over the live public pages of the visitor's language: products first,
    then news, then every other page type, with the search backend of
    settings.WAGTAILSEARCH_BACKENDS (the database's own full-text search) over the
    search words caravan.core.textsearch makes of pages and query alike."""
    query = normalise_query(request.GET.get("q"))
    paginator = Paginator(search_results(query, Locale.get_active()), SEARCH_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page") or 1)
    except (PageNotAnInteger, EmptyPage):
        page_obj = paginator.page(1)
    object_list = list(page_obj.object_list)
    prefetch_for_listing(object_list)
    response = render(
        request,
        "core/search_results.html",
        {"search_query": query, "page_obj": page_obj, "results": object_list},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def page_not_found(request, exception=None):
    """404 in the visitor's language; an address in a language a page has no version in
    leads (302) to the version that exists."""
    target = translations.untranslated_fallback_url(request)
    if target:
        return redirect(target)
    return defaults.page_not_found(request, exception)


def root(request):
    """`/`: to the home page in the visitor's language — the one they chose in the
    language switcher (Django's language cookie), else the browser's preferred one that
    the site offers (Accept-Language), else the default. The only address whose answer
    depends on the visitor, so it says so to caches."""
    language = translation.get_language_from_request(request)
    response = HttpResponseRedirect(f"/{language}/")
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    patch_cache_control(response, private=True, max_age=0)
    return response


def switch_language(request, code):
    """The language switcher's links: remember the visitor's choice in Django's language
    cookie (so that `/` takes them there next time) and go to the page in that language.
    Only this redirect reads or writes the cookie; the pages themselves do not."""
    if code not in translations.language_order():
        return HttpResponseBadRequest("This site is not offered in that language.")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith(f"/{code}/"):
        target = f"/{code}/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
    )
    response["Cache-Control"] = "no-store"
    return response


def robots_txt(request):
    """robots.txt: the sitemap's address; the admin, the inquiry endpoint, search results
    and the language switcher's redirect are not for crawlers."""
    lines = ["User-agent: *", f"Disallow: /{settings.CARAVAN_ADMIN_PATH}/", "Disallow: /language/"]
    for code in translations.language_order():
        lines += [f"Disallow: /{code}/inquiry/", f"Disallow: /{code}/search/"]
    lines += ["", f"Sitemap: {seo.absolute(request, reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def sitemap(request):
    """sitemap.xml: the pages themselves, or an index of numbered sections once they
    are more than one sitemap file may hold. The sections have addresses of their own
    (/sitemap-pages-2.xml rather than Django's /sitemap-pages.xml?p=2), so that each is
    a public file like the index: a crawler never makes the app render 50,000 URLs."""
    sitemaps = {"pages": PageSitemap(request)}
    if sitemaps["pages"].paginator.num_pages > 1:
        response = sitemap_views.index(request, sitemaps, sitemap_url_name="sitemap_section")
        response.context_data["sitemaps"] = [
            replace(item, location=_NUMBERED.sub(r"-\2.xml", item.location))
            for item in response.context_data["sitemaps"]
        ]
        return response
    return sitemap_views.sitemap(request, sitemaps)


_NUMBERED = re.compile(r"(\.xml)\?p=([0-9]+)$")  # Django's numbered section
_SECTION = re.compile(r"(?P<name>[a-z]+)(?:-(?P<page>[2-9]|[1-9][0-9]+))?")


def sitemap_section(request, section):
    """/sitemap-pages.xml and its numbered parts, /sitemap-pages-2.xml and on (the
    ?p=N form that earlier indexes named still answers)."""
    match = _SECTION.fullmatch(section)
    if match is None:
        raise Http404("No such sitemap section")
    if match["page"]:
        request.GET = request.GET.copy()
        request.GET["p"] = match["page"]
    return sitemap_views.sitemap(request, {"pages": PageSitemap(request)}, section=match["name"])


_CONTACTS = {
    "email": lambda company: (company.public_email, company.public_email),
    "phone": lambda company: (company.phone, company.phone_uri),
    "whatsapp": lambda company: (company.whatsapp, company.whatsapp_digits),
}


@csrf_exempt  # public pages carry no CSRF cookie; the Origin check below stands in
@require_POST
def reveal_contact(request):
    """The page a visitor without JavaScript reaches with "Show e-mail address" (or phone,
    WhatsApp): the contact shown as a link. Only a POST from a form of this site gets it,
    so a harvester following links finds nothing; nothing is stored, no cookie is set."""
    from .context_processors import get_company_profile
    from .templatetags.caravan_tags import contact_link

    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.get_host():
        return HttpResponseForbidden(_("This form can only be sent from this site's pages."))
    kind = request.POST.get("kind", "")
    company = get_company_profile(request)
    value, link_value = _CONTACTS[kind](company) if kind in _CONTACTS else ("", "")
    if not value:
        return HttpResponseBadRequest(_("There is no such contact detail to show."))
    response = render(
        request,
        "core/contact_revealed.html",
        {
            "contact": contact_link(kind, value, link_value),
            "kind": kind,
            "contact_page_url": seo.contact_url(request),
        },
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def brand_css(request):
    """The company's colours and font as CSS custom properties, linked from every page
    after the site's own stylesheets. Answered from the profile each time (the pages'
    files need not change with it); browsers and caches keep it for five minutes."""
    from .context_processors import get_company_profile

    company = get_company_profile(request)
    rules = "".join(f"{name}:{value};" for name, value in brand.custom_properties(company).items())
    css = ""
    if company.font_id:
        css += (
            '@font-face{font-family:"Caravan brand";font-display:swap;'
            f'src:url("{company.font.url}") format("woff2")}}\n'
        )
        rules += '--font:"Caravan brand",' + brand.SYSTEM_FONTS + ";"
    css += f":root{{{rules}}}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=300)
    return response
