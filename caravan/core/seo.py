"""Structured data (schema.org JSON-LD) and the absolute URLs it needs."""

from django.templatetags.static import static
from django.utils.translation import get_language
from wagtail.models import Site

from .shared import shared


def site_root_url(request):
    """The configured address of the site serving `request` (never the Host header, so
    a cached page cannot be poisoned with another host name)."""
    site = Site.find_for_request(request)
    return site.root_url if site else ""


def absolute(request, url):
    """An absolute URL for a site-relative `url`."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    return site_root_url(request) + url


def rendition_url(request, image, spec="width-1200|format-jpeg"):
    """Absolute URL of a JPEG rendition of `image`, for social cards and JSON-LD."""
    if image is None:
        return ""
    return absolute(request, image.get_rendition(spec).url)


def organization(request, company, *, with_contact=False):
    """schema.org Organization for the company; never carries the e-mail address or the
    phone number in plain text (harvesters read JSON-LD too)."""
    site_root = absolute(request, "/")
    data = {
        "@type": "Organization",
        "name": company.name,
        "url": site_root,
    }
    if company.logo_id:
        data["logo"] = {
            "@type": "ImageObject",
            "url": rendition_url(request, company.logo, "max-600x600|format-png"),
        }
    else:
        data["logo"] = {"@type": "ImageObject", "url": absolute(request, static("img/logo.svg"))}
    if with_contact:
        data["contactPoint"] = {
            "@type": "ContactPoint",
            "contactType": "sales",
            "url": absolute(request, contact_url(request)),
        }
    return data


def contact_url(request):
    """URL of the live contact page in the current language, or the home page."""
    cached = getattr(request, "_caravan_contact_url", None)
    if cached is None:
        language = get_language()
        cached = shared(("contact_url", language), lambda: _contact_url(request, language))
        request._caravan_contact_url = cached
    return cached


def _contact_url(request, language):
    from .models import ContactPage

    contact = ContactPage.objects.live().public().filter(locale__language_code=language).first()
    contact = contact or ContactPage.objects.live().public().first()
    return contact.get_url(request) if contact else "/"


def breadcrumb_list(request, trail):
    """schema.org BreadcrumbList for a trail of pages, home first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": page.title,
                "item": absolute(request, page.get_url(request)),
            }
            for position, page in enumerate(trail, start=1)
        ],
    }
