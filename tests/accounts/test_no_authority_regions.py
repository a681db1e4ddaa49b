"""Taiwan (71), Hong Kong (81) and Macao (82) have no SME authority in the
programme (DOMAIN.md §7a): whatever an administrator loads, no organisation of
any kind is located there."""

import pytest
from django.core.exceptions import ValidationError

from qingqian.accounts.models import Organisation
from qingqian.accounts.rules import regions_under
from qingqian.accounts.services import organisation_create, organisations_bootstrap
from qingqian.cli import main
from qingqian.core import regions

Kind = Organisation.Kind
NO_AUTHORITY = {"71", "81", "82"}


def outside_the_programme(code: str) -> bool:
    return code[:2] in NO_AUTHORITY


@pytest.mark.django_db
def test_loading_the_full_region_list_gives_none_of_71_81_82_an_authority(user):
    """Bootstrap with every prefecture, then try every shipped region as the
    national administrator would through the organisations page (API and CLI
    call the same service): 71/81/82 are refused, naming the region field."""
    assert main(["orgs", "bootstrap", "--planning-cities", "--prefectures"]) == 0
    national = Organisation.objects.get(kind=Kind.NATIONAL_AUTHORITY)
    refused = set()
    for region in regions.provinces():  # the prefectures came with the bootstrap
        try:
            organisation_create(
                actor=user("admin"),
                name=f"{region.name}（新）",
                kind=Kind.PROVINCIAL_AUTHORITY,
                region_code=region.code,
                parent=national,
            )
        except ValidationError as error:
            assert list(error.message_dict) == ["region_code"]
            refused.add(region.code)
    assert refused == {"710000", "810000", "820000"}
    located = Organisation.objects.values_list("region_code", flat=True)
    assert not [code for code in located if outside_the_programme(code)]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["710000", "810000", "820000", "810101", "820001"])
def test_no_department_or_county_unit_is_located_there_either(user, code):
    national = Organisation.objects.get(kind=Kind.NATIONAL_AUTHORITY)
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as refused:
        organisation_create(
            actor=user("admin"),
            name="某部门",
            kind=Kind.HANDLING_DEPARTMENT,
            region_code=code,
            parent=national,
        )
    assert "region_code" in refused.value.message_dict
    assert Organisation.objects.count() == before


@pytest.mark.django_db
def test_bootstrap_and_the_region_choices_leave_them_out():
    organisations_bootstrap(actor=None, planning_cities=True, prefectures=True)
    national = Organisation.objects.get(kind=Kind.NATIONAL_AUTHORITY)
    choices = [region.code for region in regions_under(national)]
    # The 31 mainland provinces and the Corps' own code (tests/supervision/test_xpcc.py).
    assert len(choices) == 32 and choices[-1] == "660000"
    assert not [code for code in choices if outside_the_programme(code)]
