"""Supervision cases and public notices: the services, the selectors' scope and
the reminder job, on the seeded demo data (real database, no mocks)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from qingqian.accounts.models import Organisation, Role, User
from qingqian.accounts.services import user_create
from qingqian.core.models import AuditEvent
from qingqian.demo import demo_uscc
from qingqian.notifications.models import Notification
from qingqian.parties.models import Enterprise
from qingqian.reference.services.calendar import calendar_import, calendar_set_day
from qingqian.supervision.cases import permissions, selectors, services
from qingqian.supervision.cases.filters import CaseFilter
from qingqian.supervision.cases.tasks import send_case_reminders
from qingqian.supervision.models import CaseEvent, PublicNotice, SupervisionCase

GD = "广东省中小企业主管部门"
JS = "江苏省中小企业主管部门"
GZ = "广州市中小企业主管部门"
GD_FINANCE = "广东省财政厅"
JS_HOUSING = "江苏省住房和城乡建设厅"


# --- helpers shared with the view and API tests ------------------------------------------


def make_official(username: str, organisation_name: str, role: str = Role.SUPERVISOR) -> User:
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    return user_create(
        actor=None,
        username=username,
        password="demo-password-123",
        role=role,
        organisation=Organisation.objects.get(name=organisation_name),
        full_name=username,
        validate=False,
        two_factor_exempt=True,  # signs in like the demo's officials
    )


def department(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def large_debtor() -> Enterprise:
    return Enterprise.objects.get(uscc=demo_uscc("440104", 4))  # 粤海城建, Guangzhou


def open_case(actor, **overrides) -> SupervisionCase:
    """A listed supervision of Guangdong, unless told otherwise."""
    fields = {
        "kind": SupervisionCase.Kind.LISTED,
        "subject": SupervisionCase.Subject.REGION,
        "region_code": "440000",
        "title": "广东省清欠进度滞后挂牌督办",
        "reason": "无分歧欠款连续三个月未下降",
        "due_working_days": 20,
        "listed_items": "1. 省属国企拖欠款项\n2. 市级机关拖欠款项",
        "lift_conditions": "无分歧欠款清零",
        **overrides,
    }
    if fields["kind"] == SupervisionCase.Kind.INTERVIEW:
        fields.setdefault("interview_on", date(2026, 10, 15))
        fields.setdefault("participants", "省工信厅分管负责同志")
    return services.case_open(actor=actor, **fields)


def counts() -> tuple[int, int, int, int]:
    return (
        SupervisionCase.objects.count(),
        CaseEvent.objects.count(),
        PublicNotice.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def gd_supervisor(db):
    return make_official("gd-supervisor", GD)


@pytest.fixture
def national(user):
    return user("supervisor")


# --- opening ------------------------------------------------------------------------------


def test_open_region_case_records_everything(gd_supervisor):
    before = AuditEvent.objects.count()
    case = open_case(gd_supervisor, on=date(2026, 3, 2))
    assert case.state == SupervisionCase.State.OPEN
    assert case.region_code == "440000"
    assert case.opening_organisation == gd_supervisor.organisation
    assert case.opened_by == gd_supervisor
    assert case.version == 0
    assert list(case.events.values_list("action", flat=True)) == ["opened"]
    event = AuditEvent.objects.filter(seq__gt=0).order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.verb == "supervision.case_open"
    assert event.target_id == str(case.pk)


def test_deadline_counts_working_days_on_the_2026_schedule(gd_supervisor):
    """Opened Thu 2026-09-24, 5 working days: 9-25..9-27 Mid-Autumn off, 9-28, 9-29,
    9-30 worked (1-3), 10-1..10-7 National Day off, 10-8 (4), 10-9 (5)."""
    case = open_case(gd_supervisor, due_working_days=5, on=date(2026, 9, 24))
    assert case.due_on == date(2026, 10, 9)
    assert not case.due_provisional
    assert "5 working days after 2026-09-24" in case.due_rule


def test_deadline_into_an_unknown_year_is_provisional(gd_supervisor):
    case = open_case(gd_supervisor, due_working_days=30, on=date(2026, 12, 10))
    assert case.due_on.year == 2027
    assert case.due_provisional
    assert "PROVISIONAL" in case.due_rule


def test_open_department_and_debtor_cases_take_their_region(gd_supervisor):
    dept_case = open_case(
        gd_supervisor,
        subject=SupervisionCase.Subject.DEPARTMENT,
        region_code="",
        department=department(GD_FINANCE),
    )
    assert dept_case.region_code == "440000" and dept_case.department == department(GD_FINANCE)
    debtor_case = open_case(
        gd_supervisor,
        kind=SupervisionCase.Kind.INTERVIEW,
        subject=SupervisionCase.Subject.DEBTOR,
        debtor=large_debtor(),
    )
    assert debtor_case.region_code == "440104"
    assert debtor_case.listed_items == "" and debtor_case.interview_on == date(2026, 10, 15)


def _sme():
    return Enterprise.objects.get(uscc=demo_uscc("440106", 1))


def _js_soe():
    return Enterprise.objects.get(uscc=demo_uscc("320102", 6))


REFUSALS = [
    ({"title": "  "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"reason": ""}, "reason"),
    ({"due_working_days": 0}, "due_working_days"),
    ({"due_working_days": 251}, "due_working_days"),
    ({"due_working_days": True}, "due_working_days"),
    ({"due_working_days": "5"}, "due_working_days"),
    ({"kind": "warning"}, "kind"),
    ({"subject": "person"}, "subject"),
    ({"region_code": "440103"}, "region_code"),  # a county
    ({"region_code": "990000"}, "region_code"),  # no such province
    ({"region_code": "44000"}, "region_code"),
    ({"region_code": "000000"}, "region_code"),
    ({"region_code": "320000"}, "region_code"),  # Jiangsu: outside Guangdong's scope
    ({"region_code": "320100"}, "region_code"),
    ({"subject": "department", "department": None}, "department"),
    ({"subject": "department", "department": lambda: department(GD)}, "department"),
    ({"subject": "department", "department": lambda: department(JS_HOUSING)}, "department"),
    ({"subject": "debtor", "debtor": None}, "debtor"),
    ({"subject": "debtor", "debtor": _sme}, "debtor"),
    ({"subject": "debtor", "debtor": _js_soe}, "debtor"),
    ({"listed_items": ""}, "listed_items"),
    ({"lift_conditions": " "}, "lift_conditions"),
    ({"kind": "interview", "interview_on": None}, "interview_on"),
    ({"kind": "interview", "interview_on": "2026-10-01"}, "interview_on"),
    ({"kind": "interview", "participants": ""}, "participants"),
]


@pytest.mark.parametrize(("overrides", "field"), REFUSALS, ids=[f for _o, f in REFUSALS])
def test_open_refusals_name_the_field_and_write_nothing(gd_supervisor, overrides, field):
    overrides = {k: v() if callable(v) else v for k, v in overrides.items()}
    before = counts()
    with pytest.raises(ValidationError) as error:
        open_case(gd_supervisor, **overrides)
    assert field in error.value.message_dict
    assert counts() == before


@pytest.mark.parametrize("username", ["gd-intake", "gd-handler", "sme-demo", "debtor-demo"])
def test_only_supervisors_and_administrators_open_cases(user, username):
    before = counts()
    with pytest.raises(PermissionDenied):
        open_case(user(username))
    assert counts() == before


@pytest.mark.parametrize("username", ["supervisor", "admin"])
def test_national_supervisors_and_administrators_open_anywhere(user, username):
    case = open_case(user(username), region_code="320500")
    assert case.region_code == "320500"


def test_city_supervisor_opens_only_in_the_city(db):
    gz = make_official("gz-supervisor", GZ)
    assert open_case(gz, region_code="440100").region_code == "440100"
    with pytest.raises(ValidationError) as error:
        open_case(gz, region_code="440000")
    assert "region_code" in error.value.message_dict


def test_opening_notifies_the_supervised_organisation(
    national, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(national)
    recipients = set(
        Notification.objects.filter(
            dedup_key__startswith=f"supervision-case:{case.pk}:"
        ).values_list("recipient__username", flat=True)
    )
    assert "gd-intake" in recipients
    assert not recipients & {"gd-handler", "js-intake", "supervisor", "sme-demo"}


# --- who reports progress -----------------------------------------------------------------


def test_supervised_people_by_subject(national):
    region = open_case(national)
    assert {"gd-intake"} <= set(
        permissions.supervised_people(region).values_list("username", flat=True)
    )
    assert "gd-handler" not in set(
        permissions.supervised_people(region).values_list("username", flat=True)
    )
    dept = open_case(national, subject="department", department=department(GD_FINANCE))
    assert set(permissions.supervised_people(dept).values_list("username", flat=True)) == {
        "gd-handler"
    }
    debtor = open_case(national, subject="debtor", debtor=large_debtor())
    assert set(permissions.supervised_people(debtor).values_list("username", flat=True)) == {
        "debtor-demo"
    }


@pytest.mark.parametrize(
    ("subject", "allowed", "refused"),
    [
        (
            "region",
            ["gd-intake", "admin"],
            ["gd-handler", "js-intake", "supervisor", "debtor-demo"],
        ),
        ("department", ["gd-handler", "admin"], ["gd-intake", "js-handler", "supervisor"]),
        ("debtor", ["debtor-demo", "admin"], ["sme-demo", "gd-intake", "supervisor"]),
    ],
)
def test_progress_permission_matrix(national, user, subject, allowed, refused):
    extra = {
        "region": {},
        "department": {"department": department(GD_FINANCE)},
        "debtor": {"debtor": large_debtor()},
    }[subject]
    case = open_case(national, subject=subject, **extra)
    for username in refused:
        before = counts()
        with pytest.raises(PermissionDenied):
            services.case_record_progress(actor=user(username), case=case, text="已清偿")
        assert counts() == before, username
    for version, username in enumerate(allowed):
        case = services.case_record_progress(
            actor=user(username), case=case, text=f"进展 {username}", version=version
        )
    assert case.version == len(allowed)
    assert case.events.filter(action="progress").count() == len(allowed)
    assert AuditEvent.objects.filter(
        verb="supervision.case_progress", target_id=str(case.pk)
    ).count() == len(allowed)


def test_progress_notifies_the_opener(national, user, django_capture_on_commit_callbacks):
    case = open_case(national)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_record_progress(actor=user("gd-intake"), case=case, text="已清偿 1 亿元")
    assert Notification.objects.filter(
        recipient=national, dedup_key__startswith=f"supervision-case:{case.pk}:progress"
    ).exists()


def test_progress_refusals(national, user):
    case = open_case(national)
    intake = user("gd-intake")
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.case_record_progress(actor=intake, case=case, text="  ")
    assert "text" in error.value.message_dict
    services.case_record_progress(actor=intake, case=case, text="第一次", version=0)
    with pytest.raises(services.CaseStale):
        services.case_record_progress(actor=intake, case=case, text="旧版本", version=0)
    services.case_lift(actor=national, case=case, note="已清零")
    closed = counts()
    with pytest.raises(services.CaseConflict):
        services.case_record_progress(actor=intake, case=case, text="关闭后")
    assert counts() == closed != before


# --- interview, lifting -------------------------------------------------------------------


def test_interview_recorded_by_the_opening_organisation_or_above(gd_supervisor, user):
    case = open_case(gd_supervisor, kind="interview", minutes="")
    gz = make_official("gz-supervisor", GZ)
    js = make_official("js-supervisor", JS)
    for actor in (gz, js, user("gd-intake")):
        before = counts()
        with pytest.raises(PermissionDenied):
            services.case_record_interview(
                actor=actor,
                case=case,
                interview_on=date(2026, 10, 15),
                participants="甲",
                minutes="乙",
            )
        assert counts() == before
    case = services.case_record_interview(
        actor=user("supervisor"),
        case=case,
        interview_on=date(2026, 10, 16),
        participants="省政府分管负责同志",
        minutes="约谈纪要",
        commitments="年底前清零",
        version=0,
    )
    assert (case.interview_on, case.minutes, case.commitments, case.version) == (
        date(2026, 10, 16),
        "约谈纪要",
        "年底前清零",
        1,
    )
    assert AuditEvent.objects.filter(verb="supervision.case_interview").exists()


def test_interview_refusals(gd_supervisor):
    listed = open_case(gd_supervisor)
    with pytest.raises(services.CaseConflict):
        services.case_record_interview(
            actor=gd_supervisor,
            case=listed,
            interview_on=date(2026, 1, 5),
            participants="甲",
            minutes="乙",
        )
    case = open_case(gd_supervisor, kind="interview")
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.case_record_interview(
            actor=gd_supervisor, case=case, interview_on=None, participants="", minutes=""
        )
    assert {"interview_on", "participants", "minutes"} <= set(error.value.message_dict)
    assert counts() == before


@pytest.mark.parametrize(
    ("kind", "state"),
    [("listed", SupervisionCase.State.LIFTED), ("interview", SupervisionCase.State.CONCLUDED)],
)
def test_lift_closes_the_case(gd_supervisor, kind, state):
    case = open_case(gd_supervisor, kind=kind, on=date(2026, 3, 2))
    with pytest.raises(ValidationError) as error:
        services.case_lift(actor=gd_supervisor, case=case, note="")
    assert "note" in error.value.message_dict
    case = services.case_lift(
        actor=gd_supervisor, case=case, note="已达到摘牌条件", on=date(2026, 3, 20)
    )
    assert case.state == state and case.closed_on == date(2026, 3, 20) and case.version == 1
    audit = AuditEvent.objects.filter(verb="supervision.case_lift", target_id=str(case.pk)).get()
    assert audit.payload["to"] == state and audit.payload["met"] is True
    with pytest.raises(services.CaseConflict):
        services.case_lift(actor=gd_supervisor, case=case, note="再次")


def test_lift_permission(gd_supervisor, user):
    case = open_case(gd_supervisor)
    for actor in (make_official("gz-supervisor", GZ), user("gd-intake"), user("debtor-demo")):
        with pytest.raises(PermissionDenied):
            services.case_lift(actor=actor, case=case, note="x")
    assert services.case_lift(actor=user("admin"), case=case, note="国家层面摘牌").state == "lifted"


# --- notices: four eyes -------------------------------------------------------------------


def test_notice_draft_freezes_the_figures(national, user):
    case = open_case(national, due_working_days=5, on=date(2026, 9, 24))
    services.case_record_progress(actor=user("gd-intake"), case=case, text="进展")
    notice = services.notice_draft(
        actor=national, case=case, title="关于广东省的通报", text="通报正文"
    )
    assert notice.state == PublicNotice.State.PENDING
    assert notice.figures["region_code"] == "440000"
    assert notice.figures["opened_on"] == "2026-09-24"
    assert notice.figures["due_on"] == "2026-10-09"
    assert notice.figures["state"] == "open"
    assert notice.figures["progress_updates"] == 1
    assert notice.figures["subject"] == "广东省"
    services.case_record_progress(actor=user("gd-intake"), case=case, text="再次进展")
    notice.refresh_from_db()
    assert notice.figures["progress_updates"] == 1


def test_notice_draft_refusals(gd_supervisor, user):
    case = open_case(gd_supervisor)
    gz = make_official("gz-supervisor", GZ)
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.notice_draft(actor=gd_supervisor, case=case, title="", text="")
    assert {"title", "text"} <= set(error.value.message_dict)
    for actor in (user("gd-intake"), gz):
        with pytest.raises(PermissionDenied):
            services.notice_draft(actor=actor, case=case, title="t", text="x")
    assert counts() == before


def test_notice_needs_four_eyes(gd_supervisor, user):
    case = open_case(gd_supervisor)
    notice = services.notice_draft(actor=gd_supervisor, case=case, title="通报", text="正文")
    others = [make_official("gz-supervisor", GZ), make_official("js-supervisor", JS)]
    before = counts()
    with pytest.raises(PermissionDenied):
        services.notice_decide(actor=gd_supervisor, notice=notice, approve=True)
    for actor in [*others, user("gd-intake")]:
        with pytest.raises(PermissionDenied):
            services.notice_decide(actor=actor, notice=notice, approve=True)
    assert counts() == before
    colleague = make_official("gd-supervisor-2", GD)
    with pytest.raises(ValidationError) as error:
        services.notice_decide(actor=colleague, notice=notice, approve=False, note=" ")
    assert "note" in error.value.message_dict
    notice = services.notice_decide(actor=colleague, notice=notice, approve=True)
    assert notice.state == PublicNotice.State.APPROVED and notice.decided_by == colleague
    assert AuditEvent.objects.filter(
        verb="supervision.notice_decide", target_id=str(notice.pk)
    ).exists()
    with pytest.raises(services.CaseConflict):
        services.notice_decide(actor=user("supervisor"), notice=notice, approve=False, note="迟了")


def test_higher_level_rejects_with_a_note(gd_supervisor, user):
    case = open_case(gd_supervisor)
    notice = services.notice_draft(actor=gd_supervisor, case=case, title="通报", text="正文")
    notice = services.notice_decide(
        actor=user("supervisor"), notice=notice, approve=False, note="数据需核实"
    )
    assert notice.state == PublicNotice.State.REJECTED and notice.decision_note == "数据需核实"


def test_a_lower_level_draft_cannot_be_decided_from_below(national):
    """A national supervisor's draft on a Guangdong case: a Guangdong supervisor is below it."""
    case = open_case(make_official("gd-supervisor", GD))
    notice = services.notice_draft(actor=national, case=case, title="通报", text="正文")
    with pytest.raises(PermissionDenied):
        services.notice_decide(
            actor=make_official("gd-supervisor-2", GD), notice=notice, approve=True
        )


