"""The interface catalogues: complete, not fuzzy, right plural forms, in step with the
source strings, and compiled even where GNU gettext is not installed."""

import gettext
import shutil

import polib
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from caravan.core import catalogues
from caravan.core.apps import check_catalogues_compiled
from caravan.testing import services


@pytest.fixture
def locale_copy(settings, tmp_path):
    """The committed catalogues in a scratch LOCALE_PATHS, free to break."""
    target = tmp_path / "locale"
    shutil.copytree(catalogues.locale_dir(), target, ignore=shutil.ignore_patterns("*.mo", "*.pot"))
    settings.LOCALE_PATHS = [target]
    return target


@pytest.mark.parametrize("locale", catalogues.CATALOGUE_LOCALES)
def test_every_entry_is_translated_with_the_plural_forms_of_the_language(locale):
    report = catalogues.Report()
    ids = catalogues.check_catalogue(locale, report)
    assert report.problems == []
    assert len(ids) > 150  # the chrome, the form, the e-mails, the error pages


def test_the_catalogues_hold_exactly_the_strings_of_the_source():
    if not catalogues.gettext_tools_available():
        services.skip_or_fail(
            "GNU gettext (xgettext) is not installed: cannot compare with the source"
        )
    call_command("check_catalogues")  # raises CommandError listing every problem


def test_the_check_names_untranslated_fuzzy_new_and_stale_strings(locale_copy):
    path = locale_copy / "ru" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    source_ids = {(e.msgctxt or "", e.msgid) for e in catalogue}
    catalogue.find("Enter your name.").msgstr = ""
    catalogue.find("Your message").flags.append("fuzzy")
    plural = catalogue.find("%(counter)s product")
    del plural.msgstr_plural[2]
    catalogue.remove(catalogue.find("Close"))
    catalogue.save()
    source_ids.add(("", "A string added to a template"))

    report = catalogues.check(source_ids)
    ru = [p for p in report.problems if "/ru/" in p]
    assert any("“Enter your name.” is not translated" in p for p in ru)
    assert any("“Your message” is fuzzy" in p for p in ru)
    assert any(f"“{plural.msgid}” has 2 plural forms, not 3" in p for p in ru)
    assert any("“Close” is in the source but not in the catalogue" in p for p in ru)
    assert sum("A string added to a template" in p for p in report.problems) == 4
    with pytest.raises(CommandError, match="problem"):
        call_command("check_catalogues")


def test_a_changed_placeholder_is_caught(locale_copy):
    path = locale_copy / "es" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    catalogue.find("Hello %(name)s,").msgstr = "Hola, %(nombre)s:"
    catalogue.save()
    report = catalogues.Report()
    catalogues.check_catalogue("es", report)
    assert len(report.problems) == 1
    assert "“Hello %(name)s,”: the placeholders differ" in report.problems[0]


def test_without_gettext_the_catalogues_compile_in_python(locale_copy, monkeypatch):
    monkeypatch.setattr(catalogues.shutil, "which", lambda name: None)
    assert check_catalogues_compiled()  # nothing compiled yet: a warning per language
    compiled = catalogues.compile_all()
    assert len(compiled) == len(catalogues.CATALOGUE_LOCALES)
    assert check_catalogues_compiled() == []
    assert catalogues.compile_all() == []  # unchanged catalogues are not compiled again

    def load(locale):
        with open(locale_copy / locale / "LC_MESSAGES" / "django.mo", "rb") as mo:
            return gettext.GNUTranslations(mo)

    ru, ar, zh = load("ru"), load("ar"), load("zh_Hans")
    forms = ("%(counter)s product", "%(counter)s products")
    assert [ru.ngettext(*forms, n) % {"counter": n} for n in (1, 3, 5, 21)] == [
        "1 товар",
        "3 товара",
        "5 товаров",
        "21 товар",
    ]
    assert [ar.ngettext(*forms, n) % {"counter": n} for n in (0, 1, 2, 3, 11, 100)] == [
        "لا توجد منتجات",
        "منتج واحد",
        "منتجان",
        "3 منتجات",
        "11 منتجًا",
        "100 منتج",
    ]
    assert zh.gettext("Send inquiry") == "发送询盘"
