"""Countries a buyer can choose, named in the reader's language.

The names are CLDR's (the Unicode Common Locale Data Repository, through Babel): current
names in every language ("Eswatini", "North Macedonia", "Isle of Man"). The list covers the
regions whose phone numbers `phonenumbers` can check, so a chosen country can always read
a national phone number. The stored value is always the ISO 3166 code.

Sorting. Babel has no collation and PyICU is a heavy native dependency, so names sort by
a key that is right for the site's languages: the name decomposed (NFKD), stripped of its
combining marks and case-folded, which orders Latin (Spanish: "Áustria" with "Austria"),
Cyrillic (Russian: "ё" with "е") and Arabic (hamza forms of alef with alef) letters in
their alphabet's order. Chinese names keep the order of their characters' code points:
stable and the same for every reader, not the pinyin order of a Chinese dictionary."""

import unicodedata
from functools import lru_cache

import phonenumbers
from babel import Locale
from django.utils import translation

from caravan.core.countries import babel_locale

# Spanish sorts ñ as a letter of its own, after n; decomposing would fold it into n.
_LETTERS_KEPT = {"es": {"ñ": "n\uffff"}}


def sort_key(name, language="en"):
    """The key names are sorted by in `language` (see the module's docstring)."""
    text = name.casefold()
    for letter, replacement in _LETTERS_KEPT.get((language or "").split("-")[0], {}).items():
        text = text.replace(letter, replacement)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _language(language):
    return (language or translation.get_language() or "en").lower()


@lru_cache(maxsize=32)
def _choices(language):
    names = babel_locale(language).territories
    english = Locale("en").territories
    choices = []
    for code in phonenumbers.SUPPORTED_REGIONS:
        name = names.get(code) or english.get(code)
        if name:
            choices.append((code, name))
    return tuple(sorted(choices, key=lambda item: (sort_key(item[1], language), item[0])))


def country_choices(language=None):
    """((code, name), ...) in `language` (default: the active one), sorted by name."""
    return _choices(_language(language))


@lru_cache(maxsize=32)
def _names(language):
    """{code: name} in one language, built once (the inbox names a country per row)."""
    return dict(_choices(language))


def country_name(code, language=None):
    """The country's name in `language` (default: the active one); the code if unknown."""
    code = (code or "").upper()
    return _names(_language(language)).get(code, code)


def is_country(code):
    return (code or "").upper() in _names("en")


# The currencies offered first: those buyers quote in most; the others follow by name.
COMMON_CURRENCIES = ("USD", "EUR", "CNY", "RUB", "GBP", "AED", "JPY", "KZT", "INR", "TRY")


@lru_cache(maxsize=16)
def _currencies(language):
    from babel.numbers import get_currency_name, list_currencies

    locale = babel_locale(language)
    codes = sorted(c for c in list_currencies() if len(c) == 3 and c.isalpha())
    named = [(c, f"{c} – {get_currency_name(c, locale=locale)}") for c in codes]
    first = [item for code in COMMON_CURRENCIES for item in named if item[0] == code]
    rest = sorted(
        (item for item in named if item[0] not in COMMON_CURRENCIES),
        key=lambda item: item[0],
    )
    return tuple(first + rest)


def currency_choices(language=None):
    """[(ISO 4217 code, "USD – US Dollar")] in the reader's language (CLDR names through
    Babel), the currencies buyers use most first."""
    return list(_currencies(language or translation.get_language() or "en"))


@lru_cache(maxsize=16)
def _currency_names(language):
    return dict(_currencies(language))


def is_currency(code):
    return (code or "").upper() in _currency_names("en")


def currency_name(code, language=None):
    code = (code or "").upper()
    return _currency_names(language or translation.get_language() or "en").get(code, code)
