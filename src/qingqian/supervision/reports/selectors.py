"""Reads of the periodic information reports, scoped by the actor.

Officials of SME authorities see reports: at the national level (and
administrators there) every province's, in a province, city or county their
province's only. Officials of handling departments, enterprises' people and
the anonymous public see none. The national aggregate is for the national
level only. The same selectors serve the pages, the files and the API; a
report out of scope is a 404.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation
from qingqian.core.region_selectors import region_name
from qingqian.core.scoping import scope_for
from qingqian.supervision.models import ProvincialReport, ReportDefinition
from qingqian.supervision.reports import figures as report_figures

MAX_ID = 2**63 - 1
State = ProvincialReport.State


def _province_filter(actor) -> Q | None:
    """The reports this person may see, as a filter; None: none at all."""
    scope = scope_for(actor)
    if scope.nothing or scope.enterprise_id is not None:
        return None
    if not actor.is_superuser:
        organisation = actor.organisation
        if organisation is None or organisation.kind == Organisation.Kind.HANDLING_DEPARTMENT:
            return None
    if scope.everything:
        return Q()
    # Their province's reports, and those of the reporting units inside their
    # region (a city with separate planning status reports on its own).
    return Q(province_code=scope.region_prefix[:2] + "0000") | Q(
        province_code__startswith=scope.region_prefix
    )


def may_view_reports(actor) -> bool:
    return _province_filter(actor) is not None


def sees_nation(actor) -> bool:
    """National officials of the SME authority and administrators there."""
    return _province_filter(actor) is not None and scope_for(actor).everything


def definition_list() -> QuerySet[ReportDefinition]:
    return ReportDefinition.objects.prefetch_related("figures").order_by("code")


def definition_get(*, code: str) -> ReportDefinition:
    """Definitions are the same for everyone; an unknown code is a 404."""
    return get_object_or_404(ReportDefinition, code=code)


def report_list(
    *,
    actor,
    definition: ReportDefinition | str | None = None,
    period_start: date | None = None,
    state: str = "",
) -> QuerySet[ProvincialReport]:
    rows = ProvincialReport.objects.select_related("definition", "organisation", "submitted_by")
    where = _province_filter(actor)
    if where is None:
        return rows.none()
    rows = rows.filter(where)
    if isinstance(definition, ReportDefinition):
        rows = rows.filter(definition=definition)
    elif definition:
        rows = rows.filter(definition__code=definition)
    if period_start is not None:
        rows = rows.filter(period_start=period_start)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-period_start", "definition__code", "province_code")


def report_get(*, actor, pk) -> ProvincialReport:
    if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk <= MAX_ID:
        raise Http404
    return get_object_or_404(report_list(actor=actor), pk=pk)


def report_values(report: ProvincialReport) -> list[dict]:
    """The report's figures in the definition's order, with their labels and kinds."""
    order = {
        key: position
        for position, key in enumerate(
            report.definition.figures.order_by("position", "pk").values_list("key", flat=True)
        )
    }
    values = sorted(report.values.all(), key=lambda v: (order.get(v.key, len(order)), v.pk))
    return [
        {
            "key": v.key,
            "label": report_figures.label(v.key),
            "kind": report_figures.KINDS.get(v.key, report_figures.COUNT),
            "prefilled": v.prefilled,
            "value": v.value,
            "reason": v.reason,
            "changed": v.prefilled is not None and v.value != v.prefilled,
        }
        for v in values
    ]


def is_late(report: ProvincialReport, today: date) -> bool:
    return report.state == State.DRAFT and report.due_on < today


def submitted_late(report: ProvincialReport) -> bool:
    return bool(report.submitted_at) and timezone.localdate(report.submitted_at) > report.due_on


def late_reports(*, actor, today: date | None = None) -> QuerySet[ProvincialReport]:
    """Drafts past their due date, in the actor's scope."""
    today = today or timezone.localdate()
    return report_list(actor=actor, state=State.DRAFT).filter(due_on__lt=today)


def national_aggregate(
    *,
    actor,
    definition: ReportDefinition | str,
    period_start: date,
    today: date | None = None,
) -> dict:
    """Every province's report of one definition and period, with totals over the
    SUBMITTED reports only and the counts of submitted, expected and late ones."""
    if not sees_nation(actor):
        raise PermissionDenied(_("The national aggregate is for the national level."))
    today = today or timezone.localdate()
    if not isinstance(definition, ReportDefinition):
        definition = get_object_or_404(ReportDefinition, code=definition)
    keys = list(definition.figures.order_by("position", "pk").values_list("key", flat=True))
    rows, totals = [], [0] * len(keys)
    submitted = late = 0
    found = report_list(actor=actor, definition=definition, period_start=period_start)
    for report in found.prefetch_related("values").order_by("province_code"):
        values = {v.key: v for v in report.values.all()}
        row_values = [values[key].value if key in values else None for key in keys]
        if report.state == State.SUBMITTED:
            submitted += 1
            totals = [t + (v or 0) for t, v in zip(totals, row_values, strict=True)]
        late += is_late(report, today)
        rows.append(
            {
                "report": report,
                "id": report.pk,
                "province_code": report.province_code,
                "name": region_name(report.province_code) or report.organisation.name,
                "organisation": report.organisation.name,
                "state": report.state,
                "state_label": report.get_state_display(),
                "submitted_at": report.submitted_at,
                "due_on": report.due_on,
                "late": is_late(report, today),
                "submitted_late": submitted_late(report),
                "values": row_values,
                "changed": sorted(
                    key
                    for key, v in values.items()
                    if key in keys and v.prefilled is not None and v.value != v.prefilled
                ),
            }
        )
    period_end = (
        rows[0]["report"].period_end
        if rows
        else report_figures.period_end(definition.frequency, period_start)
    )
    return {
        "definition": definition,
        "period_start": period_start,
        "period_end": period_end,
        "today": today,
        "keys": keys,
        "labels": [report_figures.label(key) for key in keys],
        "kinds": [report_figures.KINDS.get(key, report_figures.COUNT) for key in keys],
        "rows": rows,
        "totals": totals,
        "counts": {"expected": len(rows), "submitted": submitted, "late": late},
    }


def periods_generated(*, actor) -> list[tuple[ReportDefinition, date]]:
    """(definition, period start) pairs that have reports, newest first (national pages)."""
    if not sees_nation(actor):
        return []
    pairs = (
        ProvincialReport.objects.values_list("definition_id", "period_start")
        .distinct()
        .order_by("-period_start", "definition_id")
    )
    definitions = {d.pk: d for d in ReportDefinition.objects.all()}
    return [(definitions[pk], start) for pk, start in pairs[:60]]
