"""Template filters of the search results page."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

register = template.Library()

MAX_TERMS = 12


def query_terms(query):
    """The words of a search query worth marking: at most MAX_TERMS, two letters or more."""
    terms = [t for t in re.split(r"[\s\-_/,;:.]+", query or "") if len(t) >= 2]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def _term_pattern(term):
    # "valve" and "valves" mark each other, as the (stemming) search finds both.
    if len(term) > 3 and term.lower().endswith("s"):
        term = term[:-1]
    if len(term) > 2 and term[-1].isalpha():
        return re.escape(term) + "(?:e?s)?"
    return re.escape(term)


@register.filter
def highlight(text, query):
    """`text` with the words of `query` wrapped in <mark>.

    Every piece of `text` is HTML-escaped before any markup is added, and the matches
    are found in the unescaped text, so neither the text nor the query can inject
    markup, and a word such as “amp” can never split an entity like “&amp;”."""
    text = "" if text is None else str(text)
    terms = query_terms(query)
    if not terms or not text:
        return escape(text)
    pattern = re.compile(
        "|".join(_term_pattern(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE
    )
    pieces = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() == match.end():
            continue
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


@register.filter
def result_kind(page):
    """What a search result is, for the label above its title: the page type's own
    `search_result_kind` (e.g. “Product”, “News”), or “Page”."""
    return getattr(page, "search_result_kind", None) or _("Page")


@register.filter
def result_summary(page):
    """The sentence or two shown under a result's title."""
    for attr in ("meta_description", "search_description", "listing_summary"):
        value = getattr(page, attr, "")
        if value:
            return value
    return ""
