"""Countries and world regions named in the reader's language, CLDR's names through Babel
("Kazakhstan", "Казахстан", "哈萨克斯坦", "كازاخستان"); what an editor stores is the code
(ISO 3166 for a country, UN M49 digits for a region such as "143", Central Asia)."""

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils import translation


def babel_locale(language):
    """Babel's locale for a Django language code ('zh-hans' → zh_Hans), English if unknown."""
    try:
        return Locale.parse((language or "en").replace("-", "_"), sep="_")
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse((language or "en").split("-")[0])
        except (UnknownLocaleError, ValueError):
            return Locale("en")


@lru_cache(maxsize=1)
def territory_choices():
    """Every country and region CLDR names, in English, sorted: what an editor picks
    from (the admin's language is not the visitor's)."""
    names = Locale("en").territories
    countries = sorted(((c, n) for c, n in names.items() if c.isalpha()), key=lambda i: i[1])
    regions = sorted(((c, n) for c, n in names.items() if c.isdigit()), key=lambda i: i[1])
    return tuple(regions + countries)


def territory_name(code, language=None):
    """The name of a country or region in `language` (default: the active one)."""
    code = (code or "").upper()
    language = (language or translation.get_language() or "en").lower()
    return babel_locale(language).territories.get(code) or Locale("en").territories.get(code, code)
