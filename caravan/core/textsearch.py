"""Text analysis for site search: one function, `analyse(text, language)`, turns a page's
text and a visitor's query into the same kind of search words, so that the database's
full-text search (SQLite FTS5 or PostgreSQL, which only split at spaces and punctuation
here) finds what a reader of that language means:

- Chinese has no spaces: every run of Han characters becomes its overlapping pairs of
  characters (and, on the page side, its single characters), so the two-character word
  闸阀 (gate valve) is found inside 软密封闸阀 (the way Lucene's CJK analyser works);
- English, Russian, Spanish and Arabic words are reduced to their Snowball stems (the
  algorithms PostgreSQL's own configurations use), so "válvulas" finds "válvula" and
  "задвижки" finds "задвижка"; accents are then dropped, so "valvula" does too;
- Arabic is normalised first: alef forms أ إ آ ٱ → ا, diacritics (tashkeel) and the
  tatweel removed, ة → ه, ى → ي, Arabic-Indic digits → 0-9;
- a model number is cut into its letter and digit parts, so "GV-200", "GV200",
  "gv 200" and "gv/200" are the same two search words.

Pages are indexed with `page_words` (BasePage.search_text) and queries analysed with
`query_words`, in the language of the page and of the visitor respectively; results are
only ever in the visitor's language, so both sides always use the same analyser."""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.db.models import Manager
from django.utils.encoding import force_str
from wagtail.search import index

# The Snowball stemmer for each site language that has one (Chinese has no inflection).
STEMMERS = {"en": "english", "ru": "russian", "es": "spanish", "ar": "arabic"}

# Words too common to search for (they would make an AND query miss pages that do not
# happen to contain them), per language; compared after normalisation, before stemming.
STOP_WORDS = {
    "en": "a an and are as at be by for from in into is it of on or the to with",
    "es": "a al con de del e el en la las lo los o para por que un una y",
    "ru": "а в во и к на о об от по с со у для из или",
    "ar": "في من على الى ان او عن مع هذا هذه",
}

ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"}
)
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A run of Han characters, or a run of other letters and digits (a word or a part of a
# model number: letters and digits are separate parts).
HAN_RUN = re.compile(f"[{HAN}]+")
TOKEN = re.compile(rf"[{HAN}]+|[^\W\d_{HAN}]+|\d+")


def normalise(text):
    """Unicode compatibility forms (full-width letters, ligatures) folded, lower case,
    Arabic spelling variants unified, Russian ё read as е."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = ARABIC_DIACRITICS.sub("", text).translate(ARABIC_LETTERS).translate(DIGITS)
    return text.replace("ё", "е")


def strip_accents(word):
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


def base_language(language):
    return (language or "en").split("-")[0].lower()


@lru_cache(maxsize=8)
def _stemmer(language):
    name = STEMMERS.get(base_language(language))
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=8)
def _stop_words(language):
    return frozenset(normalise(STOP_WORDS.get(base_language(language), "")).split())


# Arabic light stemming ahead of Snowball's, which leaves the conjunctions و/ف before the
# article and the plural ات of words without the article: "والصمامات" and "صمامات" are
# "صمام" too.
ARABIC_PREFIX = re.compile("^[وف]?[بكل]?ال(?=...)|^[وف]?لل(?=...)")
ARABIC_PLURAL = re.compile("(?<=...)ات$")


def _arabic_light(word):
    return ARABIC_PLURAL.sub("", ARABIC_PREFIX.sub("", word))


def _is_han(token):
    return HAN_RUN.fullmatch(token) is not None


def _han_words(run, *, single):
    pairs = [run[i : i + 2] for i in range(len(run) - 1)]
    if single or len(run) == 1:
        return [*run, *pairs] if len(run) > 1 else [run]
    return pairs


def _words(text, language, *, page):
    stemmer = _stemmer(language)
    stop = _stop_words(language)
    words = []
    for token in TOKEN.findall(normalise(text)):
        if _is_han(token):
            words.extend(_han_words(token, single=page))
        elif token in stop:
            continue
        elif token.isdigit():
            words.append(token)
        else:
            if base_language(language) == "ar":
                token = _arabic_light(token)
            stem = stemmer.stemWord(token) if stemmer else token
            words.append(strip_accents(stem))
    return words


def page_words(text, language):
    """The search words of a page's text in `language`, space-separated, each once."""
    return " ".join(dict.fromkeys(_words(text, language, page=True)))


def query_words(query, language):
    """The search words of a visitor's query in `language`, space-separated (the search
    finds pages that have all of them); empty when nothing in it can be searched for."""
    return " ".join(dict.fromkeys(_words(query, language, page=False)))


def indexed_text(obj, *, skip=("search_text",)):
    """The text of everything `obj.search_fields` names (fields, methods and related
    objects, as the search backend reads them), joined, leaving out `skip`."""

    def value_text(value):
        if isinstance(value, (list, tuple)):
            return " ".join(value_text(item) for item in value)
        if isinstance(value, dict):
            return " ".join(value_text(item) for item in value.values())
        return "" if value is None else force_str(value)

    def texts(item, fields):
        for field in fields:
            if isinstance(field, index.SearchField) and field.field_name not in skip:
                yield value_text(field.get_value(item))
            elif isinstance(field, index.RelatedFields):
                related = field.get_value(item)
                if isinstance(related, Manager):
                    related = related.all()
                elif callable(related):
                    related = [related()]
                elif related is not None:
                    related = [related]
                for sub in related or ():
                    yield from texts(sub, field.fields)

    return " ".join(texts(obj, obj.get_search_fields()))
