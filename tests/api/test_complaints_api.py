"""The complaints API: every action for its role, and every kind of refusal
(409 state, 403 role, 404 scope, 400 body) writing nothing."""

import itertools
from datetime import date, timedelta
from typing import NamedTuple

import pytest
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext

from qingqian.accounts.models import Organisation, User
from qingqian.complaints import services
from qingqian.complaints.models import (
    Complaint,
    ComplaintEvent,
    Deadline,
    Evidence,
    State,
    TrackingCounter,
)
from qingqian.core.models import AuditEvent
from qingqian.demo import demo_uscc
from qingqian.parties.models import Enterprise
from qingqian.supervision.models import ComplaintTally
from tests.files import PDF
from tests.taskqueue import queued_calls, queued_count

DEBTOR = "广东粤海城建集团有限公司"
FINANCE = "广东省财政厅"
NUMBERS = itertools.count(1)
URL = "/api/v1/complaints/"


def draft_fields(**overrides):
    return {
        "debtor": Enterprise.objects.get(name=DEBTOR),
        "contract_number": f"API-{next(NUMBERS):05d}",
        "contract_signed_on": date(2025, 3, 1),
        "subject": "goods",
        "delivered_on": date(2025, 6, 30),
        "payment_due_on": date(2025, 8, 29),
        "amount_owed_fen": 128_000_00,
        "amount_paid_fen": 28_000_00,
        "request_text": "请求支付拖欠货款。",
        "facts_text": "2025年3月签订采购合同，6月30日交货验收，至今未付余款。",
        "undertaking": True,
        "sme_notified_at_signing": "yes",
        **overrides,
    }


def u(username):
    return User.objects.get(username=username)


# Each step: (action, actor, service keyword arguments) leading to the next state.
def _path():
    finance = Organisation.objects.get(name=FINANCE)
    return [
        (State.SUBMITTED, "submit", "sme-demo", {}),
        (State.ACCEPTED, "accept", "gd-intake", {}),
        (State.TRANSFERRED, "transfer", "gd-intake", {"department": finance}),
        (
            State.IN_HANDLING,
            "debtor-response",
            "gd-handler",
            {"confirmed_fen": 1, "disputed_fen": 0},
        ),
        (State.RESULT_REVIEW, "submit-result", "gd-handler", {"kind": "paid", "text": "已付清。"}),
        (State.RESOLVED, "approve-result", "gd-intake", {}),
        (State.CLOSED, "feedback", "sme-demo", {"satisfied": True}),
    ]


def make_complaint(state: str) -> Complaint:
    sme = u("sme-demo")
    complaint = services.complaint_create_draft(
        actor=sme, complainant=sme.enterprise, **draft_fields()
    )
    if state == State.DRAFT:
        return complaint
    if state == State.AWAITING_MATERIAL:
        complaint = services.complaint_submit(actor=sme, complaint=complaint)
        return services.complaint_request_material(
            actor=u("gd-intake"), complaint=complaint, note="请补充合同原件。"
        )
    for reached, action, username, kwargs in _path():
        complaint = services.ACTIONS[action](actor=u(username), complaint=complaint, **kwargs)
        if reached == state:
            return complaint
    raise AssertionError(state)


def counts():
    """Everything a complaint action may write; a refusal changes none of it."""
    return (
        Complaint.objects.count(),
        ComplaintEvent.objects.count(),
        Deadline.objects.count(),
        AuditEvent.objects.count(),
        Evidence.objects.count(),
        Enterprise.objects.count(),
        TrackingCounter.objects.aggregate(n=Sum("last"))["n"],
        ComplaintTally.objects.aggregate(n=Sum("count"))["n"],
        queued_count(),
    )


def in_days(n):
    return (date.today() + timedelta(days=n)).isoformat()


class Case(NamedTuple):
    start: str  # a state the action starts from
    user: str  # who may take it
    body: dict | str  # a valid body ("FINANCE": the department's id)
    after: str  # the state it leads to
    bad: dict  # an invalid body
    field: str  # the field the 400 names
    other: str | None  # in scope, but the role may not act (None: nobody is)
    wrong: str  # a state the action does not start from


