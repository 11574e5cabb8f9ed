"""The inquiry form: the fields a buyer fills in (their HTML names are a public interface:
name, contact, message, company, country, product, quantity) and how they are checked."""

import re
from decimal import Decimal, InvalidOperation

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from caravan.products.models import ProductPage

from .countries import is_country, is_currency
from .models import ContactKind, Incoterm, Unit

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


FIELD_ORDER = (
    "name",
    "contact",
    "message",
    "company",
    "country",
    "product",
    "quantity",
    "destination_country",
    "destination_place",
    "incoterm",
    "target_price",
    "currency",
    "samples_wanted",
    "needed_by",
)
MAX_LINES = 50
ROWS_WITHOUT_SCRIPT = 3
ITEMS_PREFIX = "items"


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


MAX_PRICE = Decimal("1e12")


def parse_decimal(value):
    """A positive or zero number as a buyer writes it ('2.5', '2,5', '1,000', '1 000.50'),
    or None when it is not one."""
    text = re.sub(r"[\s\u00a0\u202f'’_]", "", value or "")
    if not re.fullmatch(r"[0-9.,]{1,30}", text):
        return None
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        text = re.sub(r"[.,]", "", text)  # 12,500,000
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d+", text):
        text = text.replace(",", "")  # 1,000.50
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", text):
        text = text.replace(".", "").replace(",", ".")  # 1.000,50
    else:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_line_quantity(value):
    """A line's quantity: a positive number, fractions allowed (2.5 tonnes)."""
    if not (value or "").strip():
        return None
    number = parse_decimal(value)
    if number is None:
        raise ValidationError(
            _("Enter the quantity as a number, e.g. 500 or 2.5."), code="quantity"
        )
    if number <= 0:
        raise ValidationError(_("The quantity must be more than 0."), code="quantity")
    if number > MAX_QUANTITY:
        raise ValidationError(
            _("That quantity is too large for this form; please write it in the note."),
            code="quantity",
        )
    return number.quantize(Decimal("0.001"))


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

    # The buyer's terms (all optional).
    destination_country = forms.CharField(
        label=_("Destination country"), required=False, max_length=10
    )
    destination_place = forms.CharField(
        label=_("Port or city of destination"),
        required=False,
        max_length=200,
        error_messages={
            "max_length": _("At most %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    incoterm = forms.ChoiceField(
        label=_("Incoterm"),
        required=False,
        choices=[("", "—"), *Incoterm.choices],
        error_messages={"invalid_choice": _("Choose an Incoterm from the list.")},
    )
    target_price = forms.CharField(label=_("Target price"), required=False, max_length=40)
    currency = forms.CharField(label=_("Currency"), required=False, max_length=10)
    samples_wanted = forms.BooleanField(label=_("I would like samples"), required=False)
    needed_by = forms.DateField(
        label=_("Needed by"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter the date as year-month-day, e.g. 2027-03-31.")},
    )

    def clean_country(self):
        code = self.cleaned_data["country"].strip().upper()
        if code and not is_country(code):
            raise ValidationError(_("Choose a country from the list."), code="country")
        return code

    def clean_destination_country(self):
        code = self.cleaned_data["destination_country"].strip().upper()
        if code and not is_country(code):
            raise ValidationError(_("Choose a country from the list."), code="country")
        return code

    def clean_destination_place(self):
        return self.cleaned_data["destination_place"].strip()

    def clean_target_price(self):
        text = self.cleaned_data["target_price"]
        if not text.strip():
            return None
        price = parse_decimal(text)
        if price is None or price < 0 or price >= MAX_PRICE:
            raise ValidationError(
                _("Enter the target price as a number, e.g. 12.50."), code="target_price"
            )
        return price.quantize(Decimal("0.01"))

    def clean_currency(self):
        code = self.cleaned_data["currency"].strip().upper()
        if code and not is_currency(code):
            raise ValidationError(_("Choose a currency from the list."), code="currency")
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


class ItemForm(forms.Form):
    """One line of the request: a product (or a described item), quantity, unit, note."""

    product = forms.CharField(label=_("Product"), required=False)
    quantity = forms.CharField(label=_("Quantity"), required=False, max_length=40)
    unit = forms.ChoiceField(
        label=_("Unit"),
        required=False,
        choices=Unit.choices,
        error_messages={"invalid_choice": _("Choose a unit from the list.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        error_messages={
            "max_length": _("At most %(limit_value)d characters (it has %(show_value)d)."),
        },
    )

    def has_changed(self):
        """A row with no product, quantity or note is empty (whatever its unit): ignored."""
        return any(
            (self.data.get(self.add_prefix(f)) or "").strip()
            for f in ("product", "quantity", "note")
        )

    def clean_product(self):
        return product_page(self.cleaned_data["product"])

    def clean_quantity(self):
        return parse_line_quantity(self.cleaned_data["quantity"])

    def clean_unit(self):
        return self.cleaned_data["unit"] or Unit.PIECE

    def clean_note(self):
        return self.cleaned_data["note"].strip()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and cleaned.get("product") is None and not cleaned.get("note"):
            message = (
                _("This product is no longer offered. Describe the item in the note.")
                if (self.data.get(self.add_prefix("product")) or "").strip()
                else _("Choose a product or describe the item in the note.")
            )
            self.add_error("product", ValidationError(message, code="line"))
        return cleaned


class BaseItemFormSet(forms.BaseFormSet):
    """The request's lines. Every row may be left empty (it is ignored); at most MAX_LINES
    filled rows."""

    def _construct_form(self, i, **kwargs):
        kwargs["empty_permitted"] = True
        kwargs["use_required_attribute"] = False
        return super()._construct_form(i, **kwargs)

    def filled_forms(self):
        return [form for form in self.forms if form.has_changed()]

    def clean(self):
        count = len(self.filled_forms())
        if count > MAX_LINES:
            raise ValidationError(
                _(
                    "An inquiry can have at most %(max)d lines; you filled in %(count)d. "
                    "Send the others in a second inquiry."
                )
                % {"max": MAX_LINES, "count": count},
                code="too_many_lines",
            )

    def lines(self):
        """[{product, quantity, unit, note}] of the filled rows, in order."""
        return [
            {k: form.cleaned_data.get(k) for k in ("product", "quantity", "unit", "note")}
            for form in self.filled_forms()
        ]

    def errors_by_field(self):
        """{"items-N-field": [message, ...]} and {"items": [...]} for the whole list."""
        errors = {}
        for form in self.forms:
            for name, messages in form.errors.items():
                errors[form.add_prefix(name)] = list(messages)
        if self.non_form_errors():
            errors[ITEMS_PREFIX] = list(self.non_form_errors())
        return errors


ItemFormSet = forms.formset_factory(
    ItemForm,
    formset=BaseItemFormSet,
    extra=ROWS_WITHOUT_SCRIPT,
    max_num=MAX_LINES,
    absolute_max=4 * MAX_LINES,
)


def item_formset(data=None, initial=None):
    """The lines; unbound, three rows to fill in (the pre-filled ones among them)."""
    formset = ItemFormSet(data, initial=initial, prefix=ITEMS_PREFIX)
    formset.extra = max(ROWS_WITHOUT_SCRIPT - len(initial or ()), 0)
    return formset


def has_items(data):
    """True when a POST carries the formset (else it is the single-product form)."""
    return f"{ITEMS_PREFIX}-TOTAL_FORMS" in data
