"""Generated complaints with their history, for the dashboard benchmark.

Rows are written straight into the tables (executemany), as the services would
have left them: a complaint, the events of its path (each with its `day` and
the department holding it), and its statutory clocks (review, transfer,
handling) frozen met or breached by the action that ended them, or still
running. Deterministic for a given seed and `today`.

Shapes: complaints submitted over the 24 months before `today`, more of them
recently (a mild upward trend); provinces weighted (the coastal ones get most), cities within a
province Zipf-weighted, a few debtors drawing many complaints; each province
and each handling department has its own share of late stages. About 8% are
not accepted, 5% of transfers are returned ("not ours") and sent on again,
4% of handlings are extended, 3% withdrawn or terminated along the way, 0.6%
stall (a clock left running past its due date), and the youngest are still
open where their next step would fall after `today`.
"""

from __future__ import annotations

import contextlib
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

# Provinces with most SMEs (and most complaints); the others weigh 1.
PROVINCE_WEIGHTS = {
    "440000": 14,  # Guangdong
    "320000": 11,  # Jiangsu
    "330000": 10,  # Zhejiang
    "370000": 7,  # Shandong
    "310000": 5,  # Shanghai
    "110000": 5,  # Beijing
    "350000": 4,  # Fujian
    "410000": 4,  # Henan
    "420000": 4,  # Hubei
    "510000": 4,  # Sichuan
    "430000": 3,  # Hunan
    "340000": 3,  # Anhui
    "130000": 3,  # Hebei
    "500000": 2,  # Chongqing
    "120000": 2,  # Tianjin
    "610000": 2,  # Shaanxi
}
DEBTOR_TYPES = ("agency", "institution", "large", "soe")
PROVINCE_DEPARTMENTS = ("财政厅", "国有资产监督管理委员会", "住房和城乡建设厅", "交通运输厅")
CITY_DEPARTMENTS_PER_PROVINCE = 6  # a finance bureau in each of the largest cities
NOT_ACCEPTED_GROUNDS = ("not_purchase", "taken_up", "already_decided", "other_legal")
RESULT_KINDS = ("paid", "paid", "plan", "disputed", "other")


class Stop(Exception):
    """The complaint's next step falls after the cut-off: it stays where it is."""


@dataclass
class Places:
    """Where complaints come from: provinces and their cities, with weights."""

    provinces: list[str]
    province_weights: list[float]
    cities: dict[str, list[str]]  # province → its debtors' region codes, by weight
    city_weights: dict[str, list[float]]


def create_departments() -> dict[str, list]:
    """A few hundred handling departments under the provincial authorities (through
    the service, so the tree path is right): four at provincial level in every
    province, and a finance bureau in each of a province's largest cities.
    Returns {province code: [(department id, region code)]}, the demo's included."""
    from qingqian.accounts.models import Organisation
    from qingqian.accounts.services import organisation_create
    from qingqian.core import regions

    Kind = Organisation.Kind
    authorities = {
        o.region_code: o for o in Organisation.objects.filter(kind=Kind.PROVINCIAL_AUTHORITY)
    }
    for province in regions.provinces():
        parent = authorities.get(province.code)
        if parent is None:
            continue
        wanted = [(f"{province.name}{name}", province.code) for name in PROVINCE_DEPARTMENTS]
        cities = list(regions.prefectures(province.code))[:CITY_DEPARTMENTS_PER_PROVINCE]
        wanted += [(f"{city.name}财政局", city.code) for city in cities]
        existing = set(Organisation.objects.filter(parent=parent).values_list("name", flat=True))
        for name, region in wanted:
            if name not in existing:
                organisation_create(
                    actor=None,
                    name=name,
                    kind=Kind.HANDLING_DEPARTMENT,
                    region_code=region,
                    parent=parent,
                )
    departments: dict[str, list] = {}
    for pk, region, path in Organisation.objects.filter(kind=Kind.HANDLING_DEPARTMENT).values_list(
        "pk", "region_code", "path"
    ):
        key = "000000" if region == "000000" else region[:2] + "0000"
        departments.setdefault(key, []).append((pk, region, path))
    return departments