CASES = {
    "submit": Case(
        State.DRAFT,
        "sme-demo",
        {},
        State.SUBMITTED,
        {"version": -1},
        "version",
        None,
        State.SUBMITTED,
    ),
    "request-material": Case(
        State.SUBMITTED,
        "gd-intake",
        {"note": "请补充发票。"},
        State.AWAITING_MATERIAL,
        {"note": " "},
        "note",
        "sme-demo",
        State.CLOSED,
    ),
    "resubmit": Case(
        State.AWAITING_MATERIAL,
        "sme-demo",
        {"note": "已补充。"},
        State.SUBMITTED,
        {"version": "x"},
        "version",
        "supervisor",
        State.CLOSED,
    ),
    "accept": Case(
        State.SUBMITTED,
        "gd-intake",
        {},
        State.ACCEPTED,
        {"version": -1},
        "version",
        "sme-demo",
        State.CLOSED,
    ),
    "not-accept": Case(
        State.SUBMITTED,
        "gd-intake",
        {"ground": "taken_up", "note": "已起诉。"},
        State.NOT_ACCEPTED,
        {"ground": "nope", "note": "x"},
        "ground",
        "sme-demo",
        State.CLOSED,
    ),
    "transfer": Case(
        State.ACCEPTED,
        "gd-intake",
        "FINANCE",
        State.TRANSFERRED,
        {"department": 99999999},
        "department",
        "sme-demo",
        State.CLOSED,
    ),
    "return": Case(
        State.TRANSFERRED,
        "gd-handler",
        {"reason": "不属于本部门。", "suggested_department": "省国资委"},
        State.ACCEPTED,
        {"reason": ""},
        "reason",
        "debtor-demo",
        State.CLOSED,
    ),
    "debtor-response": Case(
        State.TRANSFERRED,
        "debtor-demo",
        {"confirmed": "1,000.50", "disputed": "0"},
        State.IN_HANDLING,
        {"confirmed": 1000.5},
        "confirmed",
        "sme-demo",
        State.CLOSED,
    ),
    "extend": Case(
        State.IN_HANDLING,
        "gd-handler",
        {"total_days": 60, "approved_by": "张处长", "reason": "需核实。"},
        State.IN_HANDLING,
        {"total_days": 120, "approved_by": "张处长", "reason": "x"},
        "total_days",
        "debtor-demo",
        State.CLOSED,
    ),
    "supervision-order": Case(
        State.IN_HANDLING,
        "gd-handler",
        {"due_on": in_days(14), "note": "限期支付。"},
        State.IN_HANDLING,
        {"due_on": "2020-01-01", "note": "x"},
        "due_on",
        "debtor-demo",
        State.CLOSED,
    ),
    "submit-result": Case(
        State.IN_HANDLING,
        "gd-handler",
        {"kind": "plan", "text": "已达成还款计划。"},
        State.RESULT_REVIEW,
        {"kind": "x", "text": "y"},
        "kind",
        "debtor-demo",
        State.CLOSED,
    ),
    "approve-result": Case(
        State.RESULT_REVIEW,
        "gd-intake",
        {},
        State.RESOLVED,
        {"version": "abc"},
        "version",
        "gd-handler",
        State.CLOSED,
    ),
    "send-back": Case(
        State.RESULT_REVIEW,
        "gd-intake",
        {"comments": "请补充付款凭证。"},
        State.IN_HANDLING,
        {"comments": ""},
        "comments",
        "gd-handler",
        State.CLOSED,
    ),
    "feedback": Case(
        State.RESOLVED,
        "sme-demo",
        {"satisfied": False, "comment": "尚未到账。"},
        State.CLOSED,
        {},
        "satisfied",
        "gd-intake",
        State.SUBMITTED,
    ),
    "reopen": Case(
        State.RESOLVED,
        "sme-demo",
        {"new_facts": "对方未按计划付款。"},
        State.ACCEPTED,
        {"new_facts": ""},
        "new_facts",
        "gd-intake",
        State.SUBMITTED,
    ),
    "withdraw": Case(
        State.SUBMITTED,
        "sme-demo",
        {"reason": "已和解。"},
        State.TERMINATED,
        {"version": -5},
        "version",
        "gd-intake",
        State.CLOSED,
    ),
    "terminate": Case(
        State.SUBMITTED,
        "gd-intake",
        {"reason": "已向法院起诉。"},
        State.TERMINATED,
        {"reason": ""},
        "reason",
        "sme-demo",
        State.CLOSED,
    ),
}


def body_for(action):
    body = CASES[action][2]
    if body == "FINANCE":
        return {"department": Organisation.objects.get(name=FINANCE).pk}
    return body