# --- visibility ---------------------------------------------------------------------------


def test_visibility_by_scope(gd_supervisor, user):
    region = open_case(gd_supervisor, region_code="440100")
    debtor = open_case(gd_supervisor, subject="debtor", debtor=large_debtor())
    for username in ("gd-intake", "gd-handler", "supervisor", "admin"):
        assert {region.pk, debtor.pk} <= set(
            selectors.case_list(actor=user(username)).values_list("pk", flat=True)
        )
        assert selectors.case_get(actor=user(username), pk=region.pk) == region
    for username in ("js-intake", "sme-demo"):
        assert not selectors.case_list(actor=user(username)).exists()
        with pytest.raises(Http404):
            selectors.case_get(actor=user(username), pk=region.pk)
    representative = user("debtor-demo")
    assert list(selectors.case_list(actor=representative)) == [debtor]
    with pytest.raises(Http404):
        selectors.case_get(actor=representative, pk=region.pk)
    with pytest.raises(Http404):
        selectors.case_get(actor=user("gd-intake"), pk=2**70)


def test_case_list_filters(gd_supervisor, user):
    listed = open_case(gd_supervisor)
    interview = open_case(gd_supervisor, kind="interview")
    services.case_lift(actor=gd_supervisor, case=listed, note="摘牌")
    intake = user("gd-intake")
    cases = selectors.case_list(actor=intake)
    assert list(CaseFilter({"kind": "interview"}, queryset=cases).qs) == [interview]
    assert list(CaseFilter({"state": "lifted"}, queryset=cases).qs) == [listed]


