"""The company's texts in other languages, under Snippets (translated with wagtail-localize)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CompanyText


class CompanyTextViewSet(SnippetViewSet):
    """The tagline, address, hours and reply time a visitor reads, per language."""

    model = CompanyText
    icon = "site"
    menu_label = _("Company texts")
    list_display = ["__str__", "tagline"]


register_snippet(CompanyTextViewSet)
