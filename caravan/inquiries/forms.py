"""The inquiry form: the fields a buyer fills in (their HTML names are a public interface:
name, contact, message, company, country, product, quantity) and how they are checked."""

import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from caravan.products.models import ProductPage

from .countries import is_country
from .models import ContactKind

MAX_QUANTITY = 1_000_000_000
MAX_ID = 2**63 - 1  # the largest database key (a 64-bit integer)


def parse_id(value):
    """The database key `value` names (an int), or None for anything that is not one.

    Only ASCII digits, at most 19 of them, reach int(): a visitor's 5,000 digits would
    make int() raise (Python's integer string conversion limit) and a 25-digit number
    would overflow the database's integer when it is looked up."""
    text = str(value if value is not None else "").strip()
    if not re.fullmatch(r"[0-9]{1,19}", text):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


class IdChoiceMixin:
    """For a choice of one row by its key: a value that is not a key (too long, not
    digits) is "not one of the choices" instead of reaching the database. A filter's
    "null" choice (django-filter's null_value) passes through."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and value != getattr(self, "null_value", None)
            and parse_id(value) is None
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdChoiceField(IdChoiceMixin, forms.ModelChoiceField):
    """One row by its key (see IdChoiceMixin)."""


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows by their keys; a value that is not a key is a form error."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


FIELD_ORDER = ("name", "contact", "message", "company", "country", "product", "quantity")


def parse_contact(value, country=""):
    """(kind, E.164 phone or '') for an e-mail address or a phone number; raises
    ValidationError with a message that tells the buyer what to fix."""
    text = value.strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(
                _("Enter a valid e-mail address, e.g. name@company.com."), code="email"
            ) from None
        return ContactKind.EMAIL, ""
    if not re.search(r"\d", text):
        raise ValidationError(
            _("Enter an e-mail address or a phone number so that we can answer you."),
            code="contact",
        )
    number_text = re.sub(r"^(?:tel:|\s)+", "", text, flags=re.IGNORECASE)
    if number_text.startswith("00"):  # the international call prefix most countries use
        number_text = "+" + number_text[2:]
    try:
        number = phonenumbers.parse(number_text, (country or "").upper() or None)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            raise ValidationError(
                _("Add your country code (e.g. +49 30 1234 5678), or choose your country below."),
                code="phone_country",
            ) from None
        raise ValidationError(
            _("This does not look like a phone number. Check the digits."), code="phone"
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This phone number is not valid. Check the digits and the country code."),
            code="phone",
        )
    return ContactKind.PHONE, phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.E164
    )


def parse_quantity(value):
    text = re.sub(r"[\s\u00a0\u202f'’_]", "", value or "")
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):  # 1,000 / 1.000 / 12,500,000
        text = re.sub(r"[.,]", "", text)
    if not text.isdecimal():
        raise ValidationError(
            _(
                "Enter the quantity as a whole number, e.g. 500. Write units or details in the message."
            ),
            code="quantity",
        )
    number = int(text)
    if number < 1:
        raise ValidationError(_("The quantity must be at least 1."), code="quantity")
    if number > MAX_QUANTITY:
        raise ValidationError(
            _("That quantity is too large for this form; please write it in the message."),
            code="quantity",
        )
    return number


def product_page(value):
    """The live, public product page whose id is `value`, or None (unknown, unpublished,
    or not an id at all)."""
    pk = parse_id(value)
    if pk is None:
        return None
    return ProductPage.objects.live().public().filter(pk=pk).first()


class InquiryForm(forms.Form):
    """What a buyer fills in. Spam signals (token, honeypot) and attribution are read by
    the view, not here, so that they can never block a real buyer's inquiry."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        error_messages={
            "required": _("Enter your name."),
            "max_length": _(
                "Your name can have at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    contact = forms.CharField(
        label=_("E-mail or phone number"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address or phone number so that we can answer you."),
            "max_length": _("This is too long for an e-mail address or a phone number."),
        },
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea,
        error_messages={
            "required": _("Tell us what you need: the product, size, material or quantity."),
            "max_length": _(
                "Your message can have at most %(limit_value)d characters (it has %(show_value)d). "
                "Please shorten it."
            ),
        },
    )
    company = forms.CharField(
        label=_("Company"),
        max_length=200,
        required=False,
        error_messages={
            "max_length": _("At most %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    country = forms.CharField(label=_("Country"), required=False, max_length=10)
    product = forms.CharField(label=_("Product"), required=False)
    quantity = forms.CharField(label=_("Quantity"), required=False, max_length=40)

    def clean_country(self):
        code = self.cleaned_data["country"].strip().upper()
        if code and not is_country(code):
            raise ValidationError(_("Choose a country from the list."), code="country")
        return code

    def clean_product(self):
        """The product page asked about; an unknown or unpublished id is ignored."""
        return product_page(self.cleaned_data["product"])

    def clean_quantity(self):
        return parse_quantity(self.cleaned_data["quantity"])

    def clean(self):
        cleaned = super().clean()
        contact = cleaned.get("contact")
        if contact and "country" not in self.errors:
            try:
                kind, phone = parse_contact(contact, cleaned.get("country", ""))
            except ValidationError as exc:
                self.add_error("contact", exc)
            else:
                cleaned["contact_kind"] = kind
                cleaned["contact_phone"] = phone
        return cleaned

    def errors_by_field(self):
        """{field: [message, ...]} in the order the fields appear on the form."""
        errors = self.errors.get_json_data()
        return {
            name: [e["message"] for e in errors[name]] for name in FIELD_ORDER if name in errors
        } | ({"__all__": [e["message"] for e in errors["__all__"]]} if "__all__" in errors else {})
