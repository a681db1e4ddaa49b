"""Complaints' figures for Prometheus (listed in QINGQIAN_METRICS_COLLECTORS)."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from qingqian.complaints.models import Deadline


class DeadlineBreachCollector:
    """Running statutory clocks already past their due date, by stage (review
    = accept or not, transfer, handling, supervision order): the complaints
    that someone should have acted on by now. One aggregate query per scrape,
    on the (status, due_on) index."""

    def collect(self):
        overdue = dict(
            Deadline.objects.filter(status=Deadline.Status.OPEN, due_on__lt=timezone.localdate())
            .values_list("stage")
            .annotate(count=Count("pk"))
            .order_by()
        )
        family = GaugeMetricFamily(
            "qingqian_complaint_deadlines_overdue",
            "Running complaint deadlines past their due date, by stage.",
            labels=["stage"],
        )
        for stage in Deadline.Stage.values:
            family.add_metric([stage], overdue.get(stage, 0))
        yield family
