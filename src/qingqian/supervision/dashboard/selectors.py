"""The supervision dashboard: figures of a jurisdiction over a period, and the rows behind them.

Every figure comes from a maintained table — the complaint tallies, the
handling-time histogram, `LedgerTotal` and the ledger snapshots — or from the
few open deadlines ("overdue now" changes with the date, not with a write), so
a national page reads thousands of summary rows, never the millions of items
or events. `facts_behind` lists the raw rows any figure counts, through the
complaint selector's scope: the tests check that both always agree.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation
from qingqian.complaints.models import Channel, ComplaintEvent, Deadline
from qingqian.core import regions
from qingqian.ledger.figures import SUM_NAMES, LedgerFigures, aggregates
from qingqian.ledger.models import LedgerItem, LedgerTotal
from qingqian.parties.models import Enterprise
from qingqian.supervision.dashboard.tallies import (
    MEASURE_OF_ACTION,
    STAGE_ENDED_BY,
    channel_measure,
)
from qingqian.supervision.models import (
    ComplaintTally,
    DepartmentTally,
    HandlingTimeTally,
    LedgerSnapshot,
)
from qingqian.supervision.periods import Jurisdiction, Period, jurisdiction_for, period_of

STAGES = ("review", "transfer", "handling")
COMPLAINT_MEASURES = (
    "received",
    "accepted",
    "not_accepted",
    "transferred",
    "returned",
    "extended",
    "extensions",
    "resolved",
    "closed",
    "reopened",
    "terminated",
    "satisfied",
    "unsatisfied",
)
CLOCK_MEASURES = tuple(f"{stage}_{end}" for stage in STAGES for end in ("met", "breached"))
OVERDUE_STAGES = ("review", "transfer", "handling", "supervision_order")
DEBTOR_TYPES = [t for t in Enterprise.Type if t != Enterprise.Type.SME]


# --- complaint figures ---------------------------------------------------------------------


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, or None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _period_q(period: Period) -> Q:
    return Q(month__gte=period.first, month__lte=period.last)


def measure_counts(where: Q, period: Period, *by: str, measures=None) -> dict:
    """{(by values..., measure): count} from the complaint tallies (all measures, or those)."""
    if measures is not None:
        where &= Q(measure__in=measures)
    rows = (
        ComplaintTally.objects.filter(where & _period_q(period))
        .values(*by, "measure")
        .annotate(n=Sum("count"))
    )
    return {(*(row[k] for k in by), row["measure"]): row["n"] for row in rows}


def complaint_figures(counts: dict[str, int]) -> dict:
    """Counts by measure → the figures shown: counts, on-time rates, satisfaction."""
    figures = {measure: counts.get(measure, 0) for measure in COMPLAINT_MEASURES}
    figures["on_time"] = {stage: stage_on_time(counts, stage) for stage in STAGES}
    figures["satisfaction_rate"] = rate(
        figures["satisfied"], figures["satisfied"] + figures["unsatisfied"]
    )
    figures["by_channel"] = {
        channel: counts.get(channel_measure(channel), 0) for channel in Channel.values
    }
    return figures


# --- on time and breached: the one definition every figure uses ----------------------------
#
# A stage's clock is rated once it is decided. It is on time when the action that properly
# ends the stage stops it on or before the due date, and breached when that action comes
# later (the tallies count both in the month the stage ended). A clock still running past
# its due date is breached from the day after the due date: it is counted at read time, as
# of the day the figures are read (today, or the last day of a period that is over), so an
# authority that never acts does not keep 100%. A running clock not yet due, or a paused
# one, counts in neither. On-time rate = on time / (on time + breached).


def stage_on_time(counts: dict, stage: str) -> dict:
    """{met, breached (of which still open), rate} of one stage from counts by measure."""
    met = counts.get(f"{stage}_met", 0)
    still_open = counts.get(f"{stage}_breached_open", 0)
    breached = counts.get(f"{stage}_breached", 0) + still_open
    return {
        "met": met,
        "breached": breached,
        "breached_open": still_open,
        "rate": rate(met, met + breached),
    }


def reading_day(period: Period, today: date) -> date:
    """The day open clocks are judged on: today, or the last day of a period already over."""
    return min(today, period.end)


def open_breach_q(day: date, since: date | None = None) -> Q:
    """Clocks of the rated stages running on `day` past their due date (those that
    have ended since then included: on `day` they were still running). With
    `since`, those running late on any day from `since` to `day`."""
    return Q(stage__in=STAGES, due_on__lt=day) & (
        Q(status=Deadline.Status.OPEN)
        | Q(status=Deadline.Status.BREACHED, ended_on__gt=since or day)
    )


OPEN_BREACH_KEYS = {
    None: None,
    "province": "complaint__debtor_region_code",
    "city": "complaint__debtor_region_code",
    "debtor_type": "complaint__debtor_type",
    "department": "organisation_id",
    "month": None,
}


def open_breach_counts(
    jurisdiction: Jurisdiction, period: Period, today: date, by: str | None = None
) -> dict:
    """{(key, "<stage>_breached_open"): n}, keyed as `measure_counts` keys the tallies:
    by province or city (the region code at that grain), debtor type, department
    (handling clocks) or month (each month judged on its own last day, or today)."""
    days = _reading_days(period, today, per_month=by == "month")
    if not days:
        return {}
    where = jurisdiction.region_q("complaint__debtor_region_code") & open_breach_q(
        max(days.values()), since=min(days.values())
    )
    if by == "department":
        where &= Q(stage=Deadline.Stage.HANDLING)
    key_field = OPEN_BREACH_KEYS[by]
    fields = ["stage", "status", "due_on", "ended_on", *([key_field] if key_field else [])]
    counts: dict = defaultdict(int)
    for row in Deadline.objects.filter(where).values_list(*fields).iterator():
        stage, status, due_on, ended_on = row[:4]
        for month, day in days.items():
            if due_on < day and (status == Deadline.Status.OPEN or ended_on > day):
                key = month if by == "month" else _open_breach_key(by, row[4:])
                counts[(*key, f"{stage}_breached_open")] += 1
    return dict(counts)


def _reading_days(period: Period, today: date, *, per_month: bool) -> dict:
    """{month key: the day its open clocks are judged on}; nothing for months to come."""
    if not per_month:
        day = reading_day(period, today)
        return {(): day} if day >= period.first else {}
    current = today.replace(day=1)
    return {
        (month,): reading_day(Period(month, month), today)
        for month in period.months()
        if month <= current
    }


def _open_breach_key(by: str | None, value: tuple) -> tuple:
    if by == "province":
        return (value[0][:2] + "0000",)
    if by == "city":
        return (value[0][:4] + "00",)
    return value


def stage_counts(
    jurisdiction: Jurisdiction, where: Q, period: Period, today: date, by: str | None = None
) -> dict:
    """The tallies' counts (`measure_counts`) with the open breaches added, same keys;
    `by` province or city groups by the tallies' region code (`where` picks the grain)."""
    tally_by = {"province": "region_code", "city": "region_code"}.get(by, by)
    counts = dict(measure_counts(where, period, *([tally_by] if tally_by else [])))
    return add_counts(counts, open_breach_counts(jurisdiction, period, today, by))


