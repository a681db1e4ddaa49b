"""Which SME authorities a fresh installation needs: the national authority and
those of the reporting units MIIT addresses (各省、自治区、直辖市及计划单列市、
新疆生产建设兵团), optionally every prefecture-level authority.

Pure data from the shipped region list; `services.organisations_bootstrap`
writes it. Hong Kong, Macao and Taiwan have no SME authority in the programme
(`rules.may_have_authority`, which every organisation written passes).
"""

from __future__ import annotations

from dataclasses import dataclass

from qingqian.accounts.models import Organisation
from qingqian.accounts.rules import may_have_authority
from qingqian.core import regions
from qingqian.core.scoping import NATIONAL_REGION_CODE

Kind = Organisation.Kind

NATIONAL_AUTHORITY_NAME = "工业和信息化部中小企业局"
AUTHORITY_NAME_SUFFIX = "中小企业主管部门"
# Dalian, Qingdao, Ningbo, Xiamen, Shenzhen: cities with separate planning status.
PLANNING_CITY_CODES = ("210200", "330200", "350200", "370200", "440300")


@dataclass(frozen=True)
class Authority:
    """One authority to have; `parent_code` is the region code of the provincial
    authority it sits under ("" for those directly under the national one)."""

    name: str
    kind: str
    region_code: str
    parent_code: str = ""


def authority_name(region_name: str) -> str:
    return f"{region_name}{AUTHORITY_NAME_SUFFIX}"


def reporting_authorities(
    *, planning_cities: bool = False, prefectures: bool = False, xpcc: bool = False
) -> list[Authority]:
    """The authorities below the national one, parents before children; with
    `xpcc`, also the Xinjiang Production and Construction Corps' (at the
    platform's own code, core.regions.XPCC_CODE)."""
    provinces = [p for p in regions.provinces() if may_have_authority(p.code)]
    wanted = [
        Authority(authority_name(p.name), Kind.PROVINCIAL_AUTHORITY, p.code) for p in provinces
    ]
    cities = [c for p in provinces for c in regions.prefectures(p.code)]
    if not prefectures:
        cities = [c for c in cities if planning_cities and c.code in PLANNING_CITY_CODES]
    wanted += [
        Authority(authority_name(c.name), Kind.CITY_AUTHORITY, c.code, c.province_code)
        for c in cities
    ]
    if xpcc:
        corps = regions.lookup(regions.XPCC_CODE)
        wanted.append(Authority(authority_name(corps.name), Kind.PROVINCIAL_AUTHORITY, corps.code))
    return wanted


NATIONAL_AUTHORITY = Authority(
    NATIONAL_AUTHORITY_NAME, Kind.NATIONAL_AUTHORITY, NATIONAL_REGION_CODE
)