def post_action(client, complaint, action, body):
    return client.post(f"{URL}{complaint.pk}/{action}/", body, format="json")


def test_every_action_has_a_case():
    assert set(CASES) == set(services.ACTIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(CASES))
def test_action_happy_path(action, api_client_for):
    start, username, _body, after, *_rest = CASES[action]
    complaint = make_complaint(start)
    events = complaint.events.count()
    body = {**body_for(action), "version": complaint.version}
    response = post_action(api_client_for(username), complaint, action, body)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["state"] == after and data["version"] == complaint.version + 1
    assert complaint.events.count() == events + 1
    assert complaint.events.last().action == action


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(CASES))
def test_action_in_wrong_state_is_409_and_writes_nothing(action, api_client_for):
    _start, username, _body, _after, _bad, _field, _other, wrong = CASES[action]
    complaint = make_complaint(wrong)
    client = api_client_for(username)
    before = counts()
    response = post_action(client, complaint, action, body_for(action))
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "conflict" and response.json()["message"]
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(a for a, case in CASES.items() if case[6]))
def test_action_by_wrong_role_in_scope_is_403_and_writes_nothing(action, api_client_for):
    start, _username, _body, _after, _bad, _field, other, _wrong = CASES[action]
    complaint = make_complaint(start)
    client = api_client_for(other)
    assert client.get(f"{URL}{complaint.pk}/").status_code == 200  # in scope
    before = counts()
    response = post_action(client, complaint, action, body_for(action))
    assert response.status_code == 403, response.json()
    assert response.json()["code"] == "permission_denied"
    # The service's own reason, in the client's language, not DRF's generic sentence.
    with translation.override("zh-hans"):
        assert response.json()["message"] == gettext(
            "You may not take this action on this complaint."
        )
    # A stale version changes nothing: who may never do this is told so.
    stale = {**body_for(action), "version": complaint.version + 5}
    assert post_action(client, complaint, action, stale).status_code == 403
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(CASES))
def test_action_out_of_scope_is_404_before_anything_else(action, api_client_for):
    start, _username, _body, _after, bad, *_rest = CASES[action]
    complaint = make_complaint(start)
    clients = [api_client_for(name) for name in ("js-intake", "sme-demo-2", "js-handler")]
    before = counts()
    for client in clients:
        response = post_action(client, complaint, action, bad)
        assert response.status_code == 404, response.json()
        assert response.json()["code"] == "not_found"
    assert counts() == before
    response = post_action(api_client_for(CASES[action][1]), Complaint(pk=10**9), action, {})
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(CASES))
def test_action_with_invalid_body_is_400_naming_the_field(action, api_client_for):
    start, username, _body, _after, bad, field, *_rest = CASES[action]
    complaint = make_complaint(start)
    client = api_client_for(username)
    before = counts()
    response = post_action(client, complaint, action, bad)
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"], body
    assert counts() == before


@pytest.mark.django_db
def test_stale_version_is_409_stale(api_client_for):
    complaint = make_complaint(State.SUBMITTED)
    client = api_client_for("gd-intake")
    before = counts()
    response = post_action(client, complaint, "accept", {"version": complaint.version - 1})
    assert response.status_code == 409 and response.json()["code"] == "stale"
    assert counts() == before


@pytest.mark.django_db
def test_transfer_to_an_organisation_that_is_not_a_department_is_400(api_client_for):
    complaint = make_complaint(State.ACCEPTED)
    authority = Organisation.objects.get(name="广东省中小企业主管部门")
    client = api_client_for("gd-intake")
    before = counts()
    response = post_action(client, complaint, "transfer", {"department": authority.pk})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"department"}
    assert counts() == before


@pytest.mark.django_db
def test_debtor_response_amounts_are_fen_from_yuan_strings(api_client_for):
    complaint = make_complaint(State.TRANSFERRED)
    client = api_client_for("gd-handler")
    body = {"confirmed": "1,000.50", "disputed": "¥99.01"}
    assert post_action(client, complaint, "debtor-response", body).status_code == 200
    event = complaint.events.last()
    assert event.details == {"confirmed_fen": 100050, "disputed_fen": 9901}
    for bad in ("1.005", "1e3", 12.5, "-1", "abc"):
        complaint = make_complaint(State.TRANSFERRED)
        before = counts()
        response = post_action(client, complaint, "debtor-response", {"confirmed": bad})
        assert response.status_code == 400 and "confirmed" in response.json()["fields"], bad
        assert counts() == before


