"""Keeping the supervision tallies equal to the complaints' history, in the same transaction.

A *fact* is something the dashboards count: a workflow action (a complaint
received, accepted, resolved...) or a stage clock frozen met or breached by
the action that properly ends its stage; a submission also counts under its
channel (`via_phone`, `via_national_platform`...). Each fact adds one to its month ×
region × debtor type at the province and the city grain, and to its
department where one took part; a handling clock ended by a result also adds
its length to the handling-time histogram. `recount()` derives the same
numbers from the raw rows: the tests compare the two, and `rebuild()` repairs
the tallies with it.

The workflow does not call this module: it publishes its actions and clock
changes as domain events (`qingqian.complaints.events`), which the handlers
below, subscribed in `SupervisionConfig.ready()`, count inside the workflow's
own transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from qingqian.complaints import events as complaint_events
from qingqian.core import audit, events, figures_version
from qingqian.supervision import verbs
from qingqian.supervision.models import (
    ComplaintTally,
    DepartmentTally,
    Grain,
    HandlingTimeTally,
)

# Which measure an action counts under. Actions not listed are not counted.
MEASURE_OF_ACTION = {
    "submit": "received",
    "accept": "accepted",
    "not-accept": "not_accepted",
    "transfer": "transferred",
    "return": "returned",
    "extend": "extensions",
    "approve-result": "resolved",
    "feedback": "closed",
    "reopen": "reopened",
    "withdraw": "terminated",
    "terminate": "terminated",
}
# A clock counts towards the on-time rate only when the action that completes its
# stage stopped it: a withdrawal before the due date is no evidence of speed. An
# extension granted after the due date freezes the handling clock breached (the
# extended period runs on a new clock), so the breach stays counted.
STAGE_ENDED_BY = {
    "review": frozenset({"accept", "not-accept"}),
    "transfer": frozenset({"transfer"}),
    "handling": frozenset({"submit-result", "extend"}),
}
# Measures a handling department's own figures are made of.
DEPARTMENT_MEASURES = frozenset(
    {
        "transferred",
        "returned",
        "extended",
        "extensions",
        "resolved",
        "closed",
        "satisfied",
        "unsatisfied",
        "handling_met",
        "handling_breached",
    }
)


@dataclass(frozen=True)
class Fact:
    month: date
    region_code: str
    debtor_type: str
    department_id: int | None
    measure: str


def month_of(day: date) -> date:
    return day.replace(day=1)


def grain_codes(region_code: str) -> dict[str, str]:
    """'440103' → province '440000', city '440100' (a province-level code is its own city)."""
    return {Grain.PROVINCE: region_code[:2] + "0000", Grain.CITY: region_code[:4] + "00"}


# --- which facts a row stands for -------------------------------------------------


def channel_measure(channel: str) -> str:
    """The measure a complaint received through `channel` is also counted under."""
    return f"via_{channel}"


def event_facts(
    *,
    action: str,
    day,
    satisfied,
    region_code: str,
    debtor_type: str,
    department_id,
    channel: str = "",
    first_extension: bool = False,
) -> list[Fact]:
    """The facts of one event; a complaint's first extension also counts the complaint
    as extended ("extensions" counts every one)."""
    measure = MEASURE_OF_ACTION.get(action)
    if measure is None or day is None or not region_code:
        return []
    month = month_of(day)
    facts = [Fact(month, region_code, debtor_type, department_id, measure)]
    if action == "submit" and channel:
        facts.append(Fact(month, region_code, debtor_type, None, channel_measure(channel)))
    if action == "extend" and first_extension:
        facts.append(Fact(month, region_code, debtor_type, department_id, "extended"))
    if action == "feedback" and satisfied is not None:
        opinion = "satisfied" if satisfied else "unsatisfied"
        facts.append(Fact(month, region_code, debtor_type, department_id, opinion))
    return facts


def deadline_fact(
    *, stage: str, status: str, ended_by: str, ended_on, region_code, debtor_type, organisation_id
) -> Fact | None:
    if ended_by not in STAGE_ENDED_BY.get(stage, ()) or ended_on is None or not region_code:
        return None
    department_id = organisation_id if stage == "handling" else None
    return Fact(month_of(ended_on), region_code, debtor_type, department_id, f"{stage}_{status}")


def handling_days(*, stage: str, ended_by: str, start_on, ended_on) -> int | None:
    """Days from the department's receipt to its result."""
    if stage != "handling" or ended_by != "submit-result" or ended_on is None:
        return None
    return (ended_on - start_on).days


