"""The filters of the provincial report list, for the page, its exports and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from qingqian.supervision.models import ProvincialReport, ReportDefinition


def definition_choices() -> list[tuple[str, str]]:
    """Each definition's code and its name in the reader's language."""
    return [(d.code, str(d)) for d in ReportDefinition.objects.order_by("code")]


class ReportFilter(django_filters.FilterSet):
    definition = django_filters.ChoiceFilter(
        label=_("report"),
        field_name="definition__code",
        choices=definition_choices,
        empty_label=_("any"),
    )
    period = django_filters.DateFilter(
        label=_("period starting"),
        field_name="period_start",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    state = django_filters.ChoiceFilter(
        label=_("state"), choices=ProvincialReport.State.choices, empty_label=_("any")
    )

    class Meta:
        model = ProvincialReport
        fields = ["definition", "period", "state"]
