"""The buyer's two answers to a quotation."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AcceptForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    purchase_order = forms.CharField(
        label=_("Purchase order number (optional)"), max_length=100, required=False
    )


class ChangesForm(forms.Form):
    message = forms.CharField(
        label=_("What should we change?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
