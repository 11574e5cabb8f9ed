from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from caravan.core import views as core_views
from caravan.operations import views as operations_views

handler404 = "caravan.core.views.page_not_found"
handler500 = "caravan.operations.views.server_error"

urlpatterns = [
    path(f"{settings.CARAVAN_ADMIN_PATH}/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", core_views.root, name="root"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("brand.css", core_views.brand_css, name="brand_css"),
    path("sitemap.xml", core_views.sitemap, name="sitemap"),
    path("sitemap-<section>.xml", core_views.sitemap_section, name="sitemap_section"),
    path("language/<str:code>/", core_views.switch_language, name="switch_language"),
]

if getattr(settings, "CARAVAN_SERVE_MEDIA", False):
    # The embedded default serves uploads itself; in production the web server does.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            operations_views.media,
        )
    ]

urlpatterns += i18n_patterns(
    path("search/", core_views.search, name="search"),
    path("show-contact/", core_views.reveal_contact, name="reveal_contact"),
    path("", include("caravan.inquiries.urls")),
    path("", include("caravan.quotations.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
