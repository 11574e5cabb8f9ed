"""Countries a buyer can choose, named in the visitor's language.

The names come from the `phonenumbers` library's locale data (already a dependency), so
the list covers exactly the regions whose phone numbers we can check."""

import importlib.util
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import phonenumbers


@cache
def locale_data():
    """phonenumbers' LOCALE_DATA, read from its own module file: importing
    `phonenumbers.geodata.locale` the ordinary way runs `phonenumbers.geodata` first, whose
    geocoding tables (unused here) hold about 100 MB in every process that loads them."""
    path = Path(phonenumbers.__file__).parent / "geodata" / "locale.py"
    spec = importlib.util.spec_from_file_location("caravan_phonenumbers_locale", path)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "phonenumbers.geodata"  # its `from ..util import u`
    spec.loader.exec_module(module)
    return module.LOCALE_DATA


def _resolve(names, language):
    value = names.get(language, "")
    seen = set()
    # Many entries point at another language's entry ("*aa" is the English name).
    while value.startswith("*") and value not in seen:
        seen.add(value)
        value = names.get(value[1:], "")
    return "" if value.startswith("*") else value


def _name(names, language):
    return _resolve(names, language) or _resolve(names, "en") or _resolve(names, "aa")


def _sort_key(name):
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=32)
def country_choices(language="en"):
    """[(code, name), ...] sorted by name in `language` (falls back to English)."""
    language = (language or "en").split("-")[0].lower()
    choices = []
    for code in phonenumbers.SUPPORTED_REGIONS:
        names = locale_data().get(code)
        if not names:
            continue
        name = _name(names, language)
        if name:
            choices.append((code, name))
    return tuple(sorted(choices, key=lambda item: _sort_key(item[1])))


def country_name(code, language="en"):
    return dict(country_choices(language)).get((code or "").upper(), code or "")


def is_country(code):
    return (code or "").upper() in phonenumbers.SUPPORTED_REGIONS and (
        code or ""
    ).upper() in locale_data()
