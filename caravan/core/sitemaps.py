"""sitemap.xml: every live public page of the site in every language, each with its
language versions as xhtml:link alternates (and x-default), like the pages' own
hreflang links."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page

from .translations import Translation, language_order, own_versions, x_default


class PageSitemap(Sitemap):
    """The site's pages in all languages; past `limit` URLs the sitemap becomes an index
    of numbered sections (the protocol allows 50,000 URLs per file)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = getattr(settings, "CARAVAN_SITEMAP_LIMIT", 50_000)

    def items(self):
        site = self.get_wagtail_site()
        trees = Q()
        for root in site.root_page.get_translations(inclusive=True):
            trees |= Q(path__startswith=root.path)
        # Stand-ins of pages not translated yet are left out: their address is not
        # canonical (it points at the source page).
        return (
            own_versions(Page.objects.filter(trees))
            .filter(locale__language_code__in=language_order())
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _alternates(self, pages):
        keys = list({page.translation_key for page in pages})
        versions = defaultdict(list)
        translated = own_versions(
            Page.objects.filter(locale__language_code__in=language_order()).live().public()
        )
        # Only pages with more than one language version are loaded again: a page in
        # one language is its own only version (most pages of a large catalogue). The
        # keys go in parts: SQLite takes about 32,000 parameters in one query.
        several = set()
        for part in _parts(keys):
            counts = (
                translated.filter(translation_key__in=part)
                .values("translation_key")
                .annotate(n=Count("pk"))
                .order_by()
            )
            several.update(row["translation_key"] for row in counts if row["n"] > 1)
        locales = Locale.objects.in_bulk()
        alone = [page for page in pages if page.translation_key not in several]
        for page in alone:
            page.locale = locales[page.locale_id]
        translations = list(alone)
        for part in _parts(list(several)):
            translations += translated.filter(translation_key__in=part).select_related("locale")
        order = language_order()
        for page in sorted(translations, key=lambda p: order.index(p.locale.language_code)):
            version = Translation(page, self.request)
            if version.full_url:
                versions[page.translation_key].append(version)
        return versions

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        versions = self._alternates(pages)
        urls = []
        last_mods = set()
        for item in pages:
            alternates = [
                {"lang_code": v.hreflang, "location": v.full_url}
                for v in versions[item.translation_key]
            ]
            default = x_default(versions[item.translation_key])
            if default is not None:
                alternates.append({"lang_code": "x-default", "location": default.full_url})
            for url_info in item.get_sitemap_urls(self.request):
                url_info = {**url_info, "alternates": alternates}
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


def _parts(items, size=5000):
    return [items[i : i + size] for i in range(0, len(items), size)]
