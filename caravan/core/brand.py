"""The company's colours and font, which reach every page as CSS custom properties in a
small generated stylesheet (core.views.brand_css), so a change needs no rebuild of the
site's CSS. Colours are checked for contrast (WCAG 2.x AA: 4.5:1 for text) when the
profile is saved, so no brand makes the site unreadable."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

DEFAULTS = {
    "primary_colour": "#0b5c8c",
    "accent_colour": "#b34700",
    "on_brand_colour": "#ffffff",
}
PAPER = "#ffffff"
MINIMUM_CONTRAST = 4.5

validate_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # and six hexadecimal digits, e.g. #0b5c8c.")
)


class ColourInput(forms.TextInput):
    input_type = "color"


def luminance(colour):
    """Relative luminance of a #rrggbb colour (WCAG 2.x definition)."""

    def channel(hex_pair):
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    """The WCAG contrast ratio of two #rrggbb colours, from 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def darker(colour, amount=0.22):
    """`colour` with each channel reduced by `amount`: the hover state of a button."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(value * (1 - amount)):02x}" for value in channels)


def contrast_errors(profile):
    """{field: message} for each pair of the profile's colours that people read together
    and that falls short of AA."""
    pairs = (
        ("primary_colour", "on_brand_colour", _("text on the primary colour")),
        ("accent_colour", "on_brand_colour", _("text on the accent colour")),
        ("primary_colour", None, _("the primary colour on the white page (links)")),
    )
    errors = {}
    for field, other, pair in pairs:
        first = getattr(profile, field)
        second = getattr(profile, other) if other else PAPER
        if validate_colour.regex.match(first or "") is None:
            continue
        if validate_colour.regex.match(second or "") is None:
            continue
        ratio = contrast(first, second)
        if ratio < MINIMUM_CONTRAST:
            errors.setdefault(field, []).append(
                _(
                    "Too little contrast for %(pair)s: %(ratio).2f:1 between %(first)s and "
                    "%(second)s; at least 4.5:1 is needed (WCAG AA)."
                )
                % {"pair": pair, "ratio": ratio, "first": first, "second": second}
            )
    return errors


def custom_properties(profile):
    """The CSS custom properties the site's stylesheets read, from `profile`."""
    values = {field: getattr(profile, field, "") or DEFAULTS[field] for field in DEFAULTS}
    return {
        "--brand": values["primary_colour"],
        "--brand-dark": darker(values["primary_colour"]),
        "--accent": values["accent_colour"],
        "--accent-dark": darker(values["accent_colour"]),
        "--on-brand": values["on_brand_colour"],
    }


# The site's own font stack (site.css), after the company's font.
SYSTEM_FONTS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC", '
    '"Microsoft YaHei", "Noto Sans Arabic", Tahoma, Arial, sans-serif'
)
