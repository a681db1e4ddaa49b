"""The filters of the enterprise list, for the page, its CSV and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from qingqian.parties.models import Enterprise


class EnterpriseFilter(django_filters.FilterSet):
    # A name fragment or a whole credit code. An unknown type finds nothing
    # rather than being refused: the list has always taken any value.
    q = django_filters.CharFilter(method="search")
    type = django_filters.CharFilter()

    class Meta:
        model = Enterprise
        fields = ["q", "type"]

    def search(self, enterprises, _name, text):
        return enterprises.filter(Q(name__icontains=text) | Q(uscc__iexact=text))