# --- create, draft edits, detail, list ---------------------------------------------


def known_debtor() -> dict:
    """An SME names a known debtor by its particulars (ids are for officials' scope)."""
    debtor = Enterprise.objects.get(name=DEBTOR)
    return {
        "uscc": debtor.uscc,
        "name": debtor.name,
        "type": debtor.type,
        "region_code": debtor.region_code,
    }


def create_body(**overrides):
    return {
        "channel": "online",
        "debtor": known_debtor(),
        "contract_number": f"API-{next(NUMBERS):05d}",
        "contract_signed_on": "2025-03-01",
        "subject": "goods",
        "delivered_on": "2025-06-30",
        "payment_due_on": "2025-08-29",
        "amount_owed": "128,000.00",
        "amount_paid": "28000",
        "request_text": "请求支付拖欠货款。",
        "facts_text": "交货验收后至今未付余款。",
        "undertaking": True,
        "sme_notified_at_signing": "yes",
        **overrides,
    }


NEW_DEBTOR = {
    "uscc": demo_uscc("440300", 8),
    "name": "深圳某某集团有限公司",
    "type": "large",
    "region_code": "440300",
    "contact_name": "王会计",
}


def by_particulars(enterprise: Enterprise) -> dict:
    return {name: getattr(enterprise, name) for name in ("uscc", "name", "type", "region_code")}


@pytest.mark.django_db
@pytest.mark.parametrize("named", [lambda own: own.pk, by_particulars], ids=["id", "particulars"])
def test_naming_oneself_as_debtor_is_refused_for_that_reason(api_client_for, user, named):
    own = user("sme-demo").enterprise
    response = api_client_for("sme-demo").post(
        URL, create_body(submit=True, debtor=named(own)), format="json"
    )
    assert response.status_code == 400
    with translation.override("zh-hans"):
        expected = gettext("The debtor cannot be the complainant itself.")
    assert response.json()["fields"]["debtor"] == [expected]