# --- counting ------------------------------------------------------------------------


class Tallies:
    """Increments collected in memory, written with one upsert per key."""

    def __init__(self):
        self.regions: Counter = Counter()  # (grain, region, month, type, measure)
        self.departments: Counter = Counter()  # (department, month, measure)
        self.times: Counter = Counter()  # (grain, region, month, days)

    def add(self, fact: Fact, sign: int = 1) -> None:
        for grain, code in grain_codes(fact.region_code).items():
            self.regions[(grain, code, fact.month, fact.debtor_type, fact.measure)] += sign
        if fact.department_id is not None and fact.measure in DEPARTMENT_MEASURES:
            self.departments[(fact.department_id, fact.month, fact.measure)] += sign

    def add_time(self, month: date, region_code: str, days: int, sign: int = 1) -> None:
        for grain, code in grain_codes(region_code).items():
            self.times[(grain, code, month, days)] += sign

    def apply(self) -> bool:
        """Write the increments; whether any row changed (then the figures' version moved)."""
        changed = False
        with connection.cursor() as cursor:
            for statement, counter in (
                (_UPSERT_REGION, self.regions),
                (_UPSERT_DEPARTMENT, self.departments),
                (_UPSERT_TIME, self.times),
            ):
                rows = [(*key, n) for key, n in counter.items() if n]
                if rows:
                    cursor.executemany(statement, rows)
                    changed = True
        if changed:
            figures_version.bump()  # the public pages show these tallies
        return changed


def _upsert(model, key_columns: list[str]) -> str:
    table = model._meta.db_table
    columns = ", ".join([*key_columns, "count"])
    values = ", ".join(["%s"] * (len(key_columns) + 1))
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({values}) "
        f"ON CONFLICT ({', '.join(key_columns)}) "  # nosec B608 # names from _meta, values bound
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )


_UPSERT_REGION = _upsert(
    ComplaintTally, ["grain", "region_code", "month", "debtor_type", "measure"]
)
_UPSERT_DEPARTMENT = _upsert(DepartmentTally, ["department_id", "month", "measure"])
_UPSERT_TIME = _upsert(HandlingTimeTally, ["grain", "region_code", "month", "days"])


# --- the complaint workflow's events, counted in its own transaction ---------------------


def subscribe_to_complaints() -> None:
    events.subscribe(complaint_events.ACTION_RECORDED, count_action)
    events.subscribe(complaint_events.CLOCK_FROZEN, count_frozen_clock)
    events.subscribe(complaint_events.CLOCK_REOPENED, uncount_reopened_clock)


# The events also carry the complaint's (and its row's) id for other watchers.
def count_action(
    *, action, day, satisfied, region_code, debtor_type, department_id, channel="", **ids
) -> None:
    tallies = Tallies()
    for fact in event_facts(
        action=action,
        day=day,
        satisfied=satisfied,
        region_code=region_code,
        debtor_type=debtor_type,
        department_id=department_id,
        channel=channel,
        first_extension=action == "extend" and _first_extension(**ids),
    ):
        tallies.add(fact)
    if not tallies.apply():
        # No count moved, but the act may have paused, resumed or moved a clock,
        # whose running-late state the public figures read from the clocks.
        figures_version.bump()


def _first_extension(*, complaint_id, event_id, **_ids) -> bool:
    from qingqian.complaints.models import ComplaintEvent

    earlier = ComplaintEvent.objects.filter(
        complaint_id=complaint_id, action="extend", pk__lt=event_id
    )
    return not earlier.exists()


def count_frozen_clock(**clock) -> None:
    _count_clock(sign=1, **clock)


def uncount_reopened_clock(**clock) -> None:
    """A returned transfer: the freeze it was counted under is taken out again."""
    _count_clock(sign=-1, **clock)


