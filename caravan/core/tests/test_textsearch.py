"""The search words of caravan.core.textsearch: what a query and a page's text become, so
that the spellings a reader of each language treats as one word are one search word."""

import pytest

from caravan.core.textsearch import page_words, query_words


@pytest.mark.parametrize(
    ("language", "spellings"),
    [
        (
            "ar",
            ["أنبوب", "إنبوب", "آنبوب", "انبوب", "اَنْبُوب", "انـــبوب"],
        ),  # alef, tashkeel, tatweel
        ("ar", ["مستشفى", "مستشفي"]),  # alef maqsura
        ("ar", ["جودة", "جوده", "الجودة"]),  # taa marbuta, article
        ("ar", ["صمامات", "الصمامات", "والصمامات", "صمام"]),  # plural, conjunction
        ("ar", ["٢٠٠", "200", "۲۰۰"]),  # Arabic-Indic digits
        ("ru", ["ёмкость", "емкость", "ЁМКОСТИ"]),
        ("ru", ["задвижка", "задвижки", "задвижку"]),
        ("es", ["válvula", "valvula", "VÁLVULAS", "válvulas"]),
        ("en", ["valve", "valves", "Valves"]),
        ("en", ["GV-200", "GV200", "gv 200", "gv/200", "ＧＶ２００"]),
    ],
)
def test_spellings_of_one_word_are_one_search_word(language, spellings):
    assert len({query_words(spelling, language) for spelling in spellings}) == 1


def test_chinese_text_is_searchable_by_its_two_character_words():
    words = page_words("弹性座封闸阀", "zh-hans").split()
    assert "闸阀" in words and "座封" in words and "阀" in words
    assert query_words("闸阀", "zh-hans") == "闸阀"
    assert query_words("止回阀", "zh-hans") == "止回 回阀"
    assert query_words("DN100闸阀", "zh-hans") == "dn 100 闸阀"


def test_common_words_and_punctuation_are_not_searched_for():
    assert query_words("the valve for water", "en") == "valv water"
    assert query_words("válvula de compuerta", "es") == "valvul compuert"
    assert query_words('"*()-:^', "en") == ""
