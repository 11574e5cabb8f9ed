"""The interface catalogues: gettext translations of what visitors read (chrome, the
inquiry form and its errors, the confirmation, the e-mails, the error pages).

They live in caravan/locale/<locale>/LC_MESSAGES/django.po. The admin's own labels and
help texts (models.py, blocks.py, the inbox, operations) are left out of extraction on
purpose: editors work in Wagtail's admin, which Wagtail translates itself, and a
visitor-facing string that a model needs lives in the app's wording.py instead.

Three jobs, each a management command:
- update_catalogues: extract the strings (Django's makemessages; needs GNU gettext)
- compile_catalogues: .po -> .mo, with msgfmt when installed, else with polib
- check_catalogues: every entry translated, none fuzzy, plural forms right, placeholders
  kept, and (where xgettext is installed) no string in the source missing from a catalogue
"""

import os
import re
import shutil
import subprocess
from contextlib import chdir
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.commands import makemessages

# Locale directory names (gettext spelling, as Django's to_locale gives them).
CATALOGUE_LOCALES = ("ru", "zh_Hans", "es", "ar")

# The standard gettext plural rules; Russian has three forms, Arabic six.
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "zh_Hans": "nplurals=1; plural=0;",
    "es": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
    ": n%100>=11 ? 4 : 5);",
}

# Paths makemessages skips (glob on a file or directory name, or on the path from
# caravan/): what only editors and operators read, and code that is not the site.
IGNORE_PATTERNS = [
    "models.py",
    "blocks.py",
    "apps.py",
    "wagtail_hooks.py",
    "admin",  # templates of admin screens (the lead inbox)
    # The lead inbox's admin-side modules: the sales team works in the admin's language.
    # (exports.py is not among them: a spreadsheet's headings are read outside the admin,
    # so they are translated here.)
    "alerts.py",
    "assignment.py",
    "filters.py",
    "leads.py",
    "privacy.py",
    "reports.py",
    # The brand settings' checks speak to the editor saving the company profile.
    "brand.py",
    "migrations",
    "management",
    "tests",
    "testing.py",
    "conftest.py",
    "settings",
    "operations",
    "demo",
    "users",
    "static",
    "locale",
]

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")


def source_dir():
    return Path(settings.BASE_DIR) / "caravan"


def locale_dir():
    return Path(settings.LOCALE_PATHS[0])


def po_path(locale):
    return locale_dir() / locale / "LC_MESSAGES" / "django.po"


def _display(path):
    """A catalogue's path as a person reads it: from the project root when inside it."""
    try:
        return str(path.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)


def gettext_tools_available():
    return all(shutil.which(tool) for tool in ("xgettext", "msguniq", "msgmerge", "msgattrib"))


# Extraction -------------------------------------------------------------------------


class _Extractor(makemessages.Command):
    """makemessages that keeps the extracted template (.pot) text and writes no .po."""

    pot_texts = ()

    def build_potfiles(self):
        potfiles = super().build_potfiles()
        self.pot_texts = [Path(p).read_text(encoding="utf-8") for p in potfiles]
        return potfiles

    def write_po_file(self, potfile, locale):
        pass


def extract_source_ids():
    """{(msgctxt, msgid)} of every visitor-facing string in the source, as makemessages
    sees it. Needs GNU gettext's xgettext."""
    extractor = _Extractor()
    with chdir(source_dir()):
        call_command(extractor, all=True, ignore_patterns=list(IGNORE_PATTERNS), verbosity=0)
    ids = set()
    for text in extractor.pot_texts:
        for entry in polib.pofile(text):
            ids.add((entry.msgctxt or "", entry.msgid))
    return ids


def update(stdout=None):
    """Run makemessages for every catalogue locale, then make sure each catalogue
    carries its language's plural rule."""
    with chdir(source_dir()):
        call_command(
            "makemessages",
            locale=list(CATALOGUE_LOCALES),
            ignore_patterns=list(IGNORE_PATTERNS),
            no_obsolete=True,
            verbosity=0,
        )
    for locale in CATALOGUE_LOCALES:
        path = po_path(locale)
        catalogue = polib.pofile(str(path), wrapwidth=79)
        catalogue.metadata["Language"] = locale
        catalogue.metadata["Plural-Forms"] = PLURAL_FORMS[locale]
        catalogue.metadata_is_fuzzy = False
        catalogue.save()
        if stdout:
            missing = len(catalogue.untranslated_entries()) + len(catalogue.fuzzy_entries())
            stdout.write(f"{_display(path)}: {missing} to translate")


class CatalogueError(Exception):
    pass


