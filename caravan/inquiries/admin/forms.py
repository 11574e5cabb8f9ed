"""The forms of the lead inbox: the lead page's actions, the bulk actions of the listing
and the assignment rules."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from caravan.core.languages import translated

from ..filters import assignable_users
from ..forms import IdMultipleChoiceField
from ..models import AssignmentRule, Channel, Inquiry, LeadStatus, person_name
from .permissions import DELETE


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


def assignee_field():
    """Who a lead goes to: one of assignable_users() (set by the form), or nobody."""
    return PersonChoiceField(
        label=_("Assignee"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=LeadStatus.choices)


class AssignForm(forms.Form):
    assignee = assignee_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


class LeadForm(forms.Form):
    """The lead page's one form: a note, the status and the assignee are saved together
    with whichever action was pressed (save, spam, not spam, resend), so a note typed
    before pressing another button is never lost. A field that is not posted is left as
    it is."""

    ACTIONS = ["save", "spam", "notspam", *(f"resend:{c}" for c in Channel.values)]

    text = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        max_length=10000,
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=LeadStatus.choices, required=False)
    assignee = assignee_field()
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()


class ResendForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices)


class BulkForm(forms.Form):
    ACTIONS = [
        ("assign", _("Assign to")),
        ("status", _("Change status to")),
        ("spam", _("Mark as spam")),
        ("notspam", _("Mark as not spam")),
        ("delete", _("Delete")),
    ]
    action = forms.ChoiceField(label=_("With the selected leads"), choices=ACTIONS)
    status = forms.ChoiceField(label=_("Status"), choices=LeadStatus.choices, required=False)
    assignee = assignee_field()
    id = IdMultipleChoiceField(queryset=Inquiry.objects.all(), required=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()
        if user is not None and not user.has_perm(DELETE):
            self.fields["action"].choices = [c for c in self.ACTIONS if c[0] != "delete"]

    def clean(self):
        data = super().clean()
        if data.get("action") == "status" and not data.get("status"):
            self.add_error("status", _("Choose the new status."))
        return data


class AssignmentRuleForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), required=False)

    class Meta:
        model = AssignmentRule
        fields = ["sort_order", "category", "country", "language", "assignee", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Any")), *translated(settings.LANGUAGES)]
        self.fields["assignee"].queryset = get_user_model().objects.filter(is_active=True)
