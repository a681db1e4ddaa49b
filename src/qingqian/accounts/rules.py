"""The shape of the organisation tree: rules that write nothing."""

from qingqian.accounts.models import Organisation
from qingqian.core.regions import Region, lookup, prefectures, provinces
from qingqian.core.scoping import NATIONAL_REGION_CODE

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
}


def kinds_under(parent: Organisation) -> list[tuple[str, str]]:
    """The (value, label) choices of the kinds that may sit under `parent`."""
    return [(k.value, k.label) for k in Organisation.Kind if parent.kind in ALLOWED_PARENT_KINDS[k]]


def regions_under(parent: Organisation) -> list[Region]:
    """The shipped regions a unit below `parent` may have: the parent's own and,
    under the national authority, the provinces; under a province, its
    prefectures. (Counties are not shipped: their codes are typed.)"""
    if parent.region_code == NATIONAL_REGION_CODE:
        return list(provinces())
    own = [region] if (region := lookup(parent.region_code)) else []
    if own and own[0].level == "province":
        return own + list(prefectures(parent.region_code))
    return own
