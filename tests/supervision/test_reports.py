"""Periodic information reports: generation (prefilled from the dashboard's figures,
due dates in working days, idempotent), values and their reasons, submission,
who may do what, who sees what, the late list, the national aggregate and the
reminders."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from qingqian.accounts.models import Organisation, Role
from qingqian.core.models import AuditEvent
from qingqian.notifications.models import Notification
from qingqian.reference.services.calendar import calendar_import
from qingqian.supervision.dashboard import selectors as dashboard
from qingqian.supervision.defaults import DEFAULT_REPORTS
from qingqian.supervision.models import (
    ComplaintTally,
    Grain,
    ProvincialReport,
    ReportDefinition,
    ReportValue,
)
from qingqian.supervision.reports import figures as report_figures
from qingqian.supervision.reports import selectors as report_selectors
from qingqian.supervision.reports import tasks as report_tasks
from qingqian.supervision.reports.services import (
    ReportConflict,
    ReportStale,
    report_reopen,
    report_set_value,
    report_submit,
    reports_generate,
)
from tests.supervision.test_cases import GD, GD_FINANCE, JS, make_official

ON = date(2026, 10, 9)  # generation day: after the National Day holiday
Q3 = date(2026, 7, 1)
SEPTEMBER = date(2026, 9, 1)
GD_CODE, JS_CODE = "440000", "320000"


def definition(code: str) -> ReportDefinition:
    return ReportDefinition.objects.get(code=code)


def tally(month: date, region: str, measure: str, count: int, *, debtor_type="large"):
    """A maintained tally row (what the complaint workflow keeps), at the province grain."""
    ComplaintTally.objects.create(
        month=month,
        grain=Grain.PROVINCE,
        region_code=region,
        debtor_type=debtor_type,
        measure=measure,
        count=count,
    )


@pytest.fixture
def figures_data(make_item):
    """Complaint tallies in and around Q3 2026 for Guangdong and Jiangsu, and ledger items."""
    tally(date(2026, 6, 1), GD_CODE, "received", 100)  # before the quarter
    tally(date(2026, 7, 1), GD_CODE, "received", 4)
    tally(date(2026, 8, 1), GD_CODE, "received", 3, debtor_type="agency")
    tally(date(2026, 9, 1), GD_CODE, "accepted", 5)
    tally(date(2026, 9, 1), GD_CODE, "not_accepted", 1)
    tally(date(2026, 9, 1), GD_CODE, "transferred", 4)
    tally(date(2026, 9, 1), GD_CODE, "resolved", 2)
    tally(date(2026, 9, 1), GD_CODE, "closed", 1)
    tally(date(2026, 8, 1), GD_CODE, "transfer_met", 3)
    tally(date(2026, 9, 1), GD_CODE, "transfer_breached", 1)
    tally(date(2026, 9, 1), GD_CODE, "handling_met", 2)
    tally(date(2026, 10, 1), GD_CODE, "handling_breached", 9)  # after the quarter
    tally(date(2026, 8, 1), JS_CODE, "received", 7)
    make_item(owed_fen=250_000_00)
    make_item(owed_fen=12_345)


@pytest.fixture
def quarterly(figures_data):
    reports_generate(definition=definition("quarterly-summary"), period_start=Q3, on=ON)
    return ProvincialReport.objects.get(
        definition__code="quarterly-summary", period_start=Q3, province_code=GD_CODE
    )


@pytest.fixture
def gd_supervisor(db):
    return make_official("gd-supervisor", GD)


def values(report) -> dict[str, int]:
    return dict(report.values.values_list("key", "value"))


def audit_count() -> int:
    return AuditEvent.objects.count()


# --- definitions and periods --------------------------------------------------------------


def test_the_migration_created_the_default_reports(db):
    for code, name, frequency, due, keys in DEFAULT_REPORTS:
        found = definition(code)
        assert (found.name, found.frequency, found.due_working_days) == (name, frequency, due)
        assert list(found.figures.values_list("key", flat=True)) == keys
        assert set(keys) <= set(report_figures.KEYS)
    assert definition("annual-arrears").name == "年度拖欠中小企业款项情况报告"


@pytest.mark.parametrize(
    ("frequency", "day", "expected"),
    [
        ("monthly", date(2026, 10, 9), (date(2026, 9, 1), date(2026, 9, 30))),
        ("monthly", date(2026, 3, 1), (date(2026, 2, 1), date(2026, 2, 28))),
        ("monthly", date(2026, 1, 15), (date(2025, 12, 1), date(2025, 12, 31))),
        ("quarterly", date(2026, 10, 1), (date(2026, 7, 1), date(2026, 9, 30))),
        ("quarterly", date(2026, 9, 30), (date(2026, 4, 1), date(2026, 6, 30))),
        ("quarterly", date(2026, 2, 1), (date(2025, 10, 1), date(2025, 12, 31))),
        ("annual", date(2026, 1, 1), (date(2025, 1, 1), date(2025, 12, 31))),
        ("annual", date(2026, 12, 31), (date(2025, 1, 1), date(2025, 12, 31))),
    ],
)
def test_period_of_report_is_the_last_completed_period(frequency, day, expected):
    assert report_figures.period_of_report(frequency, day) == expected


def test_every_figure_has_a_label_and_a_kind():
    assert (
        set(report_figures.FIGURE_LABELS) == set(report_figures.KEYS) == set(report_figures.KINDS)
    )
    with translation.override("en"):
        for key in report_figures.KEYS:
            assert ("(yuan)" in str(report_figures.FIGURE_LABELS[key])) == key.endswith("_fen")
        assert report_figures.KINDS[key] == ("money" if key.endswith("_fen") else "count")


# --- generation ---------------------------------------------------------------------------


def test_prefill_equals_the_dashboards_figures(quarterly, user):
    figures = dashboard.dashboard(
        actor=user("gd-intake"), region="44", start="2026-07", end="2026-09", today=ON
    )
    complaints, ledger = figures["complaints"], figures["ledger"]
    expected = {
        **{key: complaints[key] for key in report_figures.COMPLAINT_KEYS},
        "transfer_met": complaints["on_time"]["transfer"]["met"],
        "transfer_breached": complaints["on_time"]["transfer"]["breached"],
        "handling_met": complaints["on_time"]["handling"]["met"],
        "handling_breached": complaints["on_time"]["handling"]["breached"],
        "overdue_now": figures["overdue"]["total"],
        **{key: ledger[key] for key in report_figures.LEDGER_KEYS},
    }
    got = values(quarterly)
    assert got == {key: expected[key] for key in got}
    assert list(got) == list(definition("quarterly-summary").figures.values_list("key", flat=True))
    # and the numbers themselves, counted by hand from the fixture
    assert got["received"] == 7 and got["accepted"] == 5 and got["transfer_met"] == 3
    assert got["handling_breached"] == 0  # October is outside the quarter
    assert got["identified_fen"] == 250_000_00 + 12_345 == got["outstanding_fen"]
    assert all(v.prefilled == v.value and v.reason == "" for v in quarterly.values.all())


def test_generation_makes_one_report_per_provincial_authority(quarterly):
    provinces = Organisation.objects.filter(kind=Organisation.Kind.PROVINCIAL_AUTHORITY)
    generated = ProvincialReport.objects.filter(definition__code="quarterly-summary")
    assert generated.count() == provinces.count() > 30
    assert set(generated.values_list("province_code", flat=True)) == set(
        provinces.values_list("region_code", flat=True)
    )
    js = generated.get(province_code=JS_CODE)
    assert values(js)["received"] == 7 and values(js)["identified_fen"] == 0
    assert js.state == ProvincialReport.State.DRAFT and js.period_end == date(2026, 9, 30)
    assert js.organisation.name == JS


def test_generation_is_idempotent_and_audited_once_per_run(quarterly):
    quarter = definition("quarterly-summary")
    events = AuditEvent.objects.filter(verb="supervision.reports_generate")
    assert events.count() == 1
    payload = events.get().payload
    assert payload["period_start"] == "2026-07-01" and len(payload["reports"]) > 30
    count = ProvincialReport.objects.count()
    assert reports_generate(definition=quarter, period_start=Q3, on=ON) == 0
    assert ProvincialReport.objects.count() == count and events.count() == 1
    # a province whose report is missing gets one on the next run, the others are left alone
    ProvincialReport.objects.filter(province_code=JS_CODE).delete()
    assert reports_generate(definition=quarter, period_start=Q3, on=ON) == 1
    assert events.count() == 2


def test_due_dates_count_working_days_on_the_2026_calendar(figures_data):
    # Period ends Wed 2026-09-30; National Day 10-1..10-7 off, Sat 10-10 worked.
    # 5 working days: Thu 10-8, Fri 10-9, Sat 10-10, Mon 10-12, Tue 10-13.
    reports_generate(definition=definition("monthly-progress"), period_start=SEPTEMBER, on=ON)
    monthly = ProvincialReport.objects.filter(definition__code="monthly-progress").first()
    assert monthly.due_on == date(2026, 10, 13)
    assert not monthly.due_provisional and "5 working days" in monthly.due_rule
    # 10 working days: ... Tue 10-13 (5), Wed 14, Thu 15, Fri 16, Mon 19, Tue 10-20 (10).
    reports_generate(definition=definition("quarterly-summary"), period_start=Q3, on=ON)
    quarterly = ProvincialReport.objects.filter(definition__code="quarterly-summary").first()
    assert quarterly.due_on == date(2026, 10, 20)


def test_annual_report_due_in_an_unknown_year_is_provisional(figures_data):
    # 2026 ends; 20 working days into 2027, whose schedule is not published yet.
    reports_generate(
        definition=definition("annual-arrears"), period_start=date(2026, 1, 1), on=date(2027, 1, 4)
    )
    annual = ProvincialReport.objects.filter(definition__code="annual-arrears").first()
    assert annual.due_provisional and "PROVISIONAL" in annual.due_rule
    assert date(2027, 1, 27) <= annual.due_on <= date(2027, 2, 5)


def test_a_report_due_in_a_year_entered_later_is_no_longer_provisional(figures_data, user):
    """The December report is generated in January, before that year's schedule
    is entered; entering it recomputes the drafts (make-up and extra days off
    included) and leaves submitted reports alone."""
    reports_generate(
        definition=definition("monthly-progress"),
        period_start=date(2026, 12, 1),
        on=date(2027, 1, 4),
    )
    december = ProvincialReport.objects.filter(definition__code="monthly-progress")
    gd = december.get(province_code=GD_CODE)
    # Provisional: 1-1 (New Year) off, then Mon 1-4 .. Fri 1-8 are five working days.
    assert gd.due_provisional and gd.due_on == date(2027, 1, 8)
    report_submit(actor=user("gd-intake"), report=gd, version=gd.version)
    calendar_import(
        actor=user("admin"),
        year_rows=[(date(2027, 1, 1), "holiday", "元旦"), (date(2027, 1, 4), "holiday", "test")],
    )
    js = december.get(province_code=JS_CODE)
    # Entered: 1-4 off as well, so Tue 1-5 .. Mon 1-11.
    assert not js.due_provisional and "PROVISIONAL" not in js.due_rule
    assert js.due_on == date(2027, 1, 11) and js.version == 1
    assert not december.filter(state=ProvincialReport.State.DRAFT, due_provisional=True).exists()
    gd.refresh_from_db()
    assert gd.due_provisional and gd.due_on == date(2027, 1, 8)


@pytest.mark.parametrize(
    ("start", "on"),
    [
        (date(2026, 7, 2), ON),  # not the first day of a quarter
        (date(2026, 8, 1), ON),  # a month, not a quarter
        (date(2026, 10, 1), ON),  # the quarter has not ended
        ("2026-07-01", ON),  # not a date
    ],
)
def test_generation_refuses_a_period_that_is_not_one(db, start, on):
    with pytest.raises(ValidationError) as refused:
        reports_generate(definition=definition("quarterly-summary"), period_start=start, on=on)
    assert "period_start" in refused.value.message_dict
    assert not ProvincialReport.objects.exists()


@pytest.mark.parametrize("username", ["gd-intake", "gd-supervisor", "js-intake", "sme-demo"])
def test_only_the_national_level_generates(user, gd_supervisor, username):
    monthly = definition("monthly-progress")
    with pytest.raises(PermissionDenied):
        reports_generate(actor=user(username), definition=monthly, period_start=SEPTEMBER, on=ON)
    assert not ProvincialReport.objects.exists()
    assert reports_generate(
        actor=user("supervisor"), definition=monthly, period_start=SEPTEMBER, on=ON
    )


# --- values --------------------------------------------------------------------------------


def test_changing_a_value_needs_a_reason_and_is_audited(quarterly, user):
    actor = user("gd-intake")
    before = audit_count()
    report_set_value(
        actor=actor, report=quarterly, key="received", value=9, reason="两件线下来信未录入"
    )
    row = quarterly.values.get(key="received")
    assert (row.prefilled, row.value, row.reason) == (7, 9, "两件线下来信未录入")
    quarterly.refresh_from_db()
    assert quarterly.version == 1
    event = AuditEvent.objects.latest("seq")
    assert audit_count() == before + 1 and event.verb == "supervision.report_value"
    assert event.target_id == str(quarterly.pk)
    assert event.payload["old_value"] == 7 and event.payload["new_value"] == 9
    assert event.payload["reason"] == "两件线下来信未录入"
    # back to the platform's figure: the reason goes
    report_set_value(actor=actor, report=quarterly, key="received", value=7, reason="ignored")
    row.refresh_from_db()
    assert (row.value, row.reason) == (7, "")


@pytest.mark.parametrize(
    ("key", "value", "reason", "field"),
    [
        ("received", 9, "", "reason"),  # changed without a reason
        ("received", 9, "   ", "reason"),  # blank is no reason
        ("received", -1, "typo", "value"),
        ("received", "9", "typo", "value"),  # not an int
        ("received", 9.0, "typo", "value"),
        ("received", True, "typo", "value"),
        ("received", 10**15, "typo", "value"),
        ("received", 9, "x" * 2001, "reason"),
        ("nonsense", 1, "typo", "key"),
        ("satisfaction", 1, "typo", "key"),  # a dashboard measure, not in this report
    ],
)
def test_value_refusals_name_the_field_and_write_nothing(
    quarterly, user, key, value, reason, field
):
    before = (audit_count(), list(ReportValue.objects.values_list("value", "reason")))
    with pytest.raises(ValidationError) as refused:
        report_set_value(
            actor=user("gd-intake"), report=quarterly, key=key, value=value, reason=reason
        )
    assert field in refused.value.message_dict
    assert (audit_count(), list(ReportValue.objects.values_list("value", "reason"))) == before
    quarterly.refresh_from_db()
    assert quarterly.version == 0


def test_a_submitted_report_cannot_change(quarterly, user):
    actor = user("gd-intake")
    report_submit(actor=actor, report=quarterly)
    before = audit_count()
    with pytest.raises(ReportConflict):
        report_set_value(actor=actor, report=quarterly, key="received", value=8, reason="late")
    with pytest.raises(ReportConflict):
        report_submit(actor=actor, report=quarterly)
    assert audit_count() == before and values(quarterly)["received"] == 7


def test_a_stale_version_is_refused(quarterly, user):
    actor = user("gd-intake")
    report_set_value(actor=actor, report=quarterly, key="received", value=8, reason="a", version=0)
    with pytest.raises(ReportStale):
        report_set_value(
            actor=actor, report=quarterly, key="accepted", value=8, reason="b", version=0
        )
    with pytest.raises(ReportStale):
        report_submit(actor=actor, report=quarterly, version=0)
    report_submit(actor=actor, report=quarterly, version=1)


# Who may report Guangdong's figures: its authority's intake officers, supervisors and
# administrators, and the national administrator; nobody else.
@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("gd-intake", True),
        ("gd-supervisor", True),
        ("admin", True),  # the national administrator
        ("supervisor", False),  # national supervisor: reads, does not report for a province
        ("miit-intake", False),
        ("gd-handler", False),  # a handling department
        ("gz-supervisor", False),  # a city authority
        ("js-intake", False),  # another province
        ("sme-demo", False),
        ("debtor-demo", False),
    ],
)
def test_who_may_report_and_submit(quarterly, user, gd_supervisor, username, allowed):
    make_official("gz-supervisor", "广州市中小企业主管部门")
    actor = user(username)
    if not allowed:
        before = audit_count()
        with pytest.raises(PermissionDenied):
            report_set_value(actor=actor, report=quarterly, key="received", value=8, reason="x")
        with pytest.raises(PermissionDenied):
            report_submit(actor=actor, report=quarterly)
        assert audit_count() == before and values(quarterly)["received"] == 7
        return
    report_set_value(actor=actor, report=quarterly, key="received", value=8, reason="x")
    report = report_submit(actor=actor, report=quarterly)
    assert report.state == ProvincialReport.State.SUBMITTED
    assert report.submitted_by == actor and report.submitted_at is not None
    event = AuditEvent.objects.latest("seq")
    assert event.verb == "supervision.report_submit"
    assert event.payload["changed"] == {"received": {"prefilled": 7, "value": 8}}
    assert event.payload["late"] is True  # due 2026-10-20, submitted later


def test_the_national_administrator_reopens_a_submitted_report(quarterly, user):
    report_submit(actor=user("gd-intake"), report=quarterly)
    with pytest.raises(PermissionDenied):
        report_reopen(actor=user("gd-intake"), report=quarterly, note="错了")
    with pytest.raises(ValidationError) as refused:
        report_reopen(actor=user("admin"), report=quarterly, note=" ")
    assert "note" in refused.value.message_dict
    report = report_reopen(actor=user("admin"), report=quarterly, note="数字有误，请核实")
    assert report.state == ProvincialReport.State.DRAFT and report.submitted_at is None
    with pytest.raises(ReportConflict):
        report_reopen(actor=user("admin"), report=quarterly, note="again")


# --- reads ------------------------------------------------------------------------------------


def test_who_sees_which_reports(quarterly, user, gd_supervisor):
    gz = make_official("gz-supervisor", "广州市中小企业主管部门")
    everything = ProvincialReport.objects.count()
    assert report_selectors.report_list(actor=user("admin")).count() == everything
    assert report_selectors.report_list(actor=user("supervisor")).count() == everything
    assert report_selectors.report_list(actor=user("miit-intake")).count() == everything
    for actor in (user("gd-intake"), gd_supervisor, gz):
        codes = set(
            report_selectors.report_list(actor=actor).values_list("province_code", flat=True)
        )
        assert codes == {GD_CODE}
    assert report_selectors.report_get(actor=gz, pk=quarterly.pk) == quarterly
    for username in ("js-intake", "gd-handler", "sme-demo", "debtor-demo"):
        with pytest.raises(Http404):
            report_selectors.report_get(actor=user(username), pk=quarterly.pk)
    assert not report_selectors.report_list(actor=user("gd-handler")).exists()
    assert not report_selectors.report_list(actor=user("sme-demo")).exists()
    for pk in (0, -1, 2**63, "1", None):
        with pytest.raises(Http404):
            report_selectors.report_get(actor=user("admin"), pk=pk)


def test_report_list_filters(quarterly, user):
    reports_generate(definition=definition("monthly-progress"), period_start=SEPTEMBER, on=ON)
    admin = user("admin")
    monthly = report_selectors.report_list(actor=admin, definition="monthly-progress")
    assert {r.definition.code for r in monthly} == {"monthly-progress"}
    assert report_selectors.report_list(actor=admin, period_start=Q3).count() == (
        ProvincialReport.objects.filter(definition__code="quarterly-summary").count()
    )
    report_submit(actor=user("gd-intake"), report=quarterly)
    assert list(report_selectors.report_list(actor=admin, state="submitted")) == [quarterly]


def test_late_reports_are_drafts_past_their_due_date(quarterly, user):
    admin = user("admin")
    assert not report_selectors.late_reports(actor=admin, today=date(2026, 10, 20)).exists()
    late = report_selectors.late_reports(actor=admin, today=date(2026, 10, 21))
    assert late.count() == ProvincialReport.objects.count()
    report_submit(actor=user("gd-intake"), report=quarterly)
    assert not late.filter(pk=quarterly.pk).exists()
    gd_late = report_selectors.late_reports(actor=user("gd-intake"), today=date(2026, 10, 21))
    assert not gd_late.exists()  # Guangdong's only report is submitted


def test_the_aggregate_sums_submitted_reports_only(quarterly, user):
    js = ProvincialReport.objects.get(definition__code="quarterly-summary", province_code=JS_CODE)
    gd_actor, js_actor = user("gd-intake"), user("js-intake")
    report_set_value(actor=gd_actor, report=quarterly, key="received", value=10, reason="补录")
    report_submit(actor=gd_actor, report=quarterly)
    aggregate = report_selectors.national_aggregate(
        actor=user("supervisor"),
        definition=definition("quarterly-summary"),
        period_start=Q3,
        today=date(2026, 10, 21),
    )
    keys = aggregate["keys"]
    totals = dict(zip(keys, aggregate["totals"], strict=True))
    assert totals["received"] == 10  # Jiangsu's 7 are not submitted yet
    assert totals["identified_fen"] == 250_000_00 + 12_345
    counts = aggregate["counts"]
    assert counts["submitted"] == 1 and counts["expected"] == ProvincialReport.objects.count()
    assert counts["late"] == counts["expected"] - 1
    rows = {row["province_code"]: row for row in aggregate["rows"]}
    assert rows[GD_CODE]["state"] == "submitted" and not rows[GD_CODE]["late"]
    assert rows[GD_CODE]["submitted_late"] and rows[GD_CODE]["changed"] == ["received"]
    assert rows[GD_CODE]["name"] == "广东省"
    assert rows[JS_CODE]["late"] and rows[JS_CODE]["submitted_at"] is None
    report_submit(actor=js_actor, report=js)
    aggregate = report_selectors.national_aggregate(
        actor=user("admin"), definition="quarterly-summary", period_start=Q3
    )
    assert dict(zip(keys, aggregate["totals"], strict=True))["received"] == 17
    assert aggregate["counts"]["submitted"] == 2


@pytest.mark.parametrize("username", ["gd-intake", "js-intake", "gd-handler", "sme-demo"])
def test_the_aggregate_is_for_the_national_level(quarterly, user, username):
    with pytest.raises(PermissionDenied):
        report_selectors.national_aggregate(
            actor=user(username), definition="quarterly-summary", period_start=Q3
        )


# --- background work --------------------------------------------------------------------------


def test_the_task_generates_the_last_completed_periods(figures_data):
    created = report_tasks.generate_due_reports(date(2026, 10, 9))
    provinces = Organisation.objects.filter(kind=Organisation.Kind.PROVINCIAL_AUTHORITY).count()
    assert created == 3 * provinces  # September, Q3 2026, the year 2025
    starts = set(ProvincialReport.objects.values_list("definition__code", "period_start"))
    assert starts == {
        ("monthly-progress", SEPTEMBER),
        ("quarterly-summary", Q3),
        ("annual-arrears", date(2025, 1, 1)),
    }
    assert report_tasks.generate_due_reports(date(2026, 10, 9)) == 0
    ReportDefinition.objects.filter(code="annual-arrears").update(active=False)
    assert report_tasks.generate_due_reports(date(2026, 11, 2)) == provinces  # October only


def test_reminders_go_to_late_provinces_once(quarterly, user, gd_supervisor):
    report_submit(
        actor=user("js-intake"),
        report=ProvincialReport.objects.get(
            definition__code="quarterly-summary", province_code=JS_CODE
        ),
    )
    assert report_tasks.remind_late_reports(date(2026, 10, 20)) == 0  # due today: not late
    sent = report_tasks.remind_late_reports(date(2026, 10, 21))
    inbox = Notification.objects.filter(dedup_key__startswith="supervision-report:")
    recipients = set(inbox.values_list("recipient__username", flat=True))
    assert {"gd-intake", "gd-supervisor"} <= recipients
    assert not recipients & {"js-intake", "gd-handler", "admin", "supervisor"}
    assert sent == inbox.count() > 0
    gd_message = inbox.filter(recipient__username="gd-intake").get()
    assert gd_message.dedup_key == f"supervision-report:{quarterly.pk}:late:2026-10-20"
    assert "2026-10-20" in gd_message.body
    assert report_tasks.remind_late_reports(date(2026, 10, 22)) == 0  # never twice
    assert inbox.count() == sent
    assert AuditEvent.objects.filter(verb="supervision.reports_remind").count() == 1


def test_the_task_runs_both(figures_data, user):
    result = report_tasks.reports_task.call("2026-10-09")
    # 2025's annual report, generated this late, is overdue at once (due in January);
    # September's and Q3's are not due yet.
    assert result["generated"] > 0 and result["reminders"] == 2  # gd-intake, js-intake
    assert report_tasks.reports_task.call("2026-10-09") == {"generated": 0, "reminders": 0}
    later = report_tasks.reports_task.call("2026-10-21")
    assert later == {"generated": 0, "reminders": 4}  # monthly and quarterly, two provinces
    assert (
        user("gd-intake").notifications.filter(dedup_key__startswith="supervision-report:").exists()
    )


def test_reporters_are_the_provincial_authoritys_officials(db, gd_supervisor):
    from qingqian.supervision.reports.services import reporters

    names = set(reporters(GD_CODE).values_list("username", flat=True))
    assert {"gd-intake", "gd-supervisor"} <= names
    assert "gd-handler" not in names
    handler = make_official("gd-handler-2", GD_FINANCE, role=Role.HANDLER)
    assert handler.username not in set(reporters(GD_CODE).values_list("username", flat=True))
