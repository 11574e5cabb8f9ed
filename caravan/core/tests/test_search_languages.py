"""Site search in each language, table-driven: for each of the five languages a product,
a second product, a news article and a text page, written in that language here, and the
queries a buyer reading it would type with the pages they must find, in the order the
results list them (products, then news, then other pages). Runs on SQLite (`make test`)
and on PostgreSQL (`make test-postgres`) alike; other pages the database holds (the demo
company) may appear in the results too and are not looked at."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from caravan.core.models import HomePage, StandardPage
from caravan.core.views import search_results
from caravan.news.models import NewsIndexPage
from caravan.products.models import ProductIndexPage
from caravan.testing import make_article, make_news_index, make_product, publish

pytestmark = pytest.mark.django_db

# Per language: the pages (key: kind, title, text) and the queries with the keys of the
# pages they must find, in order. P1/P2 are products, N1 a news article, S1 a text page.
CASES = {
    "en": {
        "pages": {
            "P1": (
                "product",
                "Resilient-seated sluice valve",
                "ZE-250",
                "Ductile iron sluice valve with an encapsulated wedge for drinking water.",
            ),
            "P2": (
                "product",
                "Swing check valve",
                "KX-40/16",
                "Prevents backflow in pumping stations.",
            ),
            "N1": (
                "news",
                "New sluice valves for municipal utilities",
                "We extended our range of sluice valves for water utilities.",
            ),
            "S1": ("page", "About our foundry", "Castings poured in our own foundry since 1998."),
        },
        "queries": {
            "sluice valve": ["P1", "N1"],
            "valves": ["P1", "P2", "N1"],
            "Valve": ["P1", "P2", "N1"],
            "ZE-250": ["P1"],
            "ze250": ["P1"],
            "ZE 250": ["P1"],
            "kx40/16": ["P2"],
            "pump": ["P2"],
            "utility": ["N1"],
            "casting": ["S1"],
            "foundries": ["S1"],
            "water": ["P1", "N1"],
            "the valve for water": ["P1", "N1"],
            "gravlax": [],
        },
    },
    "zh-hans": {
        "pages": {
            "P1": ("product", "软密封闸阀", "ZH-250", "球墨铸铁闸阀门，适用于自来水管网。"),
            "P2": ("product", "旋启式止回阀", "KH-40/16", "防止水泵站的倒流。"),
            "N1": ("news", "新型闸阀系列上市", "我们为水务公司推出了新的阀门产品。"),
            "S1": ("page", "关于我们的铸造厂", "自1998年起在自有铸造厂浇铸。"),
        },
        "queries": {
            "闸阀": ["P1", "N1"],
            "阀门": ["P1", "N1"],
            "止回阀": ["P2"],
            "阀": ["P1", "P2", "N1"],
            "软密封 闸阀": ["P1"],
            "自来水": ["P1"],
            "水泵": ["P2"],
            "倒流": ["P2"],
            "铸造厂": ["S1"],
            "ZH250": ["P1"],
            "zh-250 闸阀": ["P1"],
            "蝶阀": [],
        },
    },
    "ru": {
        "pages": {
            "P1": (
                "product",
                "Задвижка клиновая с обрезиненным клином",
                "ZR-300",
                "Корпус из высокопрочного чугуна для систем питьевого водоснабжения.",
            ),
            "P2": (
                "product",
                "Обратный клапан",
                "KR-40/16",
                "Предотвращает обратный поток на насосных станциях. Объём поставки: "
                "клапан и фланцы.",
            ),
            "N1": (
                "news",
                "Новые задвижки для городских сетей",
                "Мы расширили линейку задвижек для водоканалов.",
            ),
            "S1": (
                "page",
                "О нашем литейном цехе",
                "Отливки производятся в собственном литейном цехе с 1998 года.",
            ),
        },
        "queries": {
            "задвижка": ["P1", "N1"],
            "задвижки": ["P1", "N1"],
            "Задвижку": ["P1", "N1"],
            "клапаны": ["P2"],
            "насосная станция": ["P2"],
            "объем поставки": ["P2"],
            "чугун": ["P1"],
            "водоснабжение": ["P1"],
            "литейный цех": ["S1"],
            "отливка": ["S1"],
            "ZR300": ["P1"],
            "шаровой кран": [],
        },
    },
    "es": {
        "pages": {
            "P1": (
                "product",
                "Válvula de compuerta de asiento elástico",
                "ZS-350",
                "Cuerpo de fundición dúctil para redes de agua potable.",
            ),
            "P2": (
                "product",
                "Válvula de retención de clapeta",
                "KS-40/16",
                "Evita el retorno del agua en estaciones de bombeo.",
            ),
            "N1": (
                "news",
                "Nuevas válvulas de compuerta para municipios",
                "Ampliamos la gama de válvulas para empresas de agua.",
            ),
            "S1": (
                "page",
                "Sobre nuestra fundición",
                "Piezas fundidas en nuestra propia fundición desde 1998.",
            ),
        },
        "queries": {
            "válvula de compuerta": ["P1", "N1"],
            "valvula compuerta": ["P1", "N1"],
            "válvulas": ["P1", "P2", "N1"],
            "VALVULAS": ["P1", "P2", "N1"],
            "retención": ["P2"],
            "retencion": ["P2"],
            "bombeo": ["P2"],
            "municipio": ["N1"],
            "agua potable": ["P1"],
            "fundicion": ["P1", "S1"],
            "ZS350": ["P1"],
            "mariposa": [],
        },
    },
    "ar": {
        "pages": {
            "P1": (
                "product",
                "صمام بوابة بمقعد مرن",
                "ZA-400",
                "جسم من الحديد الدكتايل لشبكات مياه الشرب.",
            ),
            "P2": (
                "product",
                "صمام عدم رجوع أوتوماتيكي",
                "KA-40/16",
                "يمنع رجوع المياه في محطات الضخ.",
            ),
            "N1": ("news", "صمامات جديدة للبلديات", "وسّعنا مجموعة الصمامات لشركات المياه."),
            "S1": ("page", "عن مسبكنا", "قطع تُصبّ في المسبك منذ عام 1998 بالجودة العالية."),
        },
        "queries": {
            "صمام": ["P1", "P2", "N1"],
            "الصمامات": ["P1", "P2", "N1"],
            "صِمَامٌ": ["P1", "P2", "N1"],
            "صمام بوابة": ["P1"],
            "البوابة": ["P1"],
            "حديد": ["P1"],
            "اوتوماتيكي": ["P2"],
            "ـمـيـاه": ["P1", "P2", "N1"],
            "مسبك": ["S1"],
            "جوده": ["S1"],
            "ZA-٤٠٠": ["P1"],
            "أنبوب": [],
        },
    },
}


def child_index(home, model, make):
    return model.objects.child_of(home).live().first() or make(home)


def make_pages(language, pages):
    """The language's test pages, published in its tree; {key: page}."""
    home = HomePage.objects.get(locale__language_code=language)
    products = child_index(
        home, ProductIndexPage, lambda h: publish(h, ProductIndexPage(title="P", slug="p"))
    )
    news = child_index(home, NewsIndexPage, lambda h: make_news_index(parent=h))
    made = {}
    for key, (kind, title, *rest) in pages.items():
        slug = f"search-{language}-{key}".lower()
        if kind == "product":
            sku, text = rest
            made[key] = make_product(
                title, index=products, slug=slug, sku=sku, short_description=text, images=0
            )
        elif kind == "news":
            made[key] = make_article(news, title, slug=slug, summary=rest[0])
        else:
            made[key] = publish(home, StandardPage(title=title, slug=slug, introduction=rest[0]))
    return made


