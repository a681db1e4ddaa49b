"""The complaint list's filter: one definition for the web list and the API list.

A parameter sent must be valid; an absent or blank one filters nothing. The
API refuses an invalid parameter (400, naming it); the web list leaves it out
and shows what the others select (django-filter filters on the valid fields)."""

from __future__ import annotations

import django_filters
from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from qingqian.complaints.models import Deadline, State

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


class ComplaintFilter(django_filters.FilterSet):
    """Applied to a scoped queryset (`selectors.complaint_list`)."""

    state = django_filters.ChoiceFilter(choices=State.choices)
    overdue = YesNoFilter(method="filter_overdue")
    province = django_filters.CharFilter(field_name="province_code", max_length=6)
    debtor = django_filters.CharFilter(
        method="filter_debtor", max_length=200, help_text="Credit code or name."
    )
    q = django_filters.CharFilter(method="filter_search", max_length=200)

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
