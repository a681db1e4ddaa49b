"""The shape of the organisation tree: rules that write nothing."""

from qingqian.accounts.models import Organisation, Role
from qingqian.core.regions import (
    PLATFORM_UNITS,
    Region,
    is_platform_unit,
    is_valid_region_code,
    lookup,
    prefectures,
    province_code_of,
    provinces,
)
from qingqian.core.scoping import NATIONAL_REGION_CODE

# Taiwan, Hong Kong and Macao: the Regulations' machinery (SME authorities,
# complaints, reports) runs in the mainland, so no unit of any kind sits there
# (DOMAIN.md §7a). The regions stay in the region list: the map shows them.
NO_AUTHORITY_PROVINCES = frozenset({"710000", "810000", "820000"})

# Which kinds may sit under which parent kind.
ALLOWED_PARENT_KINDS = {
    Organisation.Kind.NATIONAL_AUTHORITY: {None},
    Organisation.Kind.PROVINCIAL_AUTHORITY: {Organisation.Kind.NATIONAL_AUTHORITY},
    Organisation.Kind.CITY_AUTHORITY: {Organisation.Kind.PROVINCIAL_AUTHORITY},
    Organisation.Kind.COUNTY_AUTHORITY: {Organisation.Kind.CITY_AUTHORITY},
    Organisation.Kind.HANDLING_DEPARTMENT: {
        Organisation.Kind.NATIONAL_AUTHORITY,
        Organisation.Kind.PROVINCIAL_AUTHORITY,
        Organisation.Kind.CITY_AUTHORITY,
        Organisation.Kind.COUNTY_AUTHORITY,
    },
    Organisation.Kind.LEGAL_SERVICE: {
        Organisation.Kind.PROVINCIAL_AUTHORITY,
        Organisation.Kind.CITY_AUTHORITY,
        Organisation.Kind.COUNTY_AUTHORITY,
    },
}


def role_fits_organisation(role: str, kind: str) -> bool:
    """Legal advisers work in legal services, and only they do."""
    return (role == Role.ADVISER) == (kind == Organisation.Kind.LEGAL_SERVICE)


def kinds_under(parent: Organisation) -> list[tuple[str, str]]:
    """The (value, label) choices of the kinds that may sit under `parent`."""
    return [(k.value, k.label) for k in Organisation.Kind if parent.kind in ALLOWED_PARENT_KINDS[k]]


def is_organisation_region(region_code: object) -> bool:
    """A code an organisation may be located at: the nation's, a GB/T 2260 region
    or a platform-defined unit such as the Xinjiang Production and Construction
    Corps (which nothing else may be located at)."""
    return (
        region_code == NATIONAL_REGION_CODE
        or is_valid_region_code(region_code)
        or is_platform_unit(region_code)
    )


def may_have_authority(region_code: str) -> bool:
    """Whether an organisation of the programme may be located at this (well-shaped)
    region code: anywhere but in Taiwan, Hong Kong and Macao."""
    return province_code_of(region_code) not in NO_AUTHORITY_PROVINCES


def regions_under(parent: Organisation) -> list[Region]:
    """The shipped regions a unit below `parent` may have: the parent's own and,
    under the national authority, the provinces; under a province, its
    prefectures. (Counties are not shipped: their codes are typed.)"""
    if parent.region_code == NATIONAL_REGION_CODE:
        mainland = [p for p in provinces() if may_have_authority(p.code)]
        return mainland + list(PLATFORM_UNITS.values())
    own = [region] if (region := lookup(parent.region_code)) else []
    if own and own[0].level == "province":
        return own + list(prefectures(parent.region_code))
    return own
