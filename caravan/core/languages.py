"""The languages the site offers, from a list of codes in the settings.

Imported by the settings module, so it touches nothing but Django's language table."""

from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy, gettext_noop


def choices(codes, *, default):
    """LANGUAGES for `codes` (e.g. ["en", "zh-hans", "ru"]): (code, English name) pairs,
    the default language first. An unknown code or a list without the default stops the
    start-up with a message that says which one."""
    cleaned = []
    for raw in codes:
        code = raw.strip().lower()
        if not code or code in cleaned:
            continue
        if code not in LANG_INFO or "name" not in LANG_INFO[code]:
            raise ImproperlyConfigured(
                f"CARAVAN_LANGUAGES: {raw!r} is not a language code Django knows "
                "(use e.g. en, zh-hans, ru, es, ar)."
            )
        cleaned.append(code)
    if default not in cleaned:
        raise ImproperlyConfigured(
            f"CARAVAN_LANGUAGES must include the default language {default!r}."
        )
    cleaned.remove(default)
    return [(code, gettext_noop(LANG_INFO[code]["name"])) for code in [default, *cleaned]]


def translated(languages):
    """`languages` ((code, English name) pairs, as in LANGUAGES) with each name in the
    reader's language, resolved when shown: the sales team reads the admin's menus in
    its own language (Django's catalogue has the names)."""
    return [(code, gettext_lazy(name)) for code, name in languages]
