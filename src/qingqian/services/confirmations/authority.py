"""The SME authority that supervises a debtor: the nearest active authority
whose jurisdiction covers the debtor's region (county, city, province, then
the national one). It keeps the ledger item a confirmation creates and hears
of the debtor's breaches."""

from __future__ import annotations

from qingqian.accounts.models import Organisation, User
from qingqian.accounts.permissions import ROLE_PERMISSIONS, Perm
from qingqian.core.scoping import NATIONAL_REGION_CODE

Kind = Organisation.Kind
AUTHORITY_KINDS = (
    Kind.COUNTY_AUTHORITY,
    Kind.CITY_AUTHORITY,
    Kind.PROVINCIAL_AUTHORITY,
    Kind.NATIONAL_AUTHORITY,
)

OVERSEEING_ROLES = [
    role for role, perms in ROLE_PERMISSIONS.items() if Perm.CONFIRMATION_OVERSEE in perms
]


def covering_region_codes(region_code: str) -> list[str]:
    """The region and the regions above it, nearest first: 440104 → 440104,
    440100, 440000, 000000."""
    codes = [region_code, region_code[:4] + "00", region_code[:2] + "0000", NATIONAL_REGION_CODE]
    return list(dict.fromkeys(codes))


def supervising_authorities(region_code: str) -> list[Organisation]:
    """The active authorities covering the region, nearest first."""
    codes = covering_region_codes(region_code)
    rows = Organisation.objects.filter(
        kind__in=AUTHORITY_KINDS, region_code__in=codes, is_active=True
    )
    return sorted(rows, key=lambda organisation: codes.index(organisation.region_code))


def supervising_authority(region_code: str) -> Organisation | None:
    authorities = supervising_authorities(region_code)
    return authorities[0] if authorities else None


def overseeing_officials(region_code: str) -> list[User]:
    """The officials who oversee confirmations at the nearest authority that has
    any (a city authority without such staff hands over to its province)."""
    for authority in supervising_authorities(region_code):
        officials = list(
            User.objects.filter(organisation=authority, is_active=True, role__in=OVERSEEING_ROLES)
        )
        if officials:
            return officials
    return []