GROUP = {"P": 0, "N": 1, "S": 2}  # products, then news, then other pages


def in_groups(keys):
    """`keys` as the table writes them: by group (P, N, S), within a group by key (the
    order within a group follows the relevance the database computes)."""
    return sorted(keys, key=lambda key: (GROUP[key[0]], key))


def found(query, language, made):
    """The keys of the test pages the search finds for `query` in `language`, in order."""
    keys = {page.pk: key for key, page in made.items()}
    results = search_results(query, Locale.objects.get(language_code=language))
    return [keys[page.pk] for page in results[0 : results.count()] if page.pk in keys]


@pytest.mark.parametrize("language", CASES)
def test_search_finds_what_a_reader_of_the_language_means(language):
    case = CASES[language]
    assert len(case["queries"]) >= 8
    made = make_pages(language, case["pages"])
    actual = {query: found(query, language, made) for query in case["queries"]}
    for keys in actual.values():
        assert [GROUP[key[0]] for key in keys] == sorted(GROUP[key[0]] for key in keys), keys
    assert {query: in_groups(keys) for query, keys in actual.items()} == case["queries"]


def test_results_are_only_in_the_visitors_language():
    made = {
        language: make_pages(language, {"P1": CASES[language]["pages"]["P1"]})
        for language in ("en", "zh-hans")
    }
    assert found("ZH-250", "zh-hans", made["zh-hans"]) == ["P1"]
    assert found("ZH-250", "en", made["zh-hans"]) == []
    assert found("ZE-250", "zh-hans", made["en"]) == []


def test_results_page_lists_products_then_news_then_other_pages(client):
    language = "es"
    made = make_pages(language, CASES[language]["pages"])
    made["S2"] = publish(
        made["S1"].get_parent(),
        StandardPage(title="Válvulas en la historia", slug="search-es-s2", introduction="1998"),
    )
    # Every page of results, in order (the demo's own Spanish pages match "válvulas" too).
    hrefs, kinds = [], []
    for number in range(1, 20):
        response = client.get("/es/search/", {"q": "válvulas", "page": number})
        page = BeautifulSoup(response.content, "html.parser")
        hrefs += [a["href"] for a in page.select(".search-result__title a")]
        kinds += [p.get_text(strip=True) for p in page.select(".search-result__kind")]
        if not page.select_one("a[rel=next]"):
            break
    keys = {page.url: key for key, page in made.items()}
    listed = [keys[href] for href in hrefs if href in keys]
    assert in_groups(listed) == ["P1", "P2", "N1", "S2"]
    assert [GROUP[key[0]] for key in listed] == [0, 0, 1, 2]
    assert kinds.index("Noticias") > max(i for i, k in enumerate(kinds) if k == "Producto")


def result_list(client, language, query):
    page = BeautifulSoup(client.get(f"/{language}/search/", {"q": query}).content, "html.parser")
    return [
        (
            result.select_one(".search-result__kind").get_text(strip=True),
            result.select_one(".search-result__title a").get_text(strip=True),
            result.select_one(".search-result__title a")["href"],
        )
        for result in page.select(".search-result")
    ]


def test_the_demo_companys_chinese_and_arabic_pages_are_found(client):
    gate_valves = result_list(client, "zh-hans", "闸阀")
    assert gate_valves[0][0] == "产品"
    assert "闸阀" in gate_valves[0][1]
    valves = result_list(client, "zh-hans", "阀门")
    assert {"产品", "新闻"} <= {kind for kind, _, _ in valves}
    arabic = result_list(client, "ar", "صمام")
    assert arabic
    assert all(href.startswith("/ar/") for _, _, href in arabic)
    assert all(href.startswith("/zh-hans/") for _, _, href in gate_valves + valves)