def _count_clock(
    *,
    sign: int,
    stage,
    status,
    ended_by,
    start_on,
    ended_on,
    organisation_id,
    region_code,
    debtor_type,
    **_ids,
) -> None:
    fact = deadline_fact(
        stage=stage,
        status=status,
        ended_by=ended_by,
        ended_on=ended_on,
        region_code=region_code,
        debtor_type=debtor_type,
        organisation_id=organisation_id,
    )
    if fact is None:
        return
    tallies = Tallies()
    tallies.add(fact, sign)
    days = handling_days(stage=stage, ended_by=ended_by, start_on=start_on, ended_on=ended_on)
    if days is not None:
        tallies.add_time(fact.month, fact.region_code, days, sign)
    tallies.apply()


# --- recount and repair ------------------------------------------------------------------


def recount() -> Tallies:
    """The tallies as the raw rows say they should be."""
    from qingqian.complaints.models import ComplaintEvent, Deadline

    tallies = Tallies()
    events = (
        ComplaintEvent.objects.filter(action__in=MEASURE_OF_ACTION)
        .order_by("pk")
        .values_list(
            "action",
            "day",
            "details",
            "department_id",
            "complaint__debtor_region_code",
            "complaint__debtor_type",
            "complaint_id",
        )
    )
    extended: set[int] = set()
    for action, day, details, department_id, region_code, debtor_type, cid in events.iterator():
        first_extension = action == "extend" and cid not in extended
        if action == "extend":
            extended.add(cid)
        for fact in event_facts(
            action=action,
            day=day,
            satisfied=(details or {}).get("satisfied"),
            region_code=region_code,
            debtor_type=debtor_type,
            department_id=department_id,
            channel=(details or {}).get("channel", ""),
            first_extension=first_extension,
        ):
            tallies.add(fact)
    clocks = Deadline.objects.filter(
        stage__in=STAGE_ENDED_BY, status__in=[Deadline.Status.MET, Deadline.Status.BREACHED]
    ).values_list(
        "stage",
        "status",
        "ended_by",
        "start_on",
        "ended_on",
        "organisation_id",
        "complaint__debtor_region_code",
        "complaint__debtor_type",
    )
    for (
        stage,
        status,
        ended_by,
        start_on,
        ended_on,
        organisation_id,
        region,
        kind,
    ) in clocks.iterator():
        fact = deadline_fact(
            stage=stage,
            status=status,
            ended_by=ended_by,
            ended_on=ended_on,
            region_code=region,
            debtor_type=kind,
            organisation_id=organisation_id,
        )
        if fact is None:
            continue
        tallies.add(fact)
        days = handling_days(stage=stage, ended_by=ended_by, start_on=start_on, ended_on=ended_on)
        if days is not None:
            tallies.add_time(fact.month, region, days)
    return tallies


def stored() -> Tallies:
    """The tallies as kept, in the same shape as `recount()` (zero rows left out)."""
    tallies = Tallies()
    for row in ComplaintTally.objects.exclude(count=0).values_list(
        "grain", "region_code", "month", "debtor_type", "measure", "count"
    ):
        tallies.regions[row[:-1]] = row[-1]
    for row in DepartmentTally.objects.exclude(count=0).values_list(
        "department_id", "month", "measure", "count"
    ):
        tallies.departments[row[:-1]] = row[-1]
    for row in HandlingTimeTally.objects.exclude(count=0).values_list(
        "grain", "region_code", "month", "days", "count"
    ):
        tallies.times[row[:-1]] = row[-1]
    return tallies


@transaction.atomic
def rebuild(*, actor=None) -> Tallies:
    """Replace the tallies by a recount (after raw SQL changes, or a restore);
    by the system (the CLI) unless an actor is given."""
    ComplaintTally.objects.all().delete()
    DepartmentTally.objects.all().delete()
    HandlingTimeTally.objects.all().delete()
    tallies = recount()
    tallies.apply()
    figures_version.bump()  # also when the recount is empty: the old rows are gone
    audit.record(actor=actor, verb=verbs.TALLIES_REBUILT)
    return tallies