def places(debtor_regions: set[str]) -> Places:
    from qingqian.core import regions

    provinces, weights, cities, city_weights = [], [], {}, {}
    for province in regions.provinces():
        own = sorted(code for code in debtor_regions if code[:2] == province.code[:2])
        if not own:
            continue
        provinces.append(province.code)
        weights.append(PROVINCE_WEIGHTS.get(province.code, 1))
        cities[province.code] = own
        city_weights[province.code] = [1 / (rank + 1) for rank in range(len(own))]
    return Places(provinces, weights, cities, city_weights)


@dataclass
class Clock:
    stage: str
    start_on: date
    unit: str
    count: int
    due_on: date
    rule: str
    provisional: bool
    organisation_id: int | None
    status: str = "open"
    ended_on: date | None = None
    ended_by: str = ""


@dataclass
class Path:
    """One complaint being walked through its workflow, step by step."""

    limit: date
    state: str = "draft"
    events: list = field(default_factory=list)
    clocks: list[Clock] = field(default_factory=list)
    department: tuple | None = None  # (id, region, path) holding the complaint
    fields: dict = field(default_factory=dict)

    def go(self, day: date) -> None:
        if day > self.limit:
            raise Stop

    def record(self, day, action, target, *, department=None, details=None) -> None:
        held = department or self.department
        self.events.append(
            (action, day, held[0] if held else None, self.state, target or self.state, details)
        )
        if target:
            self.state = target

    def running(self, stage: str) -> Clock | None:
        for clock in reversed(self.clocks):
            if clock.stage == stage and clock.status in ("open", "paused"):
                return clock
        return None

    def end(self, stage: str, day: date, by: str) -> None:
        clock = self.running(stage)
        if clock is not None:
            clock.ended_on, clock.ended_by = day, by
            clock.status = "met" if day <= clock.due_on else "breached"

    def end_all(self, day: date, by: str) -> None:
        for clock in self.clocks:
            if clock.status in ("open", "paused"):
                clock.ended_on, clock.ended_by = day, by
                clock.status = "met" if day <= clock.due_on else "breached"


@cache
def _due(start: date, unit: str, count: int) -> tuple[date, str, bool]:
    from qingqian.core.selectors import load_calendar
    from qingqian.core.workdays import compute_deadline

    kwargs = {"working_days" if unit == "working_days" else "days": count}
    result = compute_deadline(load_calendar(), start, allow_provisional=True, **kwargs)
    return result.date, result.rule, result.provisional


def _clock(stage, start_on, unit, count, organisation_id) -> Clock:
    due_on, rule, provisional = _due(start_on, unit, count)
    return Clock(stage, start_on, unit, count, due_on, rule, provisional, organisation_id)


def _delay(rng: random.Random, start: date, due: date, late: bool, *, over: int = 15) -> date:
    """The day a stage ends: within its time, or up to `over` days after it."""
    allowed = max((due - start).days, 1)
    if late:
        return due + timedelta(days=rng.randint(1, over))
    return start + timedelta(days=rng.randint(1, allowed))


def _department(rng: random.Random, pool: list, region: str) -> tuple:
    """The city's own department for half of the complaints where there is one,
    else one of the province's (the first ones busier)."""
    local = [d for d in pool if d[1] == region]
    if local and rng.random() < 0.5:
        return local[0]
    provincial = [d for d in pool if d[1].endswith("0000")] or pool
    return provincial[int(len(provincial) * rng.random() ** 1.5)]


