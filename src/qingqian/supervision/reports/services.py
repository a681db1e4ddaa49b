"""Audited writes of the periodic information reports (信息报送).

* `reports_generate`: one report per reporting unit (`units`) for a period,
  its figures prefilled from the platform, due `due_working_days` working days
  after the period on the working-day calendar (provisional where a year's
  schedule is not entered yet). Idempotent.
* `report_set_value`: the province reports a figure; a value other than the
  prefilled one needs its reason, setting it back clears the reason.
* `report_submit`: the province submits its draft.
* `report_reopen`: the national administrator sends a submitted report back to
  draft, with a note.

Every service locks the report, refuses a stale version (409), checks who may
act and the report's state (409), validates (a ValidationError naming the
field), writes, and records one audit event. A refusal writes nothing.

Who reports for a province: officials with the intake, supervisor or
administrator role of an SME authority located at the province's code (not a
handling department), and the national administrator.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation, Role, User
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.complaints.errors import ComplaintConflict
from qingqian.core import audit, regions
from qingqian.core.scoping import region_prefix, scope_for
from qingqian.core.selectors import load_calendar
from qingqian.core.workdays import compute_deadline
from qingqian.supervision import verbs
from qingqian.supervision.defaults import DEFAULT_REPORT_NAMES_EN, DEFAULT_REPORTS
from qingqian.supervision.models import (
    ProvincialReport,
    ReportDefinition,
    ReportFigure,
    ReportValue,
)
from qingqian.supervision.reports import figures as report_figures
from qingqian.supervision.reports.transitions import REPORT_TRANSITIONS
from qingqian.supervision.reports.units import active_units, is_national_admin

State = ProvincialReport.State
REPORTING_ROLES = frozenset({Role.INTAKE, Role.SUPERVISOR, Role.ADMIN})
MAX_VALUE = 10**15  # counts and fen: larger is a typo (and beyond what a spreadsheet holds)
MAX_REASON = 2_000


class ReportConflict(ComplaintConflict):
    """The action does not fit the report's current state: a 409."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("This action is not possible in the report's current state."))


class ReportStale(ReportConflict):
    code = "stale"

    def __init__(self):
        super().__init__(_("Someone else changed this report meanwhile. Reload and try again."))


# --- who ---------------------------------------------------------------------------------


def may_generate(actor) -> bool:
    """The system, or a national supervisor or administrator."""
    if actor is None:
        return True
    return has_perm(actor, Perm.SUPERVISION_MANAGE) and scope_for(actor).everything