def test_notices_are_for_officials_in_scope(gd_supervisor, user):
    case = open_case(gd_supervisor, subject="debtor", debtor=large_debtor())
    notice = services.notice_draft(actor=gd_supervisor, case=case, title="通报", text="正文")
    assert selectors.notice_get(actor=user("gd-intake"), pk=notice.pk) == notice
    for username in ("js-intake", "debtor-demo", "sme-demo"):
        with pytest.raises(Http404):
            selectors.notice_get(actor=user(username), pk=notice.pk)


# --- calendar changes ---------------------------------------------------------------------


def test_due_dates_move_when_the_calendar_changes(gd_supervisor, user):
    case = open_case(gd_supervisor, due_working_days=5, on=date(2026, 9, 24))
    closed = open_case(gd_supervisor, due_working_days=5, on=date(2026, 9, 24))
    services.case_lift(actor=gd_supervisor, case=closed, note="摘牌")
    # A new holiday on Thu 10-8: the fifth working day becomes Sat 10-10 (a make-up day).
    calendar_set_day(actor=user("admin"), date=date(2026, 10, 8), kind="holiday", name="test")
    case.refresh_from_db()
    closed.refresh_from_db()
    assert case.due_on == date(2026, 10, 10)
    assert case.version == 1
    assert closed.due_on == date(2026, 10, 9)
    assert services.recompute_open_cases({2026}) == 0  # nothing left to move


