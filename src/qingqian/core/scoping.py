"""What an actor may see: the one decision every selector starts from.

A scope is one of: everything (national officials, administrators), a region
prefix (an official of a province, city or county sees records located there),
one enterprise (SME users and debtor representatives), or nothing (the
anonymous public, and anyone misconfigured). Each model family's selector
turns a scope into a queryset filter, so lists, detail pages, exports and the
API all agree on what exists for this actor.
"""

from __future__ import annotations

from dataclasses import dataclass

NATIONAL_REGION_CODE = "000000"


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_prefix: str | None = None
    enterprise_id: int | None = None

    @property
    def nothing(self) -> bool:
        return not self.everything and self.region_prefix is None and self.enterprise_id is None

    def covers_region(self, region_code: str) -> bool:
        if self.everything:
            return True
        return self.region_prefix is not None and region_code.startswith(self.region_prefix)


NOTHING = Scope()
EVERYTHING = Scope(everything=True)


def region_prefix(region_code: str) -> str:
    """'440000' → '44', '440100' → '4401', '440103' → '440103', national → ''."""
    if region_code == NATIONAL_REGION_CODE:
        return ""
    if region_code.endswith("0000"):
        return region_code[:2]
    if region_code.endswith("00"):
        return region_code[:4]
    return region_code


def scope_for(actor) -> Scope:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return NOTHING
    if actor.is_superuser:
        return EVERYTHING
    if actor.is_official and actor.organisation_id is not None:
        prefix = region_prefix(actor.organisation.region_code)
        return EVERYTHING if prefix == "" else Scope(region_prefix=prefix)
    if not actor.is_official and actor.enterprise_id is not None:
        return Scope(enterprise_id=actor.enterprise_id)
    return NOTHING