def walk(rng, path: Path, *, submitted, authority, departments, slow, dept_slow, quit_at):
    """The complaint's history up to `path.limit` (raises Stop where it ends early)."""
    authority_id, authority_region = authority

    def checkpoint(stage: int, day: date) -> None:
        if quit_at and quit_at[0] == stage:
            path.go(day)
            action = quit_at[1]
            path.end_all(day, action)
            path.record(day, action, "terminated")
            raise Stop

    # Submission: the review clock starts.
    path.go(submitted)
    path.fields["submitted_on"] = submitted
    path.clocks.append(_clock("review", submitted, "working_days", 10, authority_id))
    path.record(
        submitted,
        "submit",
        "submitted",
        details={
            "tracking_number": path.fields["tracking_number"],
            "accepting_authority": authority_id,
        },
    )
    review = path.clocks[-1]
    decided = _delay(rng, submitted, review.due_on, rng.random() < slow)
    checkpoint(1, max(submitted, decided - timedelta(days=rng.randint(0, 3))))
    path.go(decided)
    if rng.random() < 0.08:
        ground = rng.choice(NOT_ACCEPTED_GROUNDS)
        path.end("review", decided, "not-accept")
        path.fields["not_accepted_ground"] = ground
        path.record(decided, "not-accept", "not_accepted", details={"ground": ground})
        return
    path.end("review", decided, "accept")
    path.fields["accepted_on"] = decided
    path.clocks.append(_clock("transfer", decided, "working_days", 10, authority_id))
    path.record(decided, "accept", "accepted")

    # Transfer to a handling department (sometimes returned as "not ours" and sent on).
    transfer = path.clocks[-1]
    pool = departments
    department = _department(rng, pool, path.fields["debtor_region_code"])
    sent = _delay(rng, decided, transfer.due_on, rng.random() < slow)
    checkpoint(2, sent)

    def send(day: date, department) -> Clock:
        path.go(day)
        path.end("transfer", day, "transfer")
        path.department = department
        path.fields["handling_department_id"], path.fields["received_on"] = department[0], day
        path.clocks.append(_clock("handling", day, "days", 30, department[0]))
        path.record(
            day,
            "transfer",
            "transferred",
            details={"department": department[0], "department_name": ""},
        )
        return path.clocks[-1]

    handling = send(sent, department)
    if rng.random() < 0.05 and len(pool) > 1:
        returned = sent + timedelta(days=rng.randint(1, 5))
        path.go(returned)
        path.clocks.remove(handling)  # the department never really started it
        transfer.status, transfer.ended_on, transfer.ended_by = "open", None, ""
        returned_from, path.department = path.department, None
        path.fields["handling_department_id"] = path.fields["received_on"] = None
        path.record(
            returned,
            "return",
            "accepted",
            department=returned_from,
            details={"returned_from": "", "suggested_department": ""},
        )
        department = rng.choice([d for d in pool if d != returned_from])
        handling = send(returned + timedelta(days=rng.randint(1, 6)), department)
        sent = handling.start_on

    # Handling: the debtor answers, the department reports its result.
    late = rng.random() < slow * 0.5 + dept_slow[department[0]]
    responded = sent + timedelta(days=rng.randint(1, 10))
    checkpoint(3, responded)
    path.go(responded)
    owed = path.fields["amount_owed_fen"]
    disputed = owed // 3 if rng.random() < 0.15 else 0
    path.record(
        responded,
        "debtor-response",
        "in_handling",
        details={"confirmed_fen": owed - disputed, "disputed_fen": disputed},
    )
    if rng.random() < 0.04:
        extended = responded + timedelta(days=rng.randint(1, 10))
        path.go(extended)
        old_due = handling.due_on
        handling.count = 60
        handling.due_on, handling.rule, handling.provisional = _due(sent, "days", 60)
        path.record(
            extended,
            "extend",
            None,
            details={
                "approved_by": "处长",
                "total_days": 60,
                "old_due": old_due.isoformat(),
                "new_due": handling.due_on.isoformat(),
            },
        )
    finished = _delay(rng, responded, handling.due_on, late, over=40)
    checkpoint(4, finished)
    path.go(finished)
    kind = rng.choice(RESULT_KINDS)
    path.end("handling", finished, "submit-result")
    path.fields["result_kind"], path.fields["result_text"] = kind, "处理结果"
    path.record(finished, "submit-result", "result_review", details={"kind": kind})
    approved = finished + timedelta(days=rng.randint(1, 7))
    path.go(approved)
    path.record(approved, "approve-result", "resolved")
    if rng.random() < 0.9:  # the others never give feedback
        answered = approved + timedelta(days=rng.randint(1, 15))
        path.go(answered)
        satisfied = rng.random() < 0.8
        path.fields["feedback_satisfied"] = satisfied
        path.record(answered, "feedback", "closed", details={"satisfied": satisfied})


