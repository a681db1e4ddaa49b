"""The complaint list's filter: one definition for the web list and the API list.

A parameter sent must be valid; an absent or blank one filters nothing. The
API refuses an invalid parameter (400, naming it); the web list leaves it out
and shows what the others select (django-filter filters on the valid fields)."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qingqian.complaints.models import Deadline, State
from qingqian.complaints.selectors import with_next_due

TRUE_VALUES = frozenset({"t", "y", "yes", "true", "on", "1"})
FALSE_VALUES = frozenset({"f", "n", "no", "false", "off", "0"})


class YesNoField(forms.NullBooleanField):
    """true/false, yes/no, on/off, 1/0 (any case); absent or blank is no; anything else
    is refused."""

    widget = forms.TextInput  # the raw text, for `to_python` to judge
    default_error_messages = {"invalid_boolean": validators.RegexValidator.message}

    def to_python(self, value) -> bool:
        if value in self.empty_values:
            return False
        if str(value).lower() in TRUE_VALUES:
            return True
        if str(value).lower() in FALSE_VALUES:
            return False
        raise ValidationError(self.error_messages["invalid_boolean"], code="invalid_boolean")


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


# Due windows of the work queue, in calendar days from today (the earliest running clock).
DUE_WINDOWS = [
    ("overdue", _("overdue")),
    ("3", _("due within 3 days")),
    ("7", _("due within 7 days")),
]
ORDERINGS = [("due", _("nearest due date first")), ("newest", _("newest first"))]
ORDER_BY = {
    "due": (F("next_due_on").asc(nulls_last=True), "-created_at", "-pk"),
    "newest": ("-created_at", "-pk"),
}


class ComplaintFilter(django_filters.FilterSet):
    """Applied to a scoped queryset (`selectors.complaint_list`)."""

    state = django_filters.ChoiceFilter(choices=State.choices)
    overdue = YesNoFilter(method="filter_overdue")
    province = django_filters.CharFilter(field_name="province_code", max_length=6)
    debtor = django_filters.CharFilter(
        method="filter_debtor", max_length=200, help_text="Credit code or name."
    )
    q = django_filters.CharFilter(method="filter_search", max_length=200)
    stage = django_filters.ChoiceFilter(
        choices=Deadline.Stage.choices,
        method="filter_stage",
        help_text="Complaints whose clock of this stage is running.",
    )
    due = django_filters.ChoiceFilter(
        choices=DUE_WINDOWS,
        method="filter_due",
        help_text=(
            "By the earliest running clock: overdue (past its due date), or due "
            "from today to 3 or 7 calendar days from today."
        ),
    )
    ordering = django_filters.ChoiceFilter(
        choices=ORDERINGS,
        method="keep",  # applied after the filters, the default included
        help_text="due (default): nearest due date first, complaints with no running "
        "clock last; newest: newest first.",
    )

    def filter_queryset(self, queryset):
        complaints = super().filter_queryset(with_next_due(queryset))
        return complaints.order_by(*ORDER_BY[self.form.cleaned_data.get("ordering") or "due"])

    def keep(self, complaints, name, value):
        return complaints

    def filter_stage(self, complaints, name, stage: str):
        running = Deadline.objects.filter(
            complaint=OuterRef("pk"), status=Deadline.Status.OPEN, stage=stage
        )
        return complaints.filter(Exists(running))

    def filter_due(self, complaints, name, window: str):
        today = timezone.localdate()
        if window == "overdue":
            return complaints.filter(next_due_on__lt=today)
        return complaints.filter(
            next_due_on__gte=today, next_due_on__lte=today + timedelta(days=int(window))
        )

    def filter_overdue(self, complaints, name, overdue: bool):
        if not overdue:
            return complaints
        return complaints.filter(
            deadlines__status=Deadline.Status.OPEN, deadlines__due_on__lt=timezone.localdate()
        ).distinct()

    def filter_debtor(self, complaints, name, debtor: str):
        return complaints.filter(Q(debtor__uscc=debtor.upper()) | Q(debtor__name__icontains=debtor))

    def filter_search(self, complaints, name, search: str):
        return complaints.filter(
            Q(tracking_number__iexact=search)
            | Q(contract_number__iexact=search)
            | Q(complainant__name__icontains=search)
            | Q(debtor__name__icontains=search)
        )
