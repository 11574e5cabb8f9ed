"""The sales team's quotation form: the terms, and the lines as a formset (prefix
`lines`)."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caravan.core.languages import translated
from caravan.products.models import ProductPage

from ..models import Quotation, QuotationLine


class QuotationForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Buyer's language"), choices=translated(settings.LANGUAGES)
    )

    class Meta:
        model = Quotation
        fields = [
            "language",
            "currency",
            "incoterm",
            "incoterm_place",
            "payment_terms",
            "lead_time",
            "packaging",
            "valid_until",
            "discount_percent",
            "notes",
        ]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"})}

    def clean_valid_until(self):
        value = self.cleaned_data["valid_until"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The validity date is in the past."))
        return value

    def terms(self):
        data = dict(self.cleaned_data)
        return {
            "currency": data.pop("currency"),
            "incoterm": data.pop("incoterm"),
            "valid_until": data.pop("valid_until"),
            **data,
        }


def default_terms(inquiry):
    return {
        "language": inquiry.language or settings.LANGUAGE_CODE,
        "currency": "USD",
        "incoterm": "FOB",
        "valid_until": timezone.localdate() + timedelta(days=30),
        "discount_percent": 0,
    }


class LineForm(forms.ModelForm):
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=ProductPage.objects.order_by("title"),
        required=False,
    )

    class Meta:
        model = QuotationLine
        fields = ["product", "description", "quantity", "unit", "unit_price", "discount_percent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("description") and data.get("product"):
            data["description"] = data["product"].title
        if not data.get("description") and not self.errors:
            raise forms.ValidationError(_("Describe the line or choose a product."))
        return data


LineFormSet = forms.formset_factory(
    LineForm, extra=2, can_delete=True, max_num=100, validate_max=True, min_num=1, validate_min=True
)


def lines_from(formset):
    return [
        form.cleaned_data
        for form in formset
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def initial_from(quotation):
    return [
        {
            "product": line.product,
            "description": line.description,
            "quantity": line.quantity,
            "unit": line.unit,
            "unit_price": line.unit_price,
            "discount_percent": line.discount_percent,
        }
        for line in quotation.lines.all()
    ]
