"""The supervision cases API: scope (404), permissions (403), field errors (400),
state and version conflicts (409), and the four-eyes notice decision."""

from __future__ import annotations

import pytest

from qingqian.accounts.models import Organisation
from qingqian.supervision.models import CaseEvent, PublicNotice, SupervisionCase
from tests.supervision.test_cases import GD, GD_FINANCE, large_debtor, make_official, open_case

CASES = "/api/v1/supervision/cases/"
NOTICES = "/api/v1/supervision/notices/"


@pytest.fixture
def gd_supervisor(db):
    return make_official("gd-supervisor", GD)


@pytest.fixture
def case(gd_supervisor):
    return open_case(gd_supervisor, title="广东省挂牌督办")


def listed(**overrides) -> dict:
    return {
        "kind": "listed",
        "subject": "region",
        "region_code": "440100",
        "title": "广州市挂牌督办",
        "reason": "逾期未办结投诉过多",
        "due_working_days": 15,
        "listed_items": "市属国企欠款",
        "lift_conditions": "全部清偿",
        **overrides,
    }


def test_open_and_read_a_case(api_client_for, gd_supervisor):
    client = api_client_for("gd-supervisor")
    response = client.post(CASES, listed(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "open" and body["region_code"] == "440100"
    assert body["opening_organisation"]["name"] == GD
    assert body["due_working_days"] == 15 and body["due_on"]
    assert [event["action"] for event in body["events"]] == ["opened"]
    detail = api_client_for("gd-intake").get(f"{CASES}{body['id']}/")
    assert detail.status_code == 200 and detail.json()["title"] == "广州市挂牌督办"


def test_open_a_department_and_a_debtor_case_by_id(api_client_for, gd_supervisor):
    client = api_client_for("gd-supervisor")
    department = Organisation.objects.get(name=GD_FINANCE)
    response = client.post(
        CASES,
        listed(subject="department", region_code="", department=department.pk),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["department"]["id"] == department.pk
    response = client.post(
        CASES,
        {
            "kind": "interview",
            "subject": "debtor",
            "debtor": large_debtor().pk,
            "title": "约谈",
            "reason": "拒不配合",
            "due_working_days": 10,
            "interview_on": "2026-12-01",
            "participants": "法定代表人",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["debtor"]["id"] == large_debtor().pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_working_days": 0}, "due_working_days"),
        ({"due_working_days": 2**70}, "due_working_days"),
        ({"due_working_days": "many"}, "due_working_days"),
        ({"title": "x" * 5000}, "title"),
        ({"reason": "x" * 20000}, "reason"),
        ({"title": ""}, "title"),
        ({"kind": "warning"}, "kind"),
        ({"region_code": "4401000"}, "region_code"),
        ({"region_code": "440103"}, "region_code"),
        ({"region_code": "320000"}, "region_code"),
        ({"listed_items": ""}, "listed_items"),
        ({"subject": "department", "department": 2**70}, "department"),
        ({"subject": "department", "department": 999999}, "department"),
        ({"subject": "debtor", "debtor": -1}, "debtor"),
        ({"kind": "interview", "interview_on": "2026-13-45", "participants": "x"}, "interview_on"),
        ({"kind": "interview", "participants": "x"}, "interview_on"),
    ],
)
def test_open_refusals_are_400_naming_the_field(api_client_for, gd_supervisor, overrides, field):
    before = SupervisionCase.objects.count()
    response = api_client_for("gd-supervisor").post(CASES, listed(**overrides), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert SupervisionCase.objects.count() == before


@pytest.mark.parametrize("username", ["gd-intake", "gd-handler", "sme-demo", "debtor-demo"])
def test_only_supervisors_open(api_client_for, username):
    response = api_client_for(username).post(CASES, listed(), format="json")
    assert response.status_code == 403


def test_list_is_scoped_and_filtered(api_client_for, gd_supervisor, case):
    interview = open_case(gd_supervisor, kind="interview")
    page = api_client_for("gd-intake").get(CASES).json()
    assert {case.pk, interview.pk} <= {row["id"] for row in page["results"]}
    page = api_client_for("gd-intake").get(CASES, {"kind": "interview"}).json()
    assert [row["id"] for row in page["results"]] == [interview.pk]
    assert api_client_for("gd-intake").get(CASES, {"state": "nonsense"}).status_code == 400
    for username in ("js-intake", "sme-demo", "debtor-demo"):
        assert api_client_for(username).get(CASES).json()["count"] == 0
        assert api_client_for(username).get(f"{CASES}{case.pk}/").status_code == 404
    assert api_client_for("gd-intake").get(f"{CASES}{2**70}/").status_code == 404


def test_progress_lift_and_conflicts(api_client_for, gd_supervisor, case):
    intake = api_client_for("gd-intake")
    response = intake.post(f"{CASES}{case.pk}/progress/", {"text": ""}, format="json")
    assert response.status_code == 400 and "text" in response.json()["fields"]
    response = intake.post(
        f"{CASES}{case.pk}/progress/", {"text": "已清偿", "version": 0}, format="json"
    )
    assert response.status_code == 200 and response.json()["version"] == 1
    stale = intake.post(f"{CASES}{case.pk}/progress/", {"text": "旧", "version": 0}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert (
        api_client_for("gd-handler")
        .post(f"{CASES}{case.pk}/progress/", {"text": "x"}, format="json")
        .status_code
        == 403
    )
    assert (
        api_client_for("js-intake")
        .post(f"{CASES}{case.pk}/progress/", {"text": "x"}, format="json")
        .status_code
        == 404
    )
    assert intake.post(f"{CASES}{case.pk}/lift/", {"note": "x"}, format="json").status_code == 403
    # A listed supervision has no interview to record.
    manager = api_client_for("gd-supervisor")
    response = manager.post(
        f"{CASES}{case.pk}/interview/",
        {"interview_on": "2026-12-01", "participants": "甲", "minutes": "乙"},
        format="json",
    )
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    response = manager.post(f"{CASES}{case.pk}/lift/", {"note": "已摘牌"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "lifted"
    again = manager.post(f"{CASES}{case.pk}/lift/", {"note": "再次"}, format="json")
    assert again.status_code == 409
    assert CaseEvent.objects.filter(case=case).count() == 3  # opened, progress, lifted


def test_record_interview(api_client_for, gd_supervisor):
    case = open_case(gd_supervisor, kind="interview")
    manager = api_client_for("gd-supervisor")
    response = manager.post(f"{CASES}{case.pk}/interview/", {"interview_on": "x"}, format="json")
    assert response.status_code == 400
    assert {"interview_on", "participants", "minutes"} <= set(response.json()["fields"])
    response = manager.post(
        f"{CASES}{case.pk}/interview/",
        {
            "interview_on": "2026-12-01",
            "participants": "分管副省长",
            "minutes": "纪要",
            "commitments": "年内清零",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["minutes"] == "纪要" and response.json()["commitments"] == "年内清零"


def test_notice_four_eyes(api_client_for, gd_supervisor, case):
    drafter = api_client_for("gd-supervisor")
    response = drafter.post(f"{CASES}{case.pk}/notices/", {"title": "", "text": ""}, format="json")
    assert response.status_code == 400 and {"title", "text"} <= set(response.json()["fields"])
    assert (
        api_client_for("gd-intake")
        .post(f"{CASES}{case.pk}/notices/", {"title": "t", "text": "x"}, format="json")
        .status_code
        == 403
    )
    response = drafter.post(
        f"{CASES}{case.pk}/notices/", {"title": "通报", "text": "正文"}, format="json"
    )
    assert response.status_code == 201
    notice = response.json()
    assert notice["state"] == "pending" and notice["figures"]["region_code"] == "440000"
    decide = f"{NOTICES}{notice['id']}/decide/"
    assert drafter.post(decide, {"approve": True}, format="json").status_code == 403
    make_official("gd-supervisor-2", GD)
    colleague = api_client_for("gd-supervisor-2")
    response = colleague.post(decide, {"approve": False, "note": ""}, format="json")
    assert response.status_code == 400 and "note" in response.json()["fields"]
    assert colleague.post(decide, {"approve": "maybe"}, format="json").status_code == 400
    response = colleague.post(decide, {"approve": True}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "approved"
    assert colleague.post(decide, {"approve": True}, format="json").status_code == 409
    assert PublicNotice.objects.get(pk=notice["id"]).decided_by.username == "gd-supervisor-2"
    listing = api_client_for("gd-intake").get(NOTICES).json()
    assert notice["id"] in [row["id"] for row in listing["results"]]
    assert api_client_for("gd-intake").get(f"{NOTICES}{notice['id']}/").status_code == 200
    assert len(api_client_for("gd-intake").get(f"{CASES}{case.pk}/notices/").json()) == 1
    for username in ("js-intake", "debtor-demo"):
        assert api_client_for(username).get(f"{NOTICES}{notice['id']}/").status_code == 404


def test_unknown_fields_are_refused(api_client_for, gd_supervisor, case):
    response = api_client_for("gd-supervisor").post(
        CASES, listed(deadline="2026-12-31"), format="json"
    )
    assert response.status_code == 400 and "deadline" in response.json()["fields"]
    response = api_client_for("gd-intake").post(
        f"{CASES}{case.pk}/progress/", {"text": "x", "state": "lifted"}, format="json"
    )
    assert response.status_code == 400 and "state" in response.json()["fields"]


def test_anonymous_is_refused(client, api_client_for, case):
    assert client.get(CASES).status_code == 401
    assert client.post(f"{CASES}{case.pk}/progress/", {"text": "x"}).status_code == 401
