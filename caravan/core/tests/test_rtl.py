"""Right-to-left pages mirror through logical CSS properties alone: no stylesheet may
place anything on a physical left or right, except what must not mirror (listed here
with the reason)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS_DIR = Path(settings.BASE_DIR) / "caravan" / "static" / "css"

# (file, selector, property): why it stays physical.
ALLOWED = {
    ("site.css", ".video__play", "border-left"): (
        "the play triangle points right in every language: media controls are not mirrored"
    ),
    ("site.css", ".video__poster .video__play::after", "border-left"): (
        "the play triangle points right in every language: media controls are not mirrored"
    ),
    ("site.css", ".video__poster .video__play", "inset"): (
        "centred with a physical translate, which is the same in both directions"
    ),
    ("site.css", ".video__poster .video__play::after", "inset"): (
        "the triangle's optical centring inside the round button, which does not mirror"
    ),
}

PHYSICAL_PROPERTY = re.compile(
    r"^(?:(?:margin|padding|scroll-margin|scroll-padding)-(?:left|right)"
    r"|border-(?:left|right)(?:-\w+)?|border-(?:top|bottom)-(?:left|right)-radius"
    r"|left|right)$"
)
PHYSICAL_VALUE = {"text-align", "float", "clear", "caption-side"}


def declarations(css):
    """(selector, property, value) of every declaration, comments removed; at-rule
    preludes (@media ...) are skipped, the rules inside them kept."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        selector = " ".join(selector.split())
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                yield selector, name.strip().lower(), " ".join(value.split()).lower()


def is_physical(name, value):
    if PHYSICAL_PROPERTY.match(name):
        return True
    if name in PHYSICAL_VALUE and re.search(r"\b(?:left|right)\b", value):
        return True
    if name == "inset":  # four values: top right bottom left
        parts = value.replace("!important", "").split()
        return len(parts) == 4 and parts[1] != parts[3]
    return False


def test_the_declaration_reader_sees_physical_properties():
    css = """/* margin-left: 1px in a comment */
    .a { margin-inline-start: 1rem; text-align: start; }
    @media (min-width: 40rem) { .b > li::before { margin-left: 1rem; FLOAT: Right } }
    .c { inset: 0 auto 0 1rem; border-top-right-radius: 2px; inset: 0 1rem; }"""
    found = [(s, n) for s, n, v in declarations(css) if is_physical(n, v)]
    assert found == [
        (".b > li::before", "margin-left"),
        (".b > li::before", "float"),
        (".c", "inset"),
        (".c", "border-top-right-radius"),
    ]


@pytest.mark.parametrize("path", sorted(CSS_DIR.glob("*.css")), ids=lambda p: p.name)
def test_stylesheets_use_logical_properties(path):
    physical = [
        f"{path.name}: {selector} {{ {name}: {value} }}"
        for selector, name, value in declarations(path.read_text(encoding="utf-8"))
        if is_physical(name, value) and (path.name, selector, name) not in ALLOWED
    ]
    assert physical == [], "use the logical property (…-inline-start/end, start/end)"


def test_the_allow_list_has_no_stale_entries():
    present = {
        (path.name, selector, name)
        for path in CSS_DIR.glob("*.css")
        for selector, name, value in declarations(path.read_text(encoding="utf-8"))
        if is_physical(name, value)
    }
    assert set(ALLOWED) <= present


@pytest.mark.django_db
def test_an_arabic_page_is_right_to_left_with_the_same_stylesheets(client):
    from bs4 import BeautifulSoup

    pages = {
        lang: BeautifulSoup(client.get(f"/{lang}/search/").content, "html.parser")
        for lang in ("en", "ar")
    }
    assert (pages["ar"].html["lang"], pages["ar"].html["dir"]) == ("ar", "rtl")
    assert (pages["en"].html["lang"], pages["en"].html["dir"]) == ("en", "ltr")
    sheets = {
        lang: [link["href"] for link in page.select("link[rel=stylesheet]")]
        for lang, page in pages.items()
    }
    assert sheets["ar"] == sheets["en"]
    assert pages["ar"].h1.get_text(strip=True) == "بحث"
    assert (
        pages["ar"].select_one(".skip-link").get_text(strip=True) == "الانتقال إلى المحتوى الرئيسي"
    )
