"""Where and when a figure is asked for: a jurisdiction (the nation, a province,
a city) the actor may see, and a run of months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.permissions import Perm, require_perm
from qingqian.core import regions
from qingqian.core.scoping import scope_for
from qingqian.supervision.models import Grain

MAX_PERIOD_MONTHS = 120


@dataclass(frozen=True)
class Period:
    first: date  # the first day of the first month
    last: date  # the first day of the last month

    @property
    def end(self) -> date:
        """The last day of the period."""
        following = add_months(self.last, 1)
        return date.fromordinal(following.toordinal() - 1)

    def months(self) -> list[date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = add_months(month, 1)
        return months

    def as_params(self) -> dict[str, str]:
        return {"from": f"{self.first:%Y-%m}", "to": f"{self.last:%Y-%m}"}


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str, field: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise ValidationError({field: _("Enter a month as YYYY-MM, e.g. 2026-03.")}) from None


def period_of(start: str = "", end: str = "", *, today: date | None = None) -> Period:
    """The months asked for; by default this year up to this month."""
    today = today or timezone.localdate()
    first = parse_month(start, "from") if start else date(today.year, 1, 1)
    last = parse_month(end, "to") if end else today.replace(day=1)
    if first > last:
        raise ValidationError({"to": _("The period must end on or after its start.")})
    if len(Period(first, last).months()) > MAX_PERIOD_MONTHS:
        raise ValidationError({"from": _("Choose a period of at most ten years.")})
    return Period(first, last)


@dataclass(frozen=True)
class Jurisdiction:
    """The nation, a province or a city: the levels figures are kept for."""

    prefix: str  # '', '44', '4401'

    @property
    def level(self) -> str:
        return {0: "national", 2: "province", 4: "city"}[len(self.prefix)]

    @property
    def code(self) -> str:
        return self.prefix.ljust(6, "0")

    @property
    def name(self) -> str:
        if not self.prefix:
            return _("National")
        region = regions.lookup(self.code)
        return region.name if region else self.code

    @property
    def parent(self) -> Jurisdiction | None:
        return Jurisdiction(self.prefix[:-2]) if self.prefix else None

    def tally_q(self) -> Q:
        """Summary rows of the whole jurisdiction, at the coarsest grain that has them."""
        if self.level == "national":
            return Q(grain=Grain.PROVINCE)
        if self.level == "province":
            return Q(grain=Grain.PROVINCE, region_code=self.code)
        return Q(grain=Grain.CITY, region_code=self.code)

    def child_tally_q(self) -> Q | None:
        """Summary rows of the jurisdiction's parts (provinces, or a province's cities)."""
        if self.level == "national":
            return Q(grain=Grain.PROVINCE)
        if self.level == "province":
            return Q(grain=Grain.CITY) & code_range_q("region_code", self.prefix)
        return None

    def region_q(self, field: str) -> Q:
        """Rows whose region code (in `field`) lies in the jurisdiction."""
        return code_range_q(field, self.prefix) if self.prefix else Q()

    def child_of(self, code: str) -> str:
        """The part of the jurisdiction a region code lies in, as its code."""
        return (code[:2] + "0000") if self.level == "national" else (code[:4] + "00")


def code_range_q(field: str, prefix: str) -> Q:
    """Codes starting with a prefix, as a range an index can answer."""
    following = str(int(prefix) + 1).zfill(len(prefix))
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": following})


def jurisdiction_for(actor, region: str = "") -> Jurisdiction:
    """The jurisdiction asked for, if the actor may see its figures: their own
    (by default) or one inside it. Counties have no dashboard of their own."""
    require_perm(actor, Perm.STATS_VIEW)
    scope = scope_for(actor)
    if scope.nothing or scope.enterprise_id is not None:
        raise PermissionDenied(_("Figures are for officials of an SME authority."))
    own = "" if scope.everything else scope.region_prefix
    prefix = (region or own).strip()
    if prefix.endswith("0000") and len(prefix) == 6:
        prefix = prefix[:2]
    elif prefix.endswith("00") and len(prefix) == 6:
        prefix = prefix[:4]
    if len(prefix) not in (0, 2, 4) or not (prefix.isdigit() or prefix == ""):
        raise ValidationError(
            {"region": _("Choose the nation, a province or a city (a 2- or 4-digit code).")}
        )
    if not prefix.startswith(own):
        raise Http404(_("That region is outside your jurisdiction."))
    if prefix and regions.lookup(prefix.ljust(6, "0")) is None:
        raise ValidationError({"region": _("There is no such province or city.")})
    return Jurisdiction(prefix)