def add_counts(counts: dict, more: dict) -> dict:
    for key, n in more.items():
        counts[key] = counts.get(key, 0) + n
    return counts


def _split(counts: dict, width: int) -> dict:
    """{(key..., measure): n} → {key: {measure: n}} (key a value when width is 1)."""
    grouped: dict = defaultdict(dict)
    for key, n in counts.items():
        head = key[0] if width == 1 else key[:width]
        grouped[head][key[-1]] = n
    return grouped


def handling_time(where: Q, period: Period) -> dict:
    """Average and 90th percentile (nearest rank) of handling times, in days."""
    histogram = (
        HandlingTimeTally.objects.filter(where & _period_q(period))
        .values("days")
        .annotate(n=Sum("count"))
        .order_by("days")
    )
    pairs = [(row["days"], row["n"]) for row in histogram if row["n"]]
    total = sum(n for _days, n in pairs)
    if not total:
        return {"count": 0, "average_days": None, "p90_days": None}
    average = Decimal(sum(days * n for days, n in pairs)) / total
    rank, seen, p90 = -(-total * 9 // 10), 0, None  # ceil(0.9 n)
    for days, n in pairs:
        seen += n
        if seen >= rank:
            p90 = days
            break
    return {
        "count": total,
        "average_days": average.quantize(Decimal("0.1"), ROUND_HALF_UP),
        "p90_days": p90,
    }


def overdue_deadlines(jurisdiction: Jurisdiction, today: date) -> QuerySet[Deadline]:
    """Running (not paused) clocks past their due date: live, since time alone makes them."""
    return Deadline.objects.filter(
        jurisdiction.region_q("complaint__debtor_region_code"),
        status=Deadline.Status.OPEN,
        due_on__lt=today,
    )


def overdue_counts(jurisdiction: Jurisdiction, today: date, by: str | None = None) -> dict:
    deadlines = overdue_deadlines(jurisdiction, today)
    if by is None:
        rows = deadlines.values("stage").annotate(n=Count("pk"))
        counts = {stage: 0 for stage in OVERDUE_STAGES}
        counts.update({row["stage"]: row["n"] for row in rows})
        counts["total"] = sum(counts.values())
        return counts
    rows = deadlines.values(key=by_expression(by)).annotate(n=Count("pk"))
    return {row["key"]: row["n"] for row in rows}


def by_expression(by: str):
    return {
        "province": Substr("complaint__debtor_region_code", 1, 2),
        "city": Substr("complaint__debtor_region_code", 1, 4),
        "debtor_type": F("complaint__debtor_type"),
        "department": F("organisation_id"),
    }[by]


# --- ledger figures ------------------------------------------------------------------------


def ledger_figures(totals: dict[str, dict]) -> dict:
    """Sums by status → the ledger's figures, as `ledger.figures` defines them."""
    parts = (LedgerFigures.of_sums(sums) for sums in totals.values())
    return sum(parts, LedgerFigures()).as_dict()


def ledger_totals(jurisdiction: Jurisdiction, by: str | None = None) -> dict:
    """{key: {status: sums}} from LedgerTotal (key None without `by`)."""
    where = (
        Q(province_code=jurisdiction.code)
        if jurisdiction.level == "province"
        else jurisdiction.region_q("region_code")
    )
    keys = {
        None: [],
        "province": ["province_code"],
        "city": ["city"],
        "debtor_type": ["debtor_type"],
    }[by]
    rows = LedgerTotal.objects.filter(where)
    if by == "city":
        rows = rows.annotate(city=Substr("region_code", 1, 4))
    rows = rows.values(*keys, "status").annotate(**aggregates(from_summary=True))
    grouped: dict = defaultdict(dict)
    for row in rows:
        grouped[row[keys[0]] if keys else None][row["status"]] = _sums_of(row)
    return grouped


def _sums_of(row: dict) -> dict:
    return {name: row[name] for name in SUM_NAMES}


# --- the whole page ----------------------------------------------------------------------


def headline_figures(jurisdiction: Jurisdiction, period: Period, today: date) -> dict:
    """The complaint and ledger figures of a jurisdiction and period (the page's
    headline; the public site's too)."""
    where = jurisdiction.tally_q()
    counts = {key[0]: n for key, n in stage_counts(jurisdiction, where, period, today).items()}
    return {
        "jurisdiction": jurisdiction,
        "period": period,
        "today": today,
        "complaints": complaint_figures(counts),
        "ledger": ledger_figures(ledger_totals(jurisdiction).get(None, {})),
    }


def dashboard(*, actor, region: str = "", start: str = "", end: str = "", today=None) -> dict:
    """Everything the dashboard page and `/api/v1/stats/` show."""
    today = today or timezone.localdate()
    jurisdiction = jurisdiction_for(actor, region)
    period = period_of(start, end, today=today)
    return {
        **headline_figures(jurisdiction, period, today),
        "overdue": overdue_counts(jurisdiction, today),
        "handling_time": handling_time(jurisdiction.tally_q(), period),
        "by_region": by_region(jurisdiction, period, today),
        "by_debtor_type": by_debtor_type(jurisdiction, period, today),
        "by_department": by_department(jurisdiction, period, today),
        "by_month": by_month(jurisdiction, period, today),
    }


def by_region(jurisdiction: Jurisdiction, period: Period, today: date) -> list[dict]:
    child_q = jurisdiction.child_tally_q()
    if child_q is None:
        return []
    child_level = "province" if jurisdiction.level == "national" else "city"
    counts = _split(stage_counts(jurisdiction, child_q, period, today, child_level), 1)
    overdue = overdue_counts(jurisdiction, today, by=child_level)
    ledger = ledger_totals(jurisdiction, by=child_level)
    codes = {jurisdiction.child_of(code.ljust(6, "0")) for code in [*counts, *overdue, *ledger]}
    rows = []
    for code in sorted(codes):
        short = code[:2] if child_level == "province" else code[:4]
        region = regions.lookup(code)
        rows.append(
            {
                "code": code,
                "prefix": short,
                "name": region.name if region else code,
                "complaints": complaint_figures(counts.get(code, {})),
                "overdue": overdue.get(short, 0),
                "ledger": ledger_figures(
                    ledger.get(code if child_level == "province" else short, {})
                ),
            }
        )
    return rows


def by_debtor_type(jurisdiction: Jurisdiction, period: Period, today: date) -> list[dict]:
    counts = _split(
        stage_counts(jurisdiction, jurisdiction.tally_q(), period, today, "debtor_type"), 1
    )
    overdue = overdue_counts(jurisdiction, today, by="debtor_type")
    ledger = ledger_totals(jurisdiction, by="debtor_type")
    return [
        {
            "code": kind.value,
            "name": str(kind.label),
            "complaints": complaint_figures(counts.get(kind.value, {})),
            "overdue": overdue.get(kind.value, 0),
            "ledger": ledger_figures(ledger.get(kind.value, {})),
        }
        for kind in DEBTOR_TYPES
    ]


def by_department(jurisdiction: Jurisdiction, period: Period, today: date) -> list[dict]:
    """Handling departments located in the jurisdiction that took part in the period
    or have clocks overdue now."""
    rows = (
        DepartmentTally.objects.filter(
            _period_q(period), jurisdiction.region_q("department__region_code")
        )
        .values("department_id", "measure")
        .annotate(n=Sum("count"))
    )
    counts: dict = defaultdict(dict)
    for row in rows:
        counts[row["department_id"]][row["measure"]] = row["n"]
    for (pk, measure), n in open_breach_counts(jurisdiction, period, today, "department").items():
        if pk is not None:
            counts[pk][measure] = n
    overdue = {
        pk: n
        for pk, n in overdue_counts(jurisdiction, today, by="department").items()
        if pk is not None
    }
    departments = Organisation.objects.filter(
        pk__in={*counts, *overdue}, kind=Organisation.Kind.HANDLING_DEPARTMENT
    ).filter(jurisdiction.region_q("region_code"))
    return sorted(
        (
            {
                "id": department.pk,
                "name": department.name,
                "region_code": department.region_code,
                "complaints": complaint_figures(counts.get(department.pk, {})),
                "overdue": overdue.get(department.pk, 0),
            }
            for department in departments
        ),
        key=lambda row: (row["region_code"], row["name"]),
    )


def by_month(jurisdiction: Jurisdiction, period: Period, today: date) -> list[dict]:
    """Month by month; the current month's undisputed outstanding is the live figure
    (the headline's own), earlier months their month-end snapshots."""
    counts = _split(stage_counts(jurisdiction, jurisdiction.tally_q(), period, today, "month"), 1)
    snapshots = ledger_snapshots(jurisdiction, period)
    current = today.replace(day=1)
    if period.first <= current <= period.last:
        live = ledger_figures(ledger_totals(jurisdiction).get(None, {}))
        snapshots[current] = live["undisputed_outstanding_fen"]
    return [
        {
            "month": month,
            "complaints": complaint_figures(counts.get(month, {})),
            "undisputed_outstanding_fen": snapshots.get(month),
            "live": month == current,
        }
        for month in period.months()
    ]


def ledger_snapshots(jurisdiction: Jurisdiction, period: Period) -> dict[date, int]:
    """Undisputed outstanding arrears at each month's end, where a snapshot was taken."""
    rows = LedgerSnapshot.objects.filter(
        jurisdiction.tally_q(), month__gte=period.first, month__lte=period.last
    )
    sums: dict[date, int] = defaultdict(int)
    for month, amount in rows.values_list("month", "undisputed_outstanding_fen"):
        sums[month] += amount
    return dict(sums)


# --- drill-down ------------------------------------------------------------------------------


MEASURES = (*COMPLAINT_MEASURES, *CLOCK_MEASURES, "overdue", "handling_time")


def facts_behind(
    *,
    actor,
    measure: str,
    region: str = "",
    start: str = "",
    end: str = "",
    debtor_type: str = "",
    department: int | None = None,
    stage: str = "",
    today=None,
) -> QuerySet:
    """The events or clocks a figure counts, within the actor's complaint scope.

    Event measures give ComplaintEvent rows, clock measures Deadline rows."""
    from qingqian.complaints.selectors import complaint_list

    today = today or timezone.localdate()
    jurisdiction = jurisdiction_for(actor, region)
    period = period_of(start, end, today=today)
    if measure not in MEASURES:
        raise ValidationError({"measure": _("Choose one of the figures of the dashboard.")})
    if debtor_type and debtor_type not in {t.value for t in DEBTOR_TYPES}:
        raise ValidationError({"debtor_type": _("Choose one of the debtor types.")})
    if stage and stage not in OVERDUE_STAGES:
        raise ValidationError({"stage": _("Choose one of the stages.")})
    visible = complaint_list(actor=actor).values("pk")
    prefix = "complaint__"
    common = jurisdiction.region_q(f"{prefix}debtor_region_code") & Q(complaint__in=visible)
    if debtor_type:
        common &= Q(complaint__debtor_type=debtor_type)
    if measure in COMPLAINT_MEASURES:
        rows = ComplaintEvent.objects.filter(
            common,
            _event_q(measure),
            day__gte=period.first,
            day__lte=period.end,
        )
        if department is not None:
            rows = rows.filter(department_id=department)
        return rows.select_related("complaint", "department").order_by("-day", "-pk")
    if measure == "overdue":
        rows = overdue_deadlines(jurisdiction, today).filter(common)
        if stage:
            rows = rows.filter(stage=stage)
    else:
        clock_stage, _sep, outcome = measure.rpartition("_")
        if measure == "handling_time":
            clock_stage, outcome = "handling", ""
        rows = Deadline.objects.filter(
            common,
            stage=clock_stage,
            ended_by__in=STAGE_ENDED_BY[clock_stage]
            if measure != "handling_time"
            else ["submit-result"],
            ended_on__gte=period.first,
            ended_on__lte=period.end,
        )
        rows = rows.filter(status=outcome) if outcome else rows.exclude(status=Deadline.Status.OPEN)
        if outcome == Deadline.Status.BREACHED:
            still_open = Q(common, open_breach_q(reading_day(period, today)), stage=clock_stage)
            rows = Deadline.objects.filter(Q(pk__in=rows.values("pk")) | still_open)
    if department is not None:
        rows = rows.filter(organisation_id=department)
    return rows.select_related("complaint", "organisation").order_by("due_on", "pk")


def _event_q(measure: str) -> Q:
    if measure in ("satisfied", "unsatisfied"):
        return Q(action="feedback", details__satisfied=(measure == "satisfied"))
    if measure == "extended":  # the complaint's first extension
        earlier = ComplaintEvent.objects.filter(
            complaint=OuterRef("complaint"), action="extend", pk__lt=OuterRef("pk")
        )
        return Q(action="extend") & ~Exists(earlier)
    return Q(action__in=[a for a, m in MEASURE_OF_ACTION.items() if m == measure])


# --- the figures a public notice cites ------------------------------------------------------


def subject_figures(case, today: date | None = None) -> dict:
    """This year's figures of a supervision case's subject, as a notice cites them."""
    today = today or timezone.localdate()
    period = Period(date(today.year, 1, 1), today.replace(day=1))
    if case.subject == "department" and case.department_id:
        counts = (
            DepartmentTally.objects.filter(_period_q(period), department_id=case.department_id)
            .values("measure")
            .annotate(n=Sum("count"))
        )
        figures = complaint_figures(
            add_counts(
                {row["measure"]: row["n"] for row in counts},
                _department_open_breaches(case.department_id, period, today),
            )
        )
        overdue = Deadline.objects.filter(
            organisation_id=case.department_id, status=Deadline.Status.OPEN, due_on__lt=today
        ).count()
        return _cited(figures, overdue, None, period)
    if case.subject == "debtor" and case.debtor_id:
        # The summary has no debtor key: sum the debtor's own items (a few per debtor).
        rows = (
            LedgerItem.objects.filter(debtor_id=case.debtor_id)
            .values("status")
            .annotate(**aggregates(from_summary=False))
        )
        ledger = ledger_figures({row["status"]: _sums_of(row) for row in rows})
        return {"period": period.as_params(), "ledger": ledger}
    code = case.region_code
    prefix = code[:2] if code.endswith("0000") else code[:4]
    jurisdiction = Jurisdiction(prefix)
    counts = {
        k[0]: n
        for k, n in stage_counts(jurisdiction, jurisdiction.tally_q(), period, today).items()
    }
    ledger = ledger_figures(ledger_totals(jurisdiction).get(None, {}))
    return _cited(
        complaint_figures(counts), overdue_counts(jurisdiction, today)["total"], ledger, period
    )


def _department_open_breaches(department_id: int, period: Period, today: date) -> dict:
    """{"handling_breached_open": n}: the department's handling clocks running late."""
    rows = Deadline.objects.filter(
        open_breach_q(reading_day(period, today)),
        organisation_id=department_id,
        stage=Deadline.Stage.HANDLING,
    )
    return {"handling_breached_open": rows.count()}


def _cited(figures: dict, overdue: int, ledger: dict | None, period: Period) -> dict:
    cited = {
        "period": period.as_params(),
        "received": figures["received"],
        "resolved": figures["resolved"],
        "handling_on_time_rate": figures["on_time"]["handling"]["rate"],
        "overdue_now": overdue,
    }
    if ledger is not None:
        cited["ledger"] = ledger
    return cited
