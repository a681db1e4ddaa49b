"""Reporting units (DOMAIN.md §7a): the 31 mainland provincial-level authorities
by default; the national administrator adds a city with separate planning
status or removes a unit, audited; generation, the due counts, the late list
and the reminders follow the units."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingqian.accounts.models import Organisation, Role
from qingqian.accounts.services import organisation_create, organisations_bootstrap
from qingqian.core.models import AuditEvent
from qingqian.notifications.models import Notification
from qingqian.supervision.models import ProvincialReport, ReportDefinition, ReportingUnit
from qingqian.supervision.reports import selectors as report_selectors
from qingqian.supervision.reports import tasks as report_tasks
from qingqian.supervision.reports.services import may_report, reports_generate
from qingqian.supervision.reports.units import (
    active_units,
    candidates,
    reporting_unit_add,
    reporting_unit_remove,
)
from tests.supervision.test_cases import GD, make_official

Kind = Organisation.Kind
SEPTEMBER, OCTOBER = date(2026, 9, 1), date(2026, 10, 1)
ON = date(2026, 11, 20)  # both months have ended; October's report is due 11-06
LIAONING = "辽宁省中小企业主管部门"
DALIAN = "大连市中小企业主管部门"


def monthly() -> ReportDefinition:
    return ReportDefinition.objects.get(code="monthly-progress")


@pytest.fixture
def dalian(user):
    """Dalian's SME authority under Liaoning's, as the bootstrap's option makes it."""
    return organisation_create(
        actor=user("admin"),
        name=DALIAN,
        kind=Kind.CITY_AUTHORITY,
        region_code="210200",
        parent=Organisation.objects.get(name=LIAONING),
    )


def unit_events():
    return AuditEvent.objects.filter(
        verb__in=["supervision.reporting_unit_add", "supervision.reporting_unit_remove"]
    )


@pytest.mark.django_db
def test_the_31_mainland_provincial_authorities_report_by_default():
    codes = [unit.organisation.region_code for unit in active_units()]
    assert len(codes) == 31 == len(set(codes))
    assert all(code.endswith("0000") for code in codes)
    assert not {"710000", "810000", "820000"} & set(codes)


@pytest.mark.django_db
def test_a_planning_city_added_reports_on_its_own_and_is_reminded(user, dalian):
    admin = user("admin")
    assert dalian in candidates()
    unit = reporting_unit_add(actor=admin, organisation=dalian, since=OCTOBER)
    assert unit.active and unit.since == OCTOBER
    assert unit_events().get().payload["region_code"] == "210200"
    # September ended before Dalian became a unit: its report is due from October.
    reports_generate(definition=monthly(), period_start=SEPTEMBER, on=ON)
    reports_generate(definition=monthly(), period_start=OCTOBER, on=ON)
    dalian_reports = ProvincialReport.objects.filter(province_code="210200")
    assert list(dalian_reports.values_list("period_start", flat=True)) == [OCTOBER]
    assert ProvincialReport.objects.filter(period_start=OCTOBER).count() == 32
    official = make_official("dl-intake", DALIAN, Role.INTAKE)
    report = dalian_reports.get()
    assert report.organisation == dalian and may_report(official, report)
    assert report in report_selectors.report_list(actor=official)
    assert report in report_selectors.late_reports(actor=official, today=ON)
    report_tasks.remind_late_reports(ON)
    assert Notification.objects.filter(
        recipient=official, dedup_key__startswith=f"supervision-report:{report.pk}:"
    ).exists()
    aggregate = report_selectors.national_aggregate(
        actor=admin, definition=monthly(), period_start=OCTOBER, today=ON
    )
    assert aggregate["counts"]["expected"] == 32


@pytest.mark.django_db
def test_a_removed_unit_is_no_longer_due_and_bootstrap_does_not_bring_it_back(user):
    admin = user("admin")
    guangdong = ReportingUnit.objects.get(organisation__name=GD)
    reporting_unit_remove(actor=admin, unit=guangdong)
    organisations_bootstrap(actor=None)
    guangdong.refresh_from_db()
    assert not guangdong.active
    reports_generate(definition=monthly(), period_start=OCTOBER, on=ON)
    generated = ProvincialReport.objects.filter(period_start=OCTOBER)
    assert generated.count() == 30
    assert not generated.filter(province_code="440000").exists()
    aggregate = report_selectors.national_aggregate(
        actor=admin, definition=monthly(), period_start=OCTOBER, today=ON
    )
    assert aggregate["counts"]["expected"] == 30
    assert [e.verb for e in unit_events()] == ["supervision.reporting_unit_remove"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("广州市中小企业主管部门", None),  # a city without separate planning status
        ("广东省财政厅", None),  # a handling department
        (GD, None),  # already reports
        ("新疆某单位", "650000"),  # a second unit on Xinjiang's region code
    ],
)
def test_refusals_name_the_organisation_and_write_nothing(user, name, region):
    admin = user("admin")
    if region:
        organisation_create(
            actor=admin,
            name=name,
            kind=Kind.PROVINCIAL_AUTHORITY,
            region_code=region,
            parent=Organisation.objects.get(kind=Kind.NATIONAL_AUTHORITY),
        )
    organisation = Organisation.objects.get(name=name)
    before = ReportingUnit.objects.filter(active=True).count()
    with pytest.raises(ValidationError) as refused:
        reporting_unit_add(actor=admin, organisation=organisation)
    assert list(refused.value.message_dict) == ["organisation"]
    assert ReportingUnit.objects.filter(active=True).count() == before
    assert not unit_events().exists()
    assert organisation not in candidates()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["supervisor", "gd-intake", "miit-intake"])
def test_only_the_national_administrator_changes_the_units(user, dalian, username):
    with pytest.raises(PermissionDenied):
        reporting_unit_add(actor=user(username), organisation=dalian)
    with pytest.raises(PermissionDenied):
        reporting_unit_remove(actor=user(username), unit=ReportingUnit.objects.first())
    assert not unit_events().exists()


# --- the page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_adds_and_removes_units_for_the_national_administrator(client_for, dalian):
    client = client_for("admin")
    page = client.get("/supervision/reports/units/")
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('data-region="') == 31 and DALIAN in body  # Dalian: a choice to add
    refused = client.post("/supervision/reports/units/", {"organisation": "", "since": "x"})
    assert refused.status_code == 400 and not unit_events().exists()
    added = client.post(
        "/supervision/reports/units/", {"organisation": dalian.pk, "since": "2026-10-01"}
    )
    assert added.status_code == 302
    unit = ReportingUnit.objects.get(organisation=dalian)
    assert unit.active and unit.since == OCTOBER
    assert client.post(f"/supervision/reports/units/{unit.pk}/remove/").status_code == 302
    unit.refresh_from_db()
    assert not unit.active
    assert [e.verb for e in unit_events().order_by("seq")] == [
        "supervision.reporting_unit_add",
        "supervision.reporting_unit_remove",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["supervisor", "gd-intake"])
def test_the_page_is_for_the_national_administrator_only(client_for, username):
    client = client_for(username)
    assert client.get("/supervision/reports/units/").status_code == 403
    unit = ReportingUnit.objects.first()
    assert client.post(f"/supervision/reports/units/{unit.pk}/remove/").status_code == 403
    unit.refresh_from_db()
    assert unit.active
