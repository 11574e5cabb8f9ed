"""Template context every page needs, read without writing (no get_or_create)."""

from django.utils.translation import get_language
from wagtail.models import Site

from .models import CompanyProfile
from .shared import shared


def get_company_profile(request):
    """The company profile of the site serving this request.

    Wagtail's own settings accessor creates a row when none exists; reads here never
    write, so an unsaved blank profile stands in until an editor saves one. Its texts are
    those of the active language (CompanyProfile.localized)."""
    cached = getattr(request, "_caravan_company", None)
    if cached is not None:
        return cached
    language = get_language()
    profile = shared(("company", language), lambda: _company_profile(request, language))
    request._caravan_company = profile
    return profile


def _company_profile(request, language):
    site = Site.find_for_request(request)
    profile = None
    if site is not None:
        profile = (
            CompanyProfile.objects.select_related("logo", "privacy_page").filter(site=site).first()
        )
    if profile is None:
        profile = CompanyProfile(site=site)
    return profile.localized(language)


def company(request):
    return {"company": get_company_profile(request)}