# Compilation ------------------------------------------------------------------------


def compile_all(force=False):
    """Compile every catalogue whose .mo is missing or older than its .po. Returns the
    list of .po files compiled. Uses msgfmt when installed (it also checks the format
    strings), otherwise polib, which writes the same .mo without the checks."""
    compiled = []
    pending = uncompiled()
    for po in sorted(locale_dir().glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not force and po not in pending:
            continue
        # Written beside it, then renamed: a process reading the catalogue meanwhile (a
        # running server, a parallel test process) sees the old file or the new one.
        partial = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
        try:
            if shutil.which("msgfmt"):
                result = subprocess.run(  # noqa: S603 - a fixed program on our own files
                    ["msgfmt", "--check-format", "-o", str(partial), str(po)],  # noqa: S607
                    check=False,
                    capture_output=True,
                    text=True,
                )
                if result.returncode:
                    raise CatalogueError(f"msgfmt refused {po}:\n{result.stderr}")
            else:
                polib.pofile(str(po)).save_as_mofile(str(partial))
            os.replace(partial, mo)
        finally:
            partial.unlink(missing_ok=True)
        compiled.append(po)
    return compiled


# Checking ---------------------------------------------------------------------------


@dataclass
class Report:
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def _label(entry):
    text = entry.msgid if len(entry.msgid) <= 60 else entry.msgid[:57] + "…"
    return f"line {entry.linenum}: “{text}”"


def _placeholders(text):
    return set(PLACEHOLDER.findall(text)) | {"%" + m for m in re.findall(r"%[sdif]", text)}


def check_catalogue(locale, report):
    path = po_path(locale)
    name = _display(path)
    if not path.exists():
        report.problems.append(f"{name}: missing (run `manage.py update_catalogues`)")
        return None
    catalogue = polib.pofile(str(path))
    if catalogue.metadata.get("Plural-Forms", "").replace(" ", "") != PLURAL_FORMS[locale].replace(
        " ", ""
    ):
        report.problems.append(f"{name}: Plural-Forms should be “{PLURAL_FORMS[locale]}”")
    if catalogue.metadata_is_fuzzy:
        report.problems.append(f"{name}: the header is marked fuzzy (msgfmt would drop it)")
    nplurals = int(re.search(r"nplurals=(\d+)", PLURAL_FORMS[locale]).group(1))
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.fuzzy:
            report.problems.append(f"{name} {_label(entry)} is fuzzy")
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(i, "") for i in range(nplurals)]
            if len(entry.msgstr_plural) != nplurals:
                report.problems.append(
                    f"{name} {_label(entry)} has {len(entry.msgstr_plural)} plural forms, "
                    f"not {nplurals}"
                )
            if not all(forms):
                report.problems.append(f"{name} {_label(entry)} is not translated")
            allowed = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural)
            if any(not _placeholders(form) <= allowed for form in forms):
                report.problems.append(f"{name} {_label(entry)} has an unknown placeholder")
        else:
            if not entry.msgstr:
                report.problems.append(f"{name} {_label(entry)} is not translated")
            elif _placeholders(entry.msgstr) != _placeholders(entry.msgid):
                report.problems.append(
                    f"{name} {_label(entry)}: the placeholders differ from the original"
                )
    return {(e.msgctxt or "", e.msgid) for e in catalogue if not e.obsolete}


def check(source_ids=None):
    """Check every catalogue; `source_ids` (from extract_source_ids) adds the staleness
    check, which is skipped with a note when GNU gettext is not installed."""
    report = Report()
    if source_ids is None and gettext_tools_available():
        source_ids = extract_source_ids()
    if source_ids is None:
        report.notes.append(
            "GNU gettext (xgettext) is not installed: catalogues not compared with the source."
        )
    for locale in CATALOGUE_LOCALES:
        ids = check_catalogue(locale, report)
        if ids is None or source_ids is None:
            continue
        name = _display(po_path(locale))
        for _ctx, msgid in sorted(source_ids - ids):
            report.problems.append(
                f"{name}: “{msgid[:60]}” is in the source but not in the catalogue "
                "(run `manage.py update_catalogues`)"
            )
        for _ctx, msgid in sorted(ids - source_ids):
            report.problems.append(
                f"{name}: “{msgid[:60]}” is no longer in the source "
                "(run `manage.py update_catalogues`)"
            )
    return report


def uncompiled():
    """The catalogues whose .mo is missing or older than the .po: the site would show
    those languages (partly) in English."""
    return [
        po
        for po in sorted(locale_dir().glob("*/LC_MESSAGES/*.po"))
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