def test_provisional_due_dates_are_recomputed_when_the_year_is_entered(gd_supervisor, user):
    case = open_case(gd_supervisor, due_working_days=30, on=date(2026, 12, 10))
    assert case.due_provisional
    calendar_import(
        actor=user("admin"),
        year_rows=[(date(2027, 1, 1), "holiday", "元旦"), (date(2027, 1, 4), "holiday", "test")],
    )
    case.refresh_from_db()
    assert not case.due_provisional
    assert "PROVISIONAL" not in case.due_rule


# --- reminders ----------------------------------------------------------------------------


def test_reminders_are_sent_once(national, user):
    soon = open_case(national, due_working_days=5, on=date(2026, 9, 24))  # due 10-09
    late = open_case(national, due_working_days=1, on=date(2026, 9, 21))  # due 9-22
    far = open_case(national, due_working_days=60, on=date(2026, 9, 24))
    day = date(2026, 9, 30)  # 10-09 is 2 working days away (10-08, 10-09)
    sent = send_case_reminders(day)
    keys = set(
        Notification.objects.filter(dedup_key__startswith="supervision-case:").values_list(
            "dedup_key", flat=True
        )
    )
    assert f"supervision-case:{soon.pk}:due-soon:2026-10-09" in keys
    assert f"supervision-case:{late.pk}:breached:2026-09-22" in keys
    assert not any(key.startswith(f"supervision-case:{far.pk}:") for key in keys)
    recipients = set(
        Notification.objects.filter(
            dedup_key__startswith=f"supervision-case:{soon.pk}:"
        ).values_list("recipient__username", flat=True)
    )
    assert {"gd-intake", "supervisor"} <= recipients
    assert (
        sent == Notification.objects.filter(dedup_key__startswith="supervision-case:").count() > 0
    )
    assert send_case_reminders(day) == 0
    assert AuditEvent.objects.filter(verb="supervision.remind").count() == 1


def test_no_reminders_for_closed_cases(national):
    case = open_case(national, due_working_days=1, on=date(2026, 9, 21))
    services.case_lift(actor=national, case=case, note="摘牌")
    assert send_case_reminders(date(2026, 9, 30)) == 0


def test_the_reminder_task_runs_the_job(national):
    from qingqian.supervision.cases.tasks import case_reminders_task

    open_case(national, due_working_days=1, on=date(2026, 9, 21))
    assert case_reminders_task.call("2026-09-30") > 0
    assert case_reminders_task.call("2026-09-30") == 0
