"""SME size classification (划型), per 中小企业划型标准规定 (工信部联企业〔2011〕300号).

Why versioned data and not code: the thresholds are a government table that
has been under revision, and the Regulations judge size as of the contract
signing date, so a classification must use the standard in force on that date.
The standards live in core/data/size_standards.json (each with an id, title,
effective_from date and per-industry thresholds); a revision is a new entry.

The rule, for each industry's measures (staff in persons, revenue and assets
in 10,000 yuan):

* large: at or above the large line on EVERY measure the industry uses (for a
  two-measure industry, being below the line on either makes it an SME);
* medium: at or above both medium floors; small: at or above both small floors;
* micro: below the small floor on either measure.

Industry ids (`list_industries` gives zh/en names and measures):
agriculture (revenue), industry, construction (revenue + assets), wholesale,
retail, transport, warehousing, postal, accommodation, catering,
information_transmission, software_it, real_estate_development (revenue +
assets), property_management, leasing_business_services (staff + assets),
other (staff). Unlisted ones use staff + revenue.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Literal

Size = Literal["large", "medium", "small", "micro"]
Measure = Literal["staff", "revenue", "assets"]
MEASURES: tuple[Measure, ...] = ("staff", "revenue", "assets")
TIERS = ("large", "medium", "small")
MEASURE_LABELS = {
    "staff": "staff (从业人员, persons)",
    "revenue": "revenue (营业收入, 10,000 yuan)",
    "assets": "assets (资产总额, 10,000 yuan)",
}


class SizeClassError(ValueError):
    """Input that cannot be classified. ``code``: ``unknown_industry``,
    ``missing_measure``, ``negative``, ``invalid_number``, ``no_standard``,
    ``bad_standard``. ``measure`` names the measure at fault, if any."""

    def __init__(self, code: str, message: str, measure: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.measure = measure


@dataclass(frozen=True)
class Industry:
    id: str
    zh: str
    en: str
    measures: tuple[Measure, ...]
    thresholds: Mapping[str, Mapping[str, Decimal]]  # tier -> measure -> line
    note: str = ""


@dataclass(frozen=True)
class Standard:
    id: str
    title: str
    effective_from: date
    industries: Mapping[str, Industry]


@dataclass(frozen=True)
class Step:
    """One tier looked at: whether its lines were all met, and the comparisons
    that decided it (measure, value, line), as plain decimal text."""

    tier: str
    met: bool
    comparisons: tuple[tuple[str, str, str], ...]

    def as_dict(self) -> dict:
        return {"tier": self.tier, "met": self.met, "comparisons": list(self.comparisons)}


@dataclass(frozen=True)
class Classification:
    size: Size
    reason: str
    standard: str
    industry: str = ""
    steps: tuple[Step, ...] = ()


# --- loading the versioned table ---


def parse_standards(text: str) -> tuple[Standard, ...]:
    """Parse and sanity-check a standards document; ordered by effective_from."""
    try:
        document = json.loads(text)
        parsed = [_parse_standard(raw) for raw in document["standards"]]
    except SizeClassError:
        raise
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise SizeClassError("bad_standard", f"size standards file is malformed: {exc!r}") from exc
    if not parsed:
        raise SizeClassError("bad_standard", "size standards file lists no standard")
    return tuple(sorted(parsed, key=lambda standard: standard.effective_from))


def _parse_standard(raw: dict) -> Standard:
    industries = {item["id"]: _parse_industry(item) for item in raw["industries"]}
    return Standard(
        id=raw["id"],
        title=raw["title"],
        effective_from=date.fromisoformat(raw["effective_from"]),
        industries=industries,
    )


def _parse_industry(raw: dict) -> Industry:
    measures = tuple(raw["measures"])
    if not measures or any(m not in MEASURES for m in measures):
        raise SizeClassError("bad_standard", f"industry {raw['id']}: bad measures {measures}")
    thresholds = {tier: {m: Decimal(str(raw[tier][m])) for m in measures} for tier in TIERS}
    for m in measures:
        if not thresholds["large"][m] >= thresholds["medium"][m] >= thresholds["small"][m] >= 0:
            raise SizeClassError("bad_standard", f"industry {raw['id']}: {m} lines out of order")
    return Industry(raw["id"], raw["zh"], raw["en"], measures, thresholds, raw.get("note", ""))


@cache
def standards() -> tuple[Standard, ...]:
    """The shipped standards, read once."""
    resource = resources.files("qingqian.core").joinpath("data", "size_standards.json")
    return parse_standards(resource.read_text(encoding="utf-8"))


def standard_on(on_date: date, table: Sequence[Standard] | None = None) -> Standard:
    """The standard in force on a date: the latest one whose effective_from <= date."""
    _require_date(on_date)
    table = standards() if table is None else table
    in_force = [s for s in table if s.effective_from <= on_date]
    if not in_force:
        earliest = min(s.effective_from for s in table)
        raise SizeClassError(
            "no_standard",
            f"no size standard was in force on {on_date.isoformat()}; "
            f"the earliest took effect on {earliest.isoformat()}",
        )
    return max(in_force, key=lambda s: s.effective_from)


def _require_date(value: object) -> None:
    """A calendar date, not a datetime: the law counts dates (Asia/Shanghai)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"expected a date, got {type(value).__name__}")


