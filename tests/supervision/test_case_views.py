"""The supervision case pages: who sees what, forms with their errors, CSRF, exports."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from qingqian.supervision.cases import selectors, services
from qingqian.supervision.models import CaseEvent, PublicNotice, SupervisionCase
from tests.supervision.test_cases import GD, GZ, large_debtor, make_official, open_case

ROLES = ["admin", "supervisor", "gd-intake", "gd-handler", "js-intake", "sme-demo", "debtor-demo"]


@pytest.fixture
def gd_supervisor(db):
    return make_official("gd-supervisor", GD)


@pytest.fixture
def case(gd_supervisor):
    return open_case(gd_supervisor, title="广东省挂牌督办测试")


@pytest.mark.parametrize("username", ROLES)
def test_list_renders_for_every_role(client_for, case, username):
    response = client_for(username).get("/supervision/cases/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<caption" in body
    sees = username in {"admin", "supervisor", "gd-intake", "gd-handler"}
    assert ("广东省挂牌督办测试" in body) == sees


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 200),
        ("supervisor", 200),
        ("gd-intake", 200),
        ("gd-handler", 200),
        ("js-intake", 404),
        ("sme-demo", 404),
        ("debtor-demo", 404),
    ],
)
def test_case_page_by_role(client_for, case, username, status):
    response = client_for(username).get(f"/supervision/cases/{case.pk}/")
    assert response.status_code == status


def test_case_page_shows_the_forms_of_whoever_may_act(client_for, gd_supervisor, case):
    client = Client()
    client.force_login(gd_supervisor)
    manager = client.get(f"/supervision/cases/{case.pk}/").content.decode()
    assert 'data-testid="case-lift"' in manager and 'data-testid="case-notice"' in manager
    assert 'data-testid="case-interview"' not in manager  # a listed supervision
    assert case.due_on.isoformat() in manager
    supervised = client_for("gd-intake").get(f"/supervision/cases/{case.pk}/").content.decode()
    assert 'data-testid="case-progress"' in supervised
    assert 'data-testid="case-lift"' not in supervised
    handler = client_for("gd-handler").get(f"/supervision/cases/{case.pk}/").content.decode()
    assert 'data-testid="case-progress"' not in handler


def test_debtor_sees_its_own_case(client_for, gd_supervisor):
    case = open_case(gd_supervisor, subject="debtor", debtor=large_debtor(), title="粤海城建约谈")
    client = client_for("debtor-demo")
    assert "粤海城建约谈" in client.get("/supervision/cases/").content.decode()
    page = client.get(f"/supervision/cases/{case.pk}/").content.decode()
    assert 'data-testid="case-progress"' in page
    assert 'data-testid="case-notices"' not in page


def test_deadline_shown_in_working_days(gd_supervisor):
    case = open_case(gd_supervisor, due_working_days=5, on=date(2026, 9, 24))
    client = Client()
    client.force_login(gd_supervisor)
    page = client.get(f"/supervision/cases/{case.pk}/").content.decode()
    assert "2026-10-09" in page
    status = selectors.deadline_status(case, timezone.localdate())
    number = status["days_overdue"] if status["overdue"] else status["working_days_left"]
    deadline = page.split('data-testid="case-deadline"')[1].split("</dd>")[0]
    assert str(number) in deadline


@pytest.mark.parametrize("username", ["gd-intake", "gd-handler", "sme-demo", "debtor-demo"])
def test_new_case_form_is_for_supervisors(client_for, username):
    assert client_for(username).get("/supervision/cases/new/").status_code == 403
    assert client_for(username).post("/supervision/cases/new/", {}).status_code == 403


def test_new_case_form_prefills_from_the_query(client_for):
    response = client_for("supervisor").get(
        "/supervision/cases/new/?subject=region&region_code=440000&title=%E6%BB%9E%E5%90%8E"
        "&reason=on-time+rate+below+80%25&kind=interview"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="region_code"' in body and 'value="440000"' in body
    assert 'value="滞后"' in body
    assert "on-time rate below 80%" in body
    assert '<option value="interview" selected>' in body
    assert 'data-testid="case-open"' in body


def test_new_case_form_shows_field_errors(client_for):
    before = SupervisionCase.objects.count()
    response = client_for("supervisor").post(
        "/supervision/cases/new/",
        {
            "kind": "listed",
            "subject": "region",
            "region_code": "440103",
            "title": "",
            "reason": "滞后",
            "due_working_days": "20",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_title_error"' in body
    assert 'aria-describedby="id_title_error"' in body
    assert 'aria-invalid="true"' in body
    assert SupervisionCase.objects.count() == before
    # The form is valid but the service refuses: its errors land on the fields it names.
    response = client_for("supervisor").post(
        "/supervision/cases/new/",
        {
            "kind": "listed",
            "subject": "region",
            "region_code": "440103",
            "title": "标题",
            "reason": "滞后",
            "due_working_days": "20",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_region_code_error"' in body
    assert 'id="id_listed_items_error"' in body
    assert SupervisionCase.objects.count() == before


def test_open_a_case_through_the_form(client_for):
    response = client_for("supervisor").post(
        "/supervision/cases/new/",
        {
            "kind": "interview",
            "subject": "debtor",
            "debtor": large_debtor().uscc.lower(),
            "title": "约谈粤海城建",
            "reason": "多次投诉未处理",
            "due_working_days": "10",
            "interview_on": "2026-10-20",
            "participants": "财务负责人",
        },
    )
    assert response.status_code == 302
    case = SupervisionCase.objects.get(title="约谈粤海城建")
    assert response["Location"] == f"/supervision/cases/{case.pk}/"
    assert case.debtor == large_debtor() and case.interview_on == date(2026, 10, 20)


def test_progress_and_lift_through_the_pages(client_for, gd_supervisor, case):
    response = client_for("gd-intake").post(
        f"/supervision/cases/{case.pk}/act/progress/", {"text": "已清偿 5000 万元", "version": "0"}
    )
    assert response.status_code == 302
    assert case.events.filter(action="progress").count() == 1
    # A stale form: the message says so, nothing is written.
    response = client_for("gd-intake").post(
        f"/supervision/cases/{case.pk}/act/progress/", {"text": "旧页面", "version": "0"}
    )
    assert response.status_code == 302
    assert case.events.filter(action="progress").count() == 1
    # Refused with a field error.
    manager = Client()
    manager.force_login(gd_supervisor)
    response = manager.post(f"/supervision/cases/{case.pk}/act/lift/", {"note": ""})
    assert response.status_code == 400
    assert 'id="lift_note_error"' in response.content.decode()
    # Someone who may not lift.
    assert (
        client_for("gd-intake")
        .post(f"/supervision/cases/{case.pk}/act/lift/", {"note": "x"})
        .status_code
        == 403
    )
    response = manager.post(f"/supervision/cases/{case.pk}/act/lift/", {"note": "已达到条件"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == SupervisionCase.State.LIFTED


def test_unknown_action_and_get_are_refused(client_for, case):
    client = client_for("supervisor")
    assert client.post(f"/supervision/cases/{case.pk}/act/delete/", {}).status_code == 404
    assert client.get(f"/supervision/cases/{case.pk}/act/lift/").status_code == 405
    assert (
        client_for("js-intake")
        .post(f"/supervision/cases/{case.pk}/act/progress/", {"text": "x"})
        .status_code
        == 404
    )


def test_csrf_is_enforced(gd_supervisor, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(gd_supervisor)
    before = CaseEvent.objects.count()
    assert client.post(f"/supervision/cases/{case.pk}/act/lift/", {"note": "x"}).status_code == 403
    assert client.post("/supervision/cases/new/", {"title": "x"}).status_code == 403
    assert CaseEvent.objects.count() == before


def test_notice_draft_and_four_eyes_decision(client_for, gd_supervisor, case):
    drafter = Client()
    drafter.force_login(gd_supervisor)
    response = drafter.post(
        f"/supervision/cases/{case.pk}/act/notice/", {"title": "关于广东省的通报", "text": "正文"}
    )
    notice = PublicNotice.objects.get(case=case)
    assert (
        response.status_code == 302 and response["Location"] == f"/supervision/notices/{notice.pk}/"
    )
    page = drafter.get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert 'data-testid="notice-decide"' not in page  # four eyes
    assert (
        drafter.post(
            f"/supervision/notices/{notice.pk}/decide/", {"decision": "approved"}
        ).status_code
        == 403
    )
    colleague = Client()
    colleague.force_login(make_official("gd-supervisor-2", GD))
    page = colleague.get(f"/supervision/notices/{notice.pk}/").content.decode()
    assert 'data-testid="notice-decide"' in page and "440000" in page
    response = colleague.post(f"/supervision/notices/{notice.pk}/decide/", {"decision": "rejected"})
    assert response.status_code == 400
    assert 'id="decide_note_error"' in response.content.decode()
    response = colleague.post(f"/supervision/notices/{notice.pk}/decide/", {"decision": "approved"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == PublicNotice.State.APPROVED
    for username in ("js-intake", "debtor-demo", "sme-demo"):
        assert client_for(username).get(f"/supervision/notices/{notice.pk}/").status_code == 404


def test_lower_level_cannot_see_forms_or_draft(gd_supervisor, case):
    gz = Client()
    gz.force_login(make_official("gz-supervisor", GZ))
    # Guangzhou's scope does not cover a province-wide case.
    assert gz.get(f"/supervision/cases/{case.pk}/").status_code == 404


def test_export_csv_contains_the_case(client_for, case):
    response = client_for("gd-intake").get("/supervision/cases/export.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any(row[0] == str(case.pk) and "广东省挂牌督办测试" in row for row in rows[1:])
    other = client_for("js-intake").get("/supervision/cases/export.csv")
    assert "广东省挂牌督办测试" not in b"".join(other.streaming_content).decode("utf-8-sig")


def test_export_xlsx_and_unknown_format(client_for, case):
    client = client_for("supervisor")
    response = client.get("/supervision/cases/export.xlsx?state=open")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert client.get("/supervision/cases/export.pdf").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, case):
    response = client.get("/supervision/cases/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_closed_case_shows_no_action_forms(client_for, gd_supervisor, case):
    services.case_lift(actor=gd_supervisor, case=case, note="摘牌")
    page = client_for("gd-intake").get(f"/supervision/cases/{case.pk}/").content.decode()
    assert 'data-testid="case-progress"' not in page
    response = client_for("gd-intake").post(
        f"/supervision/cases/{case.pk}/act/progress/", {"text": "x"}
    )
    assert response.status_code == 302
    assert case.events.filter(action="progress").count() == 0
