"""The Xinjiang Production and Construction Corps (新疆生产建设兵团), which MIIT's
notices address beside the provinces (DOMAIN.md §7a), can be set up and made a
reporting unit, though GB/T 2260 gives it no code: the platform's own 660000,
kept out of the region list, where nothing but its authority is located. The
platform holds no records there, so its report's figures are entered by hand."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.forms import ValidationError as FormValidationError

from qingqian.accounts.models import Organisation, Role
from qingqian.accounts.rules import regions_under
from qingqian.accounts.services import organisation_create
from qingqian.cli import main
from qingqian.core import regions
from qingqian.core.form_fields import RegionField
from qingqian.core.region_selectors import region_choices, region_name
from qingqian.parties.services import debtor_particulars_errors
from qingqian.supervision.models import (
    ProvincialReport,
    ReportDefinition,
    ReportingUnit,
    ReportValue,
)
from qingqian.supervision.reports import selectors as report_selectors
from qingqian.supervision.reports.services import (
    report_set_value,
    report_submit,
    reports_generate,
)
from qingqian.supervision.reports.units import active_units, candidates
from tests.supervision.test_cases import GD, make_official

Kind = Organisation.Kind
XPCC = "660000"
XPCC_NAME = "新疆生产建设兵团中小企业主管部门"
OCTOBER, ON = date(2026, 10, 1), date(2026, 11, 20)


def monthly() -> ReportDefinition:
    return ReportDefinition.objects.get(code="monthly-progress")


def national() -> Organisation:
    return Organisation.objects.get(kind=Kind.NATIONAL_AUTHORITY)


@pytest.fixture
def xpcc(user) -> Organisation:
    return organisation_create(
        actor=user("admin"),
        name=XPCC_NAME,
        kind=Kind.PROVINCIAL_AUTHORITY,
        region_code=XPCC,
        parent=national(),
    )


def test_its_code_is_the_platforms_own_outside_the_gbt_list():
    assert "66" not in {region.code[:2] for region in regions.provinces()}
    assert len(regions.provinces()) == 34
    assert regions.lookup(XPCC).name == "新疆生产建设兵团"
    assert regions.is_platform_unit(XPCC) and not regions.is_platform_unit("650000")
    assert not regions.is_valid_region_code(XPCC)
    assert regions.prefectures(XPCC) == ()


@pytest.mark.django_db
def test_it_is_offered_under_the_national_authority_only(user, xpcc):
    assert XPCC in [region.code for region in regions_under(national())]
    assert XPCC not in [region.code for region in regions_under(Organisation.objects.get(name=GD))]
    assert region_name(XPCC) == "新疆生产建设兵团"
    with pytest.raises(ValidationError) as refused:  # nothing lies under it
        organisation_create(
            actor=user("admin"),
            name="兵团某师",
            kind=Kind.CITY_AUTHORITY,
            region_code="660100",
            parent=xpcc,
        )
    assert list(refused.value.message_dict) == ["region_code"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["710000", "810000", "820000"])
def test_taiwan_hong_kong_and_macao_stay_refused(user, code):
    with pytest.raises(ValidationError) as refused:
        organisation_create(
            actor=user("admin"),
            name="某主管部门",
            kind=Kind.PROVINCIAL_AUTHORITY,
            region_code=code,
            parent=national(),
        )
    assert list(refused.value.message_dict) == ["region_code"]


@pytest.mark.django_db
def test_it_is_no_region_a_debtor_or_complaint_is_located_at():
    errors = debtor_particulars_errors(
        uscc="", name="某兵团单位", type="agency", region_code=XPCC, address="石河子"
    )
    assert "region_code" in errors
    with pytest.raises(FormValidationError):
        RegionField().clean(XPCC)
    picker_codes = {code for _name, options in region_choices() for code, _label in options}
    assert XPCC not in picker_codes and "650000" in picker_codes


@pytest.mark.django_db
def test_added_as_a_unit_it_reports_by_hand_as_the_32nd(client_for, user, xpcc):
    assert xpcc in candidates()
    added = client_for("admin").post(
        "/supervision/reports/units/", {"organisation": xpcc.pk, "since": "2026-10-01"}
    )
    assert added.status_code == 302
    reports_generate(definition=monthly(), period_start=OCTOBER, on=ON)
    assert ProvincialReport.objects.filter(period_start=OCTOBER).count() == 32
    report = ProvincialReport.objects.get(province_code=XPCC)
    values = ReportValue.objects.filter(report=report)
    assert values.exists()
    assert not values.exclude(prefilled=None).exists()
    assert not values.exclude(value=None).exists()

    official = make_official("xpcc-intake", XPCC_NAME, Role.INTAKE)
    page = client_for("xpcc-intake").get(f"/supervision/reports/{report.pk}/")
    assert page.status_code == 200
    assert 'data-testid="hand-entered"' in page.content.decode()

    with pytest.raises(ValidationError) as refused:
        report_submit(actor=official, report=report)
    assert list(refused.value.message_dict) == ["values"]
    report.refresh_from_db()
    assert report.state == ProvincialReport.State.DRAFT

    for number, row in enumerate(values.order_by("pk"), start=1):
        report_set_value(actor=official, report=report, key=row.key, value=number * 100)
    assert not values.exclude(reason="").exists()  # nothing to differ from: no reason asked
    report_submit(actor=official, report=report)
    aggregate = report_selectors.national_aggregate(
        actor=user("admin"), definition=monthly(), period_start=OCTOBER, today=ON
    )
    assert aggregate["counts"]["expected"] == 32
    row = next(row for row in aggregate["rows"] if row["province_code"] == XPCC)
    assert row["name"] == "新疆生产建设兵团" and row["changed"] == []
    assert row["values"] == [100 * n for n in range(1, len(row["values"]) + 1)]


@pytest.mark.django_db
def test_the_figures_page_and_file_show_blanks_until_entered(client_for, user, xpcc):
    client_for("admin").post(
        "/supervision/reports/units/", {"organisation": xpcc.pk, "since": "2026-10-01"}
    )
    reports_generate(definition=monthly(), period_start=OCTOBER, on=ON)
    report = ProvincialReport.objects.get(province_code=XPCC)
    make_official("xpcc-intake", XPCC_NAME, Role.INTAKE)
    client = client_for("xpcc-intake")
    refused = client.post(f"/supervision/reports/{report.pk}/submit/", follow=True)
    assert "提交前请填写全部指标" in refused.content.decode()
    report.refresh_from_db()
    assert report.state == ProvincialReport.State.DRAFT
    exported = client.get(f"/supervision/reports/{report.pk}/?format=csv")
    assert exported.status_code == 200
    lines = b"".join(exported.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[1].split(",")[2:4] == ["", ""]


@pytest.mark.django_db
def test_bootstrap_creates_it_on_request_but_does_not_make_it_a_unit():
    assert main(["orgs", "bootstrap", "--xpcc"]) == 0
    corps = Organisation.objects.get(region_code=XPCC)
    assert corps.name == XPCC_NAME and corps.parent == national()
    assert main(["orgs", "bootstrap"]) == 0  # the bootstrap event seeds the default units
    assert not ReportingUnit.objects.filter(organisation=corps).exists()
    assert active_units().count() == 31
    assert corps in candidates()