@pytest.mark.django_db
def test_sme_creates_and_submits_in_one_request(api_client_for, user):
    response = api_client_for("sme-demo").post(URL, create_body(submit=True), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["state"] == "submitted" and data["tracking_number"].startswith("QQ-")
    assert data["complainant"]["id"] == user("sme-demo").enterprise_id
    assert data["amount_owed"] == "128000.00" and data["amount_paid"] == "28000.00"
    assert [d["stage"] for d in data["deadlines"]] == ["review"]
    assert data["actions"] == ["withdraw"]


@pytest.mark.django_db
def test_filing_in_one_request_is_one_act_on_record(api_client_for):
    """No draft stage is written before a submission made in one request: one
    history event, one audit event, one tracking number, one count of a
    received complaint, and one notification queued with it."""
    client = api_client_for("sme-demo")
    before = counts()
    response = client.post(URL, create_body(submit=True), format="json")
    assert response.status_code == 201, response.json()
    complaint = Complaint.objects.get(pk=response.json()["id"])
    assert [(e.from_state, e.action, e.to_state) for e in complaint.events.all()] == [
        ("draft", "submit", "submitted")
    ]
    audits = AuditEvent.objects.filter(target_type="complaints.complaint", target_id=complaint.pk)
    assert [(a.verb, a.payload["channel"]) for a in audits] == [("complaint.submit", "online")]
    task_path, args = queued_calls()[-1]
    assert task_path.endswith("deliver_event_notifications_task")
    assert args == [complaint.events.get().pk]
    complaints, events, clocks, audit_events, *_, counter, received, tasks = counts()
    assert (complaints, events, clocks, audit_events) == (
        before[0] + 1,
        before[1] + 1,
        before[2] + 1,
        before[3] + 1,
    )
    assert (counter, tasks) == ((before[6] or 0) + 1, before[8] + 1)
    # "received" and "via online", each at the province and the city grain
    assert received == (before[7] or 0) + 4


@pytest.mark.django_db
def test_create_with_a_new_debtor_as_draft(api_client_for):
    response = api_client_for("sme-demo").post(URL, create_body(debtor=NEW_DEBTOR), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["state"] == "draft" and data["tracking_number"] is None
    assert data["debtor"]["uscc"] == NEW_DEBTOR["uscc"]
    assert "submit" in data["actions"]


@pytest.mark.django_db
def test_a_draft_keeps_debtor_particulars_that_name_no_enterprise_yet(api_client_for):
    particulars = {**NEW_DEBTOR, "uscc": "123"}
    enterprises = Enterprise.objects.count()
    response = api_client_for("sme-demo").post(URL, create_body(debtor=particulars), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["debtor"] is None and Enterprise.objects.count() == enterprises
    assert Complaint.objects.get(pk=response.json()["id"]).debtor_as_entered == particulars


@pytest.mark.django_db
def test_a_draft_edit_with_particulars_too_long_to_keep_names_the_debtor(api_client_for):
    client = api_client_for("sme-demo")
    draft = client.post(URL, create_body(), format="json").json()
    particulars = {**NEW_DEBTOR, "uscc": "9" * 25}  # the API takes 30, an enterprise holds 18
    response = client.patch(f"{URL}{draft['id']}/", {"debtor": particulars}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"debtor"}


@pytest.mark.django_db
def test_refused_submission_on_create_writes_nothing_not_even_the_debtor(api_client_for):
    client = api_client_for("sme-demo")
    before = counts()
    response = client.post(
        URL, create_body(debtor=NEW_DEBTOR, facts_text="", submit=True), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"facts_text"}
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"amount_owed": 128000.0}, {"amount_owed"}),
        ({"amount_owed": "1.005"}, {"amount_owed"}),
        ({"amount_paid": "-3"}, {"amount_paid"}),
        ({"amount_paid": "200,000", "submit": True}, {"amount_paid"}),
        ({"debtor": "x"}, {"debtor"}),
        ({"debtor": 10**9}, {"debtor"}),
        ({"debtor": {**NEW_DEBTOR, "uscc": "123"}, "submit": True}, {"debtor.uscc"}),
        ({"debtor": {"name": "x"}}, {"debtor.uscc", "debtor.type", "debtor.region_code"}),
        ({"channel": "pigeon", "contract_signed_on": "soon"}, {"channel", "contract_signed_on"}),
        ({"delivered_on": "2025-01-01", "submit": True}, {"delivered_on"}),
        ({"complainant": 10**9}, {"complainant"}),
    ],
)
def test_create_refusals_name_the_fields(api_client_for, overrides, fields):
    client = api_client_for("sme-demo")
    before = counts()
    response = client.post(URL, create_body(**overrides), format="json")
    assert response.status_code == 400, response.json()
    assert set(response.json()["fields"]) == fields
    assert counts() == before


@pytest.mark.django_db
def test_duplicate_submission_is_refused_with_the_first(api_client_for):
    client = api_client_for("sme-demo")
    body = create_body(submit=True)
    first = client.post(URL, body, format="json").json()
    before = counts()
    response = client.post(URL, body, format="json")
    assert response.status_code == 400
    message = response.json()["fields"]["contract_number"][0]
    assert first["tracking_number"] in message
    assert "<" not in message and "href" not in message  # text, not the web page's link
    assert counts() == before


@pytest.mark.django_db
def test_intake_files_for_an_enterprise_in_scope_only(api_client_for, user):
    client = api_client_for("gd-intake")
    own = Enterprise.objects.get(name="广州市明达机电设备有限公司")
    response = client.post(URL, create_body(complainant=own.pk, channel="phone"), format="json")
    assert response.status_code == 201 and response.json()["channel"] == "phone"
    nanjing = user("sme-js").enterprise
    before = counts()
    response = client.post(URL, create_body(complainant=nanjing.pk), format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"complainant"}
    response = client.post(URL, create_body(), format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"complainant"}
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["debtor-demo", "gd-handler", "supervisor", "admin"])
def test_other_roles_cannot_file(api_client_for, user, username):
    sme = user("sme-demo").enterprise
    client = api_client_for(username)
    before = counts()
    response = client.post(URL, create_body(complainant=sme.pk, debtor=NEW_DEBTOR), format="json")
    assert response.status_code == 403, response.json()
    assert counts() == before


