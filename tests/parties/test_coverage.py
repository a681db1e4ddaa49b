"""A registered enterprise's coverage: the core rule with the size its facts give."""

from datetime import date
from decimal import Decimal

from qingqian.core.coverage import COVERED, NOT_COVERED, SIZE_UNKNOWN
from qingqian.parties.coverage import enterprise_coverage, enterprise_size, may_name_as_debtor
from qingqian.parties.models import Enterprise

SIGNED = date(2025, 3, 1)


def enterprise(kind, **facts):
    return Enterprise(uscc="x", name="x", type=kind, region_code="440300", **facts)


# Transport (2011 standard, staff and revenue): large from 1,000 staff and 30,000
# (10,000 yuan) revenue; below either line it is an SME.
LARGE_FACTS = {"industry": "transport", "staff": 3100, "revenue_wan": Decimal("450000")}
SME_FACTS = {"industry": "transport", "staff": 80, "revenue_wan": Decimal("2500")}


def test_the_size_comes_from_the_registered_facts():
    assert enterprise_size(enterprise("soe", **LARGE_FACTS), SIGNED) == "large"
    assert enterprise_size(enterprise("soe", **SME_FACTS), SIGNED) in {"small", "micro"}
    assert enterprise_size(enterprise("soe"), SIGNED) is None
    assert enterprise_size(enterprise("soe", industry="transport", staff=80), SIGNED) is None


def test_a_state_owned_enterprise_is_covered_when_it_is_large():
    assert enterprise_coverage(enterprise("soe", **LARGE_FACTS), SIGNED) == COVERED
    assert enterprise_coverage(enterprise("soe", **SME_FACTS), SIGNED) == NOT_COVERED
    assert enterprise_coverage(enterprise("soe"), SIGNED) == SIZE_UNKNOWN
    assert may_name_as_debtor(enterprise("soe"), SIGNED)  # its handler establishes the size
    assert not may_name_as_debtor(enterprise("soe", **SME_FACTS), SIGNED)


def test_an_agency_is_covered_whatever_its_facts():
    assert enterprise_coverage(enterprise("agency", **SME_FACTS), SIGNED) == COVERED


def test_a_large_enterprise_whose_facts_make_it_an_sme_is_not_covered():
    assert enterprise_coverage(enterprise("large", **SME_FACTS), SIGNED) == NOT_COVERED
    assert enterprise_coverage(enterprise("large"), SIGNED) == COVERED