def list_industries(
    on_date: date | None = None, table: Sequence[Standard] | None = None
) -> list[Industry]:
    """Industries of the standard in force on ``on_date`` (default: the latest)."""
    table = standards() if table is None else table
    standard = table[-1] if on_date is None else standard_on(on_date, table)
    return list(standard.industries.values())


# --- classification ---


def classify(
    industry: str,
    staff: int | None,
    revenue_wan: Decimal | int | str | None,
    assets_wan: Decimal | int | str | None,
    on_date: date,
    *,
    table: Sequence[Standard] | None = None,
) -> Classification:
    """Size of an enterprise on a date (use the contract signing date).

    Revenue and assets are in 10,000 yuan (万元), as Decimal, int or decimal
    text; floats are refused. Measures the industry does not use are ignored;
    a measure it uses but that is missing is an error naming it.
    """
    standard = standard_on(on_date, table)
    spec = standard.industries.get(industry)
    if spec is None:
        known = ", ".join(standard.industries)
        raise SizeClassError("unknown_industry", f"unknown industry {industry!r}; known: {known}")
    values = _measure_values(spec, {"staff": staff, "revenue": revenue_wan, "assets": assets_wan})
    size, steps = _decide(spec, values)
    reason = f"{spec.id} ({spec.zh}) under {standard.id}: " + "; ".join(map(_explain, steps))
    return Classification(
        size=size, reason=reason, standard=standard.id, industry=spec.id, steps=steps
    )


def _measure_values(spec: Industry, given: Mapping[str, object]) -> dict[str, Decimal]:
    values = {}
    for measure in spec.measures:
        raw = given[measure]
        if raw is None:
            raise SizeClassError(
                "missing_measure",
                f"industry {spec.id} is classified by {_join(spec.measures)}; "
                f"{MEASURE_LABELS[measure]} is missing",
                measure,
            )
        values[measure] = _to_decimal(measure, raw)
    return values


def _to_decimal(measure: str, raw: object) -> Decimal:
    if isinstance(raw, bool | float):
        raise TypeError(f"{measure}: pass an int or Decimal, not {type(raw).__name__}")
    if measure == "staff" and not isinstance(raw, int):
        raise TypeError(f"staff is a whole number of persons, got {type(raw).__name__}")
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise SizeClassError(
            "invalid_number", f"{measure}: {raw!r} is not a number", measure
        ) from exc
    if not value.is_finite():
        raise SizeClassError("invalid_number", f"{measure}: {raw!r} is not a number", measure)
    if value < 0:
        raise SizeClassError("negative", f"{measure} may not be negative (got {raw})", measure)
    return value


def _decide(spec: Industry, values: Mapping[str, Decimal]) -> tuple[Size, tuple[Step, ...]]:
    """Walk the tiers from large down; the first whose lines are all met wins."""
    steps = []
    for tier in TIERS:
        lines = spec.thresholds[tier]
        short = [m for m in spec.measures if values[m] < lines[m]]
        decisive = short or spec.measures
        comparisons = tuple((m, _plain(values[m]), _plain(lines[m])) for m in decisive)
        steps.append(Step(tier, not short, comparisons))
        if not short:
            return tier, tuple(steps)
    return "micro", tuple(steps)


def _explain(step: Step) -> str:
    line = "large line" if step.tier == "large" else f"{step.tier} floor"
    operator = ">=" if step.met else "<"
    compared = ", ".join(f"{m} {value} {operator} {limit}" for m, value, limit in step.comparisons)
    return f"{'meets' if step.met else 'below'} the {line} ({compared})"


def _plain(value: Decimal) -> str:
    """Decimal without exponent notation or trailing zeros: 800, 12.5."""
    return format(value.normalize(), "f")


def _join(measures: Sequence[str]) -> str:
    return " and ".join(measures)
