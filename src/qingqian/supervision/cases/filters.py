"""The filters of the supervision case list, for the page, its exports and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from qingqian.supervision.models import SupervisionCase


class CaseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("state"), choices=SupervisionCase.State.choices, empty_label=_("all")
    )
    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=SupervisionCase.Kind.choices, empty_label=_("all")
    )

    class Meta:
        model = SupervisionCase
        fields = ["state", "kind"]