@pytest.mark.django_db
def test_patch_a_draft(api_client_for):
    complaint = make_complaint(State.DRAFT)
    client = api_client_for("sme-demo")
    response = client.patch(
        f"{URL}{complaint.pk}/", {"amount_owed": "200000", "facts_text": "新事实"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["amount_owed"] == "200000.00"
    complaint.refresh_from_db()
    assert complaint.amount_owed_fen == 200_000_00
    before = counts()
    response = client.patch(f"{URL}{complaint.pk}/", {"state": "closed"}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"state"}
    response = client.patch(f"{URL}{complaint.pk}/", {"amount_paid": 1.5}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"amount_paid"}
    assert counts() == before


@pytest.mark.django_db
def test_draft_edits_move_the_version_so_nobody_submits_what_they_did_not_see(api_client_for):
    complaint = make_complaint(State.DRAFT)
    client = api_client_for("sme-demo")
    seen = client.get(f"{URL}{complaint.pk}/").json()["version"]
    edited = client.patch(f"{URL}{complaint.pk}/", {"amount_owed": "999999"}, format="json")
    assert edited.status_code == 200 and edited.json()["version"] == seen + 1
    # Edits and submissions made on the version seen before that edit are stale.
    before = counts()
    stale_edit = {"facts_text": "x", "version": seen}
    assert client.patch(f"{URL}{complaint.pk}/", stale_edit, format="json").status_code == 409
    response = post_action(client, complaint, "submit", {"version": seen})
    assert response.status_code == 409 and response.json()["code"] == "stale"
    assert counts() == before
    response = post_action(client, complaint, "submit", {"version": seen + 1})
    assert response.status_code == 200, response.json()


@pytest.mark.django_db
def test_patch_refusals(api_client_for):
    submitted = make_complaint(State.SUBMITTED)
    draft = make_complaint(State.DRAFT)
    sme, intake = api_client_for("sme-demo"), api_client_for("gd-intake")
    before = counts()
    response = sme.patch(f"{URL}{submitted.pk}/", {"facts_text": "x"}, format="json")
    assert response.status_code == 409
    response = intake.patch(f"{URL}{draft.pk}/", {"facts_text": "x"}, format="json")
    assert response.status_code == 404  # another's draft is nobody else's business
    assert counts() == before


@pytest.mark.django_db
def test_detail_hides_complainant_contact_from_the_debtor(api_client_for):
    complaint = make_complaint(State.TRANSFERRED)
    mine = api_client_for("sme-demo").get(f"{URL}{complaint.pk}/").json()
    assert {"contact_name", "contact_phone", "address"} <= set(mine["complainant"])
    theirs = api_client_for("debtor-demo").get(f"{URL}{complaint.pk}/").json()
    assert not {"contact_name", "contact_phone", "address"} & set(theirs["complainant"])
    assert "size_reason" not in theirs
    assert theirs["actions"] == ["debtor-response"]
    assert theirs["version"] == complaint.version
    assert {d["stage"] for d in theirs["deadlines"]} == {"review", "transfer", "handling"}


@pytest.mark.django_db
def test_events_show_internal_notes_to_officials_only(api_client_for):
    complaint = make_complaint(State.ACCEPTED)
    complaint.events.filter(action="accept").update(internal_note="内部：注意关联投诉")
    for username, sees in [("gd-intake", True), ("sme-demo", False), ("supervisor", True)]:
        response = api_client_for(username).get(f"{URL}{complaint.pk}/events/")
        assert response.status_code == 200
        events = response.json()
        assert [e["action"] for e in events] == ["create-draft", "submit", "accept"]
        notes = [e.get("internal_note") for e in events]
        assert ("内部：注意关联投诉" in notes) is sees
        assert sees or all("internal_note" not in e for e in events)
    assert api_client_for("js-intake").get(f"{URL}{complaint.pk}/events/").status_code == 404


@pytest.mark.django_db
def test_list_filters_and_scope(api_client_for):
    submitted = make_complaint(State.SUBMITTED)
    accepted = make_complaint(State.ACCEPTED)
    client = api_client_for("gd-intake")

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert {submitted.pk, accepted.pk} <= ids()
    assert submitted.pk in ids(state="submitted") and accepted.pk not in ids(state="submitted")
    assert {submitted.pk, accepted.pk} <= ids(province="440000")
    assert not ids(province="320000")
    assert submitted.pk in ids(q=submitted.tracking_number)
    assert ids(q=submitted.tracking_number) == {submitted.pk}
    assert submitted.pk in ids(debtor="粤海")
    assert submitted.pk not in ids(overdue="true")
    assert client.get(URL, {"state": "nonsense"}).status_code == 400
    assert client.get(URL, {"page": 999}).status_code == 404
    assert submitted.pk not in {
        r["id"] for r in api_client_for("js-intake").get(URL).json()["results"]
    }


@pytest.mark.django_db
def test_overdue_filter(api_client_for):
    complaint = make_complaint(State.SUBMITTED)
    complaint.deadlines.update(due_on=date.today() - timedelta(days=3))
    response = api_client_for("gd-intake").get(URL, {"overdue": "true"})
    assert complaint.pk in {row["id"] for row in response.json()["results"]}
    detail = api_client_for("gd-intake").get(f"{URL}{complaint.pk}/").json()
    assert detail["deadlines"][0]["overdue"] is True
    # Paused (awaiting material), the clock is not running: overdue in neither place.
    complaint.deadlines.update(status="paused", paused_since=date.today() - timedelta(days=1))
    response = api_client_for("gd-intake").get(URL, {"overdue": "true"})
    assert complaint.pk not in {row["id"] for row in response.json()["results"]}
    detail = api_client_for("gd-intake").get(f"{URL}{complaint.pk}/").json()
    assert detail["deadlines"][0]["overdue"] is False


# --- evidence -----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_upload_with_too_many_fields_gets_a_json_400(api_client_for, settings):
    complaint = make_complaint(State.SUBMITTED)
    fields = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = api_client_for("sme-demo").generic(
        "POST",
        f"{URL}{complaint.pk}/evidence/",
        fields,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, complaint, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"{URL}{complaint.pk}/evidence/",
        {"file": SimpleUploadedFile(name, data)},
        format="multipart",
    )


@pytest.mark.django_db
def test_evidence_upload_list_and_download(api_client_for, media):
    complaint = make_complaint(State.SUBMITTED)
    client = api_client_for("sme-demo")
    response = upload(client, complaint, "合同.pdf", PDF)
    assert response.status_code == 201, response.json()
    item = response.json()
    assert item["content_type"] == "application/pdf" and len(item["sha256"]) == 64
    listed = client.get(f"{URL}{complaint.pk}/evidence/").json()
    assert [e["id"] for e in listed] == [item["id"]]
    download = api_client_for("gd-intake").get(f"{URL}{complaint.pk}/evidence/{item['id']}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    outsider = api_client_for("js-intake")
    assert outsider.get(f"{URL}{complaint.pk}/evidence/{item['id']}/").status_code == 404
    assert outsider.get(f"{URL}{complaint.pk}/evidence/").status_code == 404
    other = make_complaint(State.SUBMITTED)
    assert client.get(f"{URL}{other.pk}/evidence/{item['id']}/").status_code == 404


@pytest.mark.django_db
def test_evidence_refusals_write_nothing(api_client_for, media):
    complaint = make_complaint(State.SUBMITTED)
    closed = make_complaint(State.CLOSED)
    sme, outsider = api_client_for("sme-demo"), api_client_for("js-intake")
    before = counts()
    response = upload(sme, complaint, "x.exe", b"MZ\x90\x00")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"file"}
    response = sme.post(f"{URL}{complaint.pk}/evidence/", {})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"file"}
    response = upload(outsider, complaint, "a.pdf", PDF)
    assert response.status_code == 404
    response = upload(sme, closed, "a.pdf", PDF)
    assert response.status_code == 403
    assert counts() == before
    assert not list(media.glob("evidence/*"))


@pytest.mark.django_db
def test_missing_evidence_file_is_404_not_500(api_client_for, media):
    complaint = make_complaint(State.SUBMITTED)
    item = upload(api_client_for("sme-demo"), complaint, "a.pdf", PDF).json()
    for path in media.glob("evidence/*"):
        path.unlink()
    response = api_client_for("sme-demo").get(f"{URL}{complaint.pk}/evidence/{item['id']}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_sme_cannot_name_a_debtor_by_id_outside_its_scope(api_client_for):
    """Ids of enterprises outside the caller's scope are unknown: no probing by id."""
    other = Enterprise.objects.get(name=DEBTOR).pk
    sme = api_client_for("sme-demo")
    before = counts()
    response = sme.post(URL, create_body(debtor=other), format="json")
    assert response.status_code == 400 and "debtor" in response.json()["fields"]
    assert counts() == before
    response = api_client_for("gd-intake").post(
        URL,
        create_body(
            debtor=other, complainant=Enterprise.objects.get(name="广州市明达机电设备有限公司").pk
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