def may_report(actor, report: ProvincialReport) -> bool:
    """Officials of the province's SME authority (intake, supervisor, administrator),
    or the national administrator."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if is_national_admin(actor):
        return True
    organisation = getattr(actor, "organisation", None)
    return (
        actor.role in REPORTING_ROLES
        and organisation is not None
        and organisation.kind != Organisation.Kind.HANDLING_DEPARTMENT
        and organisation.region_code == report.province_code
    )


def reporters(province_code: str) -> QuerySet[User]:
    """The active people who report for a province (reminders go to them)."""
    return (
        User.objects.filter(
            is_active=True,
            role__in=REPORTING_ROLES,
            organisation__region_code=province_code,
        )
        .exclude(organisation__kind=Organisation.Kind.HANDLING_DEPARTMENT)
        .order_by("pk")
    )


# --- generation ----------------------------------------------------------------------------


def due_date(period_end: date, working_days: int):
    """The calendar's answer for `working_days` working days after the period's end."""
    return compute_deadline(
        load_calendar(), period_end, working_days=working_days, allow_provisional=True
    )


@transaction.atomic
def reports_generate(
    *,
    actor=None,
    definition: ReportDefinition,
    period_start: date,
    on: date | None = None,
) -> int:
    """One draft report per reporting unit due for the period starting on
    `period_start` (see `units`), figures prefilled as the platform knows them
    `on` (today) for the unit's region; those already there are left alone.
    Returns how many were created."""
    if not may_generate(actor):
        raise PermissionDenied(_("Only the national level generates reports."))
    on = on or timezone.localdate()
    # One run at a time per definition (two workers: the second finds the reports there).
    definition = ReportDefinition.objects.select_for_update().get(pk=definition.pk)
    if not isinstance(period_start, date) or not report_figures.is_period_start(
        definition.frequency, period_start
    ):
        raise ValidationError({"period_start": _("Give the first day of a period of this report.")})
    end = report_figures.period_end(definition.frequency, period_start)
    if end >= on:
        raise ValidationError(
            {"period_start": _("A report covers a period that has ended: this one has not.")}
        )
    keys = list(definition.figures.order_by("position", "pk").values_list("key", flat=True))
    unknown = sorted(set(keys) - set(report_figures.KEYS))
    if unknown:
        raise ValidationError(
            {"figures": _("Unknown figures: %(keys)s.") % {"keys": ", ".join(unknown)}}
        )
    existing = set(
        ProvincialReport.objects.filter(
            definition=definition, period_start=period_start
        ).values_list("province_code", flat=True)
    )
    due = due_date(end, definition.due_working_days)
    created = []
    for unit in active_units(period_end=end):
        organisation = unit.organisation
        code = organisation.region_code
        if code in existing:
            continue
        existing.add(code)
        report = ProvincialReport.objects.create(
            definition=definition,
            period_start=period_start,
            period_end=end,
            province_code=code,
            organisation=organisation,
            due_on=due.date,
            due_rule=due.rule,
            due_provisional=due.provisional,
        )
        figures = _prefill(code, period_start, end, on, keys)
        ReportValue.objects.bulk_create(
            ReportValue(report=report, key=key, prefilled=figures[key], value=figures[key])
            for key in keys
        )
        created.append(report)
    if created:
        audit.record(
            actor=actor,
            verb=verbs.REPORTS_GENERATE,
            target=definition,
            payload={
                "period_start": period_start,
                "period_end": end,
                "on": on,
                "due_on": due.date,
                "due_provisional": due.provisional,
                "reports": {report.province_code: report.pk for report in created},
            },
        )
    return len(created)


def _prefill(code: str, start: date, end: date, on: date, keys: list[str]) -> dict:
    """The platform's figures for the unit's region; none (entered by hand) for a
    platform-defined unit, where nothing can be located."""
    if regions.is_platform_unit(code):
        return dict.fromkeys(keys)
    return report_figures.platform_figures(region_prefix(code), start, end, today=on, keys=keys)


# --- the calendar changed ---------------------------------------------------------------------


@transaction.atomic
def recompute_open_reports(changed_years) -> int:
    """After a calendar change (a hook of core's calendar services): move the due
    date of every report not yet submitted whose days to count touch a changed
    year, or that was provisional (a December report generated before the next
    year's schedule was entered). Submitted reports keep the date they were held
    to. Returns how many moved."""
    changed_years = set(changed_years)
    moved = 0
    drafts = ProvincialReport.objects.select_for_update().filter(state=State.DRAFT)
    for report in drafts.select_related("definition"):
        years = set(range(report.period_end.year, report.due_on.year + 2))
        if not report.due_provisional and not years & changed_years:
            continue
        due = due_date(report.period_end, report.definition.due_working_days)
        if (due.date, due.rule, due.provisional) == (
            report.due_on,
            report.due_rule,
            report.due_provisional,
        ):
            continue
        report.due_on, report.due_rule, report.due_provisional = due.date, due.rule, due.provisional
        report.version += 1
        report.save(update_fields=["due_on", "due_rule", "due_provisional", "version"])
        moved += 1
    return moved


# --- a province reports -----------------------------------------------------------------------


def _begin(report: ProvincialReport, version: int | None) -> ProvincialReport:
    report = ProvincialReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if version is not None and version != report.version:
        raise ReportStale()
    return report


def _require_reporter(actor, report: ProvincialReport) -> None:
    if not may_report(actor, report):
        raise PermissionDenied(_("Only the province's SME authority reports its figures."))


def _require_edge(report: ProvincialReport, action: str) -> None:
    if not REPORT_TRANSITIONS.allowed(report.state, action):
        raise ReportConflict(_("This report is submitted: its figures can no longer change."))


@transaction.atomic
def report_set_value(
    *,
    actor,
    report: ProvincialReport,
    key: str,
    value: int,
    reason: str = "",
    version: int | None = None,
) -> ReportValue:
    """The province reports one figure. A value other than the prefilled one needs
    a reason; the prefilled value again clears it."""
    report = _begin(report, version)
    _require_reporter(actor, report)
    _require_edge(report, "set-value")
    errors: dict[str, str] = {}
    row = None
    if not isinstance(key, str) or not key:
        errors["key"] = _("Choose one of the report's figures.")
    else:
        row = ReportValue.objects.select_for_update().filter(report=report, key=key).first()
        if row is None:
            errors["key"] = _("Choose one of the report's figures.")
    if isinstance(value, bool) or not isinstance(value, int):
        errors["value"] = _("Enter a whole number.")
    elif value < 0:
        errors["value"] = _("The value cannot be negative.")
    elif value >= MAX_VALUE:
        errors["value"] = _("The value is too large.")
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        errors["reason"] = _("Enter text.")
        reason = ""
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        errors["reason"] = _("Keep this under %(limit)s characters.") % {"limit": MAX_REASON}
    hand_entered = row is not None and row.prefilled is None
    differs = row is not None and not hand_entered and value != row.prefilled
    if differs and "value" not in errors and not reason:
        errors["reason"] = _("Say why the value differs from the platform's figure.")
    if errors:
        raise ValidationError(errors)
    if value == row.prefilled or hand_entered:
        reason = ""
    old_value, old_reason = row.value, row.reason
    row.value, row.reason = value, reason
    row.save(update_fields=["value", "reason"])
    report.version += 1
    report.save(update_fields=["version"])
    audit.record(
        actor=actor,
        verb=verbs.REPORT_VALUE,
        target=report,
        payload={
            "key": key,
            "prefilled": row.prefilled,
            "old_value": old_value,
            "new_value": value,
            "old_reason": old_reason,
            "reason": reason,
            "version": report.version,
        },
    )
    return row


@transaction.atomic
def report_submit(
    *, actor, report: ProvincialReport, version: int | None = None
) -> ProvincialReport:
    """The province submits its report (draft → submitted)."""
    report = _begin(report, version)
    _require_reporter(actor, report)
    _require_edge(report, "submit")
    missing = [
        report_figures.label(key)
        for key in report.values.filter(value__isnull=True).values_list("key", flat=True)
    ]
    if missing:
        raise ValidationError(
            {
                "values": _("Enter every figure before submitting; missing: %(figures)s.")
                % {"figures": _(", ").join(missing)}
            }
        )
    now = timezone.now()
    report.state = REPORT_TRANSITIONS.next_state(report.state, "submit")
    report.submitted_at, report.submitted_by = now, actor
    report.version += 1
    report.save(update_fields=["state", "submitted_at", "submitted_by", "version"])
    changed = {
        key: {"prefilled": prefilled, "value": value}
        for key, prefilled, value in report.values.values_list("key", "prefilled", "value")
        if prefilled is not None and prefilled != value
    }
    audit.record(
        actor=actor,
        verb=verbs.REPORT_SUBMIT,
        target=report,
        payload={
            "due_on": report.due_on,
            "late": timezone.localdate(now) > report.due_on,
            "changed": changed,
            "version": report.version,
        },
    )
    return report


@transaction.atomic
def report_reopen(
    *, actor, report: ProvincialReport, note: str, version: int | None = None
) -> ProvincialReport:
    """The national administrator sends a submitted report back to draft, saying why."""
    report = _begin(report, version)
    if not is_national_admin(actor):
        raise PermissionDenied(_("Only the national administrator reopens a submitted report."))
    if not REPORT_TRANSITIONS.allowed(report.state, "reopen"):
        raise ReportConflict(_("Only a submitted report can be reopened."))
    note = note.strip() if isinstance(note, str) else ""
    if not note:
        raise ValidationError({"note": _("Say why the report is reopened.")})
    if len(note) > MAX_REASON:
        raise ValidationError(
            {"note": _("Keep this under %(limit)s characters.") % {"limit": MAX_REASON}}
        )
    submitted_at = report.submitted_at
    report.state = REPORT_TRANSITIONS.next_state(report.state, "reopen")
    report.submitted_at, report.submitted_by = None, None
    report.version += 1
    report.save(update_fields=["state", "submitted_at", "submitted_by", "version"])
    audit.record(
        actor=actor,
        verb=verbs.REPORT_REOPEN,
        target=report,
        payload={"note": note, "submitted_at": submitted_at, "version": report.version},
    )
    return report


@transaction.atomic
def report_definitions_seed(*, actor) -> int:
    """Add the default report definitions that are missing (a new or emptied platform)."""
    created = []
    for code, name, frequency, due_working_days, keys in DEFAULT_REPORTS:
        if ReportDefinition.objects.filter(code=code).exists():
            continue
        definition = ReportDefinition.objects.create(
            code=code,
            name=name,
            name_en=DEFAULT_REPORT_NAMES_EN[code],
            frequency=frequency,
            due_working_days=due_working_days,
        )
        ReportFigure.objects.bulk_create(
            ReportFigure(definition=definition, key=key, position=position)
            for position, key in enumerate(keys, start=1)
        )
        created.append(code)
    if created:
        audit.record(
            actor=actor,
            verb=verbs.REPORTS_SEED,
            target=("supervision.reportdefinition", "seed"),
            payload={"created": created},
        )
    return len(created)
