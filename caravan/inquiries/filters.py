"""The filters of the lead inbox (django-filter, shown in Wagtail's filter drawer)."""

import django_filters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from caravan.core.languages import translated

from . import grouping
from .countries import country_name
from .forms import IdChoiceMixin, parse_id
from .models import DeliveryStatus, Inquiry, InquiryLine, LeadStatus, person_name

SPAM_CHOICES = [
    ("no", _("Not spam")),
    ("yes", _("Spam only")),
    ("all", _("Spam and not spam")),
]


def assignable_users():
    """The people leads can be given to: the Sales group, superusers, and whoever already
    holds leads."""
    users = get_user_model().objects.filter(is_active=True)
    return (
        users.filter(
            Q(groups__name="Sales") | Q(is_superuser=True) | Q(assigned_leads__isnull=False)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _any_language_version(field, value):
    """A product chosen by the id of any of its language versions (`?product=<id>` from a
    Russian page's lead) is the product, whichever language the list is read in."""
    if value in field.empty_values:
        return None
    page_id = parse_id(value)
    same = grouping.same_product(page_id) if page_id is not None else None
    if same is None:
        raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")
    return same


def _person_or_nobody(obj):
    # Wagtail labels the active filter with the raw value, "null" for the null choice.
    return person_name(obj) if hasattr(obj, "get_full_name") else str(_("Nobody (unassigned)"))


def _assignee_queryset(request):
    return assignable_users()


class InboxFilterSet(WagtailFilterSet):
    """Without a spam filter chosen the inbox shows real leads only (spam stays one click
    away), unless the Spam status itself is asked for."""

    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=LeadStatus.choices,
        widget=django_filters.widgets.forms.CheckboxSelectMultiple,
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Received"), widget=DateRangePickerWidget
    )
    product = django_filters.ModelChoiceFilter(
        label=_("Product"),
        queryset=lambda request: grouping.representatives(),
        method="filter_product",
    )
    product.field_class = type(
        "ProductChoiceField",
        (IdChoiceMixin, product.field_class),
        {"to_python": _any_language_version},
    )
    country = django_filters.ChoiceFilter(label=_("Country"), choices=[])
    language = django_filters.ChoiceFilter(label=_("Language"), choices=[])
    assignee = django_filters.ModelChoiceFilter(
        label=_("Assignee"),
        queryset=_assignee_queryset,
        null_label=_("Nobody (unassigned)"),
    )
    assignee.field_class = type(
        "PersonChoiceField",
        (IdChoiceMixin, assignee.field_class),
        {"label_from_instance": lambda self, obj: _person_or_nobody(obj)},
    )
    delivery = django_filters.ChoiceFilter(
        label=_("Notification"),
        choices=[("undelivered", _("Not delivered (pending or failed)")), ("failed", _("Failed"))],
        method="filter_delivery",
    )
    spam = django_filters.ChoiceFilter(
        label=_("Spam"), choices=SPAM_CHOICES, method="filter_spam", empty_label=None
    )

    class Meta:
        model = Inquiry
        fields = [
            "status",
            "created_at",
            "product",
            "country",
            "language",
            "assignee",
            "delivery",
            "spam",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = (
            Inquiry.objects.exclude(country="")
            .order_by("country")
            .values_list("country", flat=True)
            .distinct()
        )
        self.filters["country"].extra["choices"] = [
            (code, f"{country_name(code)} ({code})") for code in countries
        ]
        languages = dict(translated(settings.LANGUAGES))
        used = Inquiry.objects.exclude(language="").values_list("language", flat=True).distinct()
        codes = sorted(set(languages) | set(used))
        self.filters["language"].extra["choices"] = [
            (code, f"{languages.get(code, code)} ({code})") for code in codes
        ]

    def filter_product(self, queryset, name, value):
        if not value:
            return queryset
        key = value.translation_key
        in_lines = InquiryLine.objects.filter(product__translation_key=key).values("inquiry_id")
        return queryset.filter(Q(product__translation_key=key) | Q(pk__in=in_lines))

    def filter_spam(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(is_spam=True)
        if value == "all":
            return queryset
        return queryset.filter(is_spam=False)

    def filter_delivery(self, queryset, name, value):
        if value == "failed":
            return queryset.filter(notification_status=DeliveryStatus.FAILED)
        return queryset.filter(
            notification_status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not data.get("spam") and LeadStatus.SPAM not in (data.get("status") or []):
            queryset = queryset.filter(is_spam=False)
        return queryset