def generate_complaints(count: int, *, today: date, seed: int = 2027) -> dict:
    """Write `count` complaints with their events and clocks. Returns row counts."""
    from django.db import connection, transaction

    from qingqian.accounts.models import Organisation, User
    from qingqian.complaints.models import Complaint, ComplaintEvent, Deadline
    from qingqian.parties.models import Enterprise

    rng = random.Random(seed)
    departments = create_departments()
    authorities = {
        o.region_code: (o.pk, o.region_code)
        for o in Organisation.objects.filter(
            kind__in=[Organisation.Kind.PROVINCIAL_AUTHORITY, Organisation.Kind.NATIONAL_AUTHORITY]
        )
    }
    debtors_by_region: dict[str, list] = {}
    for pk, region, kind in Enterprise.objects.filter(type__in=DEBTOR_TYPES).values_list(
        "pk", "region_code", "type"
    ):
        debtors_by_region.setdefault(region, []).append((pk, region, kind))
    complainants = list(
        Enterprise.objects.filter(type="sme").order_by("pk").values_list("pk", flat=True)[:50_000]
    )
    filer = User.objects.get(username="sme-demo").pk
    # Only where a provincial authority exists to accept them (not, e.g., Hong Kong).
    where = places({code for code in debtors_by_region if code[:2] + "0000" in authorities})
    slow = {code: rng.uniform(0.03, 0.30) for code in authorities}
    dept_slow = {d[0]: rng.uniform(0.0, 0.25) for pool in departments.values() for d in pool}

    complaint_table = Complaint._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {complaint_table}")
        next_id = cursor.fetchone()[0] + 1
    complaint_columns = [f.column for f in Complaint._meta.concrete_fields]
    # Columns added to the model since this generator was written take their default.
    complaint_defaults = {f.column: f.get_default() for f in Complaint._meta.concrete_fields}
    event_columns = [
        "complaint_id", "at", "actor_id", "action", "day", "department_id",
        "from_state", "to_state", "note", "internal_note", "details",
    ]  # fmt: skip
    deadline_columns = [
        "complaint_id", "stage", "status", "start_on", "unit", "count", "paused_days",
        "paused_since", "due_on", "rule", "provisional", "ended_on", "ended_by",
        "organisation_id",
    ]  # fmt: skip
    sequences: dict = {}
    complaints, events, deadlines = [], [], []
    counts = {"complaints": 0, "events": 0, "deadlines": 0, "open": 0}
    first_day = today - timedelta(days=730)

    def flush() -> None:
        with connection.cursor() as cursor:
            for table, columns, rows in (
                (complaint_table, complaint_columns, complaints),
                (ComplaintEvent._meta.db_table, event_columns, events),
                (Deadline._meta.db_table, deadline_columns, deadlines),
            ):
                if rows:
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) "
                        f"VALUES ({', '.join(['%s'] * len(columns))})",
                        rows,
                    )
        complaints.clear(), events.clear(), deadlines.clear()

    with transaction.atomic():
        for n in range(count):
            pk = next_id + n
            province = rng.choices(where.provinces, where.province_weights)[0]
            region = rng.choices(where.cities[province], where.city_weights[province])[0]
            pool = debtors_by_region[region]
            debtor_id, debtor_region, debtor_type = pool[int(len(pool) * rng.random() ** 3)]
            national = rng.random() < 0.04  # central debtors and cross-province cases
            authority = authorities["000000" if national else province]
            submitted = first_day + timedelta(days=int(730 * rng.random() ** 0.9))
            year_key = (authority[1], submitted.year)
            sequences[year_key] = sequences.get(year_key, 0) + 1
            stalled = rng.random() < 0.006
            limit = min(today, submitted + timedelta(days=rng.randint(0, 60))) if stalled else today
            path = Path(limit=limit)
            owed = rng.randrange(10_000_00, 5_000_000_00)
            path.fields.update(
                tracking_number=f"QQ-{submitted.year}-{authority[1]}-{sequences[year_key]:06d}",
                amount_owed_fen=owed,
                debtor_region_code=debtor_region,
            )
            quit_at = None
            if rng.random() < 0.03:
                quit_at = (rng.randint(1, 4), rng.choice(("withdraw", "terminate")))
            with contextlib.suppress(Stop):
                walk(
                    rng,
                    path,
                    submitted=submitted,
                    authority=authority,
                    departments=departments["000000" if national else province],
                    slow=slow[authority[1]],
                    dept_slow=dept_slow,
                    quit_at=quit_at,
                )
            counts["open"] += path.state in {
                "submitted", "accepted", "transferred", "in_handling", "result_review",
            }  # fmt: skip
            stamp = f"{submitted.isoformat()} 02:00:00"
            row = {
                "id": pk,
                "tracking_number": path.fields["tracking_number"],
                "state": path.state,
                "version": len(path.events),
                "channel": "online",
                "complainant_id": complainants[rng.randrange(len(complainants))],
                "debtor_id": debtor_id,
                "accepting_authority_id": authority[0],
                "handling_department_id": path.fields.get("handling_department_id"),
                "province_code": authority[1],
                "debtor_region_code": debtor_region,
                "debtor_type": debtor_type,
                "contract_number": f"C-{pk:08d}",
                "contract_signed_on": submitted - timedelta(days=rng.randint(120, 900)),
                "subject": rng.choice(("goods", "works", "services")),
                "delivered_on": submitted - timedelta(days=rng.randint(90, 800)),
                "payment_due_on": submitted - timedelta(days=rng.randint(30, 700)),
                "amount_owed_fen": owed,
                "amount_paid_fen": 0,
                "request_text": "请求支付拖欠账款",
                "facts_text": "合同履行完毕，对方逾期未付款",
                "undertaking": True,
                "sme_notified_at_signing": "unknown",
                "size_class": "small",
                "size_reason": "",
                "size_warning": False,
                "not_accepted_ground": path.fields.get("not_accepted_ground", ""),
                "result_kind": path.fields.get("result_kind", ""),
                "result_text": path.fields.get("result_text", ""),
                "feedback_satisfied": path.fields.get("feedback_satisfied"),
                "feedback_text": "",
                "created_by_id": filer,
                "created_at": stamp,
                "submitted_on": path.fields.get("submitted_on"),
                "accepted_on": path.fields.get("accepted_on"),
                "received_on": path.fields.get("received_on"),
                "updated_at": stamp,
            }
            row = {**complaint_defaults, **row}
            complaints.append(tuple(_value(row[c]) for c in complaint_columns))
            for number, (action, day, department_id, source, target, details) in enumerate(
                path.events
            ):
                events.append(
                    (
                        pk,
                        f"{day.isoformat()} {2 + number % 8:02d}:{number:02d}:00",
                        None,
                        action,
                        day.isoformat(),
                        department_id,
                        source,
                        target,
                        "",
                        "",
                        json.dumps(details or {}, ensure_ascii=False),
                    )
                )
            for clock in path.clocks:
                deadlines.append(
                    (
                        pk,
                        clock.stage,
                        clock.status,
                        clock.start_on.isoformat(),
                        clock.unit,
                        clock.count,
                        0,
                        None,
                        clock.due_on.isoformat(),
                        clock.rule,
                        clock.provisional,
                        _value(clock.ended_on),
                        clock.ended_by,
                        clock.organisation_id,
                    )
                )
            counts["complaints"] += 1
            counts["events"] += len(path.events)
            counts["deadlines"] += len(path.clocks)
            if len(events) >= 50_000:
                flush()
        flush()
    counts["departments"] = sum(len(pool) for pool in departments.values())
    return counts


def _value(value):
    if isinstance(value, dict | list):  # a JSON column's default
        return json.dumps(value, ensure_ascii=False)
    return value.isoformat() if isinstance(value, date) else value
