"""The complaint pages for every role: intake (drafts, submission, every malformed
input refused on its field with nothing written), detail, actions, evidence,
CSV export and the inbox."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qingqian.accounts.models import Organisation
from qingqian.complaints import services, validation
from qingqian.complaints.models import Complaint, ComplaintEvent, Evidence, State
from qingqian.core.models import AuditEvent
from qingqian.demo import demo_uscc
from qingqian.notifications.models import Notification
from qingqian.parties.models import Enterprise
from tests.conftest import DEBTOR
from tests.files import PDF, pdf_bytes

DEBTOR_USCC = demo_uscc("440104", 4)
SME_USCC = demo_uscc("440106", 1)  # sme-demo's own enterprise
OTHER_SME_USCC = demo_uscc("440305", 2)  # sme-demo-2's enterprise (an SME: not a debtor)


@pytest.fixture(autouse=True)
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def intake_data(**overrides):
    data = {
        "debtor_name": DEBTOR,
        "debtor_uscc": DEBTOR_USCC,
        "debtor_type": "large",
        "debtor_region_code": "440104",
        "debtor_address": "广州市越秀区示例路1号",
        "contract_number": "GZ-2025-0042",
        "contract_signed_on": "2025-03-01",
        "subject": "goods",
        "delivered_on": "2025-06-30",
        "payment_due_on": "2025-08-29",
        "amount_owed": "128,000.00",
        "amount_paid": "28000",
        "request_text": "请求支付拖欠货款100000元及逾期利息。",
        "facts_text": "2025年3月签订设备采购合同，6月30日交货验收，至今未付余款。",
        "sme_notified_at_signing": "yes",
        "undertaking": "on",
        "submit": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def pdf(name="contract.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def counts():
    return (
        Complaint.objects.count(),
        Evidence.objects.count(),
        AuditEvent.objects.count(),
        Enterprise.objects.count(),
    )


def submitted(draft, user, **overrides):
    return services.complaint_submit(actor=user("sme-demo"), complaint=draft(**overrides))


def transferred(draft, user):
    complaint = submitted(draft, user)
    intake = user("gd-intake")
    complaint = services.complaint_accept(actor=intake, complaint=complaint)
    department = Organisation.objects.get(name="广东省财政厅")
    return services.complaint_transfer(actor=intake, complaint=complaint, department=department)


# --- intake: happy paths -----------------------------------------------------------


@pytest.mark.django_db
def test_sme_sees_its_enterprise_prefilled_with_size_facts(client_for):
    response = client_for("sme-demo").get("/complaints/new/")
    assert response.status_code == 200
    page = response.content.decode()
    assert SME_USCC in page and 'data-testid="complainant-block"' in page
    assert "complainant_uscc" not in page  # an SME files for itself only
    assert 'name="evidence"' in page and "multiple" in page


@pytest.mark.django_db
def test_sme_submits_a_complaint_with_evidence_and_gets_a_tracking_number(client_for):
    client = client_for("sme-demo")
    response = client.post("/complaints/new/", {**intake_data(), "evidence": [pdf()]})
    assert response.status_code == 302, response.context["form"].errors
    complaint = Complaint.objects.get(contract_number="GZ-2025-0042")
    assert complaint.state == State.SUBMITTED
    assert complaint.amount_owed_fen == 128_000_00 and complaint.amount_paid_fen == 28_000_00
    assert complaint.channel == "online"
    assert complaint.evidence.get().original_name == "contract.pdf"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="submitted-panel"' in page
    assert complaint.tracking_number in page
    assert 'data-state="submitted"' in page
    assert "¥100,000.00" in page  # outstanding, formatted
    assert 'data-stage="review"' in page


@pytest.mark.django_db
def test_draft_is_saved_listed_for_its_author_and_resumed(client_for):
    client = client_for("sme-demo")
    response = client.post(
        "/complaints/new/",
        intake_data(submit=None, save="draft", undertaking=None, facts_text="", amount_owed=""),
    )
    assert response.status_code == 302
    draft = Complaint.objects.get(state=State.DRAFT)
    assert response["Location"] == f"/complaints/{draft.pk}/edit/"
    assert f"/complaints/{draft.pk}/edit/" in client.get("/complaints/").content.decode()
    assert f"/complaints/{draft.pk}/edit/" not in (
        client_for("gd-intake").get("/complaints/").content.decode()
    )
    form_page = client.get(f"/complaints/{draft.pk}/edit/").content.decode()
    assert "GZ-2025-0042" in form_page and DEBTOR_USCC in form_page
    response = client.post(f"/complaints/{draft.pk}/edit/", intake_data())
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED and draft.tracking_number


@pytest.mark.django_db
def test_failed_submit_of_a_draft_keeps_the_edit_on_the_draft(client_for):
    client = client_for("sme-demo")
    client.post("/complaints/new/", intake_data(submit=None, save="draft"))
    draft = Complaint.objects.get(state=State.DRAFT)
    response = client.post(
        f"/complaints/{draft.pk}/edit/", intake_data(contract_number="CHANGED", undertaking=None)
    )
    assert response.status_code == 400
    assert "undertaking" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.contract_number == "CHANGED"
    assert not draft.tracking_number


PARTIAL_DEBTOR = {
    "debtor_uscc": "",
    "debtor_name": "某某区住房和城乡建设局",
    "debtor_type": "",
    "debtor_region_code": "",
    "debtor_address": "",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "debtor",
    [
        PARTIAL_DEBTOR,  # no credit code yet
        {**PARTIAL_DEBTOR, "debtor_uscc": DEBTOR_USCC[:17]},  # 17 characters
        {**PARTIAL_DEBTOR, "debtor_uscc": SME_USCC},  # the SME's own code
    ],
    ids=["no code", "short code", "own code"],
)
def test_a_draft_keeps_a_debtor_not_yet_complete_and_submission_asks_for_it(client_for, debtor):
    client = client_for("sme-demo")
    enterprises = Enterprise.objects.count()
    response = client.post(
        "/complaints/new/", intake_data(submit=None, save="draft", **debtor), follow=True
    )
    assert response.status_code == 200
    draft = Complaint.objects.get(state=State.DRAFT)
    assert draft.debtor is None and Enterprise.objects.count() == enterprises
    assert draft.debtor_as_entered["name"] == "某某区住房和城乡建设局"
    assert [m.level_tag for m in response.context["messages"]] == ["warning", "success"]
    resumed = client.get(f"/complaints/{draft.pk}/edit/").content.decode()
    assert "某某区住房和城乡建设局" in resumed and "GZ-2025-0042" in resumed
    # Submitting needs the debtor, named on its field; the draft stays as it was.
    response = client.post(f"/complaints/{draft.pk}/edit/", intake_data(**debtor))
    assert response.status_code == 400
    assert "debtor_uscc" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.debtor_as_entered
    # Completed, it is submitted and the typed particulars are no longer kept.
    assert client.post(f"/complaints/{draft.pk}/edit/", intake_data()).status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED and draft.debtor.uscc == DEBTOR_USCC
    assert draft.debtor_as_entered == {}


@pytest.mark.django_db
def test_a_registered_debtors_particulars_prevail_and_the_user_is_told(client_for, draft):
    draft()  # registers the debtor DEBTOR_USCC
    registered = Enterprise.objects.get(uscc=DEBTOR_USCC)

    def save_draft(**debtor):
        data = intake_data(submit=None, save="draft", contract_number=next(numbers), **debtor)
        return client_for("sme-demo").post("/complaints/new/", data, follow=True)

    numbers = iter(["GZ-2025-0043", "GZ-2025-0044"])
    response = save_draft(debtor_name="我输入的名称有限公司", debtor_contact_name="王五")
    notes = [str(m) for m in response.context["messages"] if m.level_tag == "info"]
    assert len(notes) == 1 and DEBTOR_USCC in notes[0] and registered.name in notes[0]
    registered.refresh_from_db()
    assert registered.name == DEBTOR and registered.contact_name != "王五"
    # Typed exactly as registered: nothing to say.
    response = save_draft(debtor_address=registered.address)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


@pytest.mark.django_db
def test_others_cannot_resume_a_draft(client_for, draft):
    complaint = draft()
    assert client_for("sme-demo-2").get(f"/complaints/{complaint.pk}/edit/").status_code == 404
    assert client_for("gd-intake").get(f"/complaints/{complaint.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_intake_officer_records_a_phone_complaint_for_an_sme_in_scope(client_for):
    client = client_for("gd-intake")
    page = client.get("/complaints/new/").content.decode()
    assert 'name="complainant_uscc"' in page and 'name="channel"' in page
    response = client.post(
        "/complaints/new/", intake_data(complainant_uscc=SME_USCC.lower(), channel="phone")
    )
    assert response.status_code == 302, response.context["form"].errors
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone" and complaint.complainant.uscc == SME_USCC
    assert complaint.state == State.SUBMITTED


@pytest.mark.django_db
def test_intake_officer_cannot_file_for_an_sme_outside_the_jurisdiction(client_for):
    before = counts()
    response = client_for("gd-intake").post(
        "/complaints/new/",
        intake_data(complainant_uscc=demo_uscc("320104", 3), channel="letter"),
    )
    assert response.status_code == 400
    assert "complainant_uscc" in response.context["form"].errors
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["gd-handler", "debtor-demo", "supervisor", "admin"])
def test_other_roles_cannot_file(client_for, username):
    assert client_for(username).get("/complaints/new/").status_code == 403
    assert client_for(username).post("/complaints/new/", intake_data()).status_code == 403


# --- intake: malformed input ----------------------------------------------------------

MALFORMED = [
    ("bad debtor USCC", {"debtor_uscc": "91440104MA5XXXXXX0"}, "debtor_uscc"),
    ("debtor is the complainant", {"debtor_uscc": SME_USCC}, "debtor_uscc"),
    ("debtor is an SME", {"debtor_uscc": OTHER_SME_USCC}, "debtor_uscc"),
    ("debtor type sme", {"debtor_type": "sme"}, "debtor_type"),
    (
        "new debtor, bad region",
        {"debtor_uscc": demo_uscc("440300", 777), "debtor_region_code": "44030X"},
        "debtor_region_code",
    ),
    (
        "new debtor without a name",
        {"debtor_uscc": demo_uscc("440300", 778), "debtor_name": ""},
        "debtor_name",
    ),
    ("exponent", {"amount_owed": "1e5"}, "amount_owed"),
    ("negative", {"amount_owed": "-1"}, "amount_owed"),
    ("three decimals", {"amount_owed": "12.345"}, "amount_owed"),
    ("not a number", {"amount_owed": "many"}, "amount_owed"),
    ("owed missing", {"amount_owed": ""}, "amount_owed"),
    ("owed zero", {"amount_owed": "0"}, "amount_owed"),
    ("paid equals owed", {"amount_paid": "128000"}, "amount_paid"),
    ("paid more than owed", {"amount_paid": "200,000"}, "amount_paid"),
    ("bad grouping", {"amount_paid": "12,34"}, "amount_paid"),
    ("delivered before signing", {"delivered_on": "2025-02-01"}, "delivered_on"),
    ("payment before signing", {"payment_due_on": "2025-01-01"}, "payment_due_on"),
    ("signed in the future", {"contract_signed_on": "2099-01-01"}, "contract_signed_on"),
    ("delivered in the future", {"delivered_on": "2099-01-01"}, "delivered_on"),
    ("impossible date", {"contract_signed_on": "2025-13-01"}, "contract_signed_on"),
    ("missing undertaking", {"undertaking": None}, "undertaking"),
    ("missing contract number", {"contract_number": ""}, "contract_number"),
    ("missing subject", {"subject": ""}, "subject"),
    ("unknown subject", {"subject": "loans"}, "subject"),
    ("missing request", {"request_text": "  "}, "request_text"),
    ("missing facts", {"facts_text": ""}, "facts_text"),
    ("unknown notified answer", {"sme_notified_at_signing": "maybe"}, "sme_notified_at_signing"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "overrides", "field"), MALFORMED, ids=[case for case, *_ in MALFORMED]
)
def test_malformed_intake_is_refused_on_its_field_and_the_draft_keeps_the_file(
    client_for, case, overrides, field
):
    response = client_for("sme-demo").post(
        "/complaints/new/", {**intake_data(**overrides), "evidence": [pdf()]}
    )
    assert response.status_code == 400, case
    errors = response.context["form"].errors
    assert field in errors, (case, errors)
    assert f'href="#id_{field}"' in response.content.decode()  # the error summary links to it
    draft = Complaint.objects.get()
    assert draft.state == State.DRAFT and not draft.tracking_number, case
    assert [item.original_name for item in draft.evidence.all()] == ["contract.pdf"], case


@pytest.mark.django_db
def test_every_problem_is_shown_at_once_and_the_files_are_not_chosen_again(client_for, tmp_path):
    """Amount, credit code, a bad file, request and undertaking: one submit names them all."""
    client = client_for("sme-demo")
    fake = SimpleUploadedFile("invoice.pdf", b"just some text\n", content_type="application/pdf")
    wrong = intake_data(amount_owed="12.345", debtor_uscc="123", request_text="", undertaking=None)
    response = client.post("/complaints/new/", {**wrong, "evidence": [pdf(), fake]})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"amount_owed", "debtor_uscc", "evidence", "request_text", "undertaking"} <= set(errors)
    assert [m.split(":")[0] for m in errors["evidence"]] == ["invoice.pdf"]
    draft = Complaint.objects.get()
    page = response.content.decode()
    assert f'action="/complaints/{draft.pk}/edit/"' in page  # the next submit continues it
    item = draft.evidence.get()
    assert item.original_name == "contract.pdf" and f'value="{item.pk}"' in page
    assert draft.request_text == "" and draft.contract_number == "GZ-2025-0042"
    # Corrected, without choosing the file again: submitted with the file kept.
    response = client.post(f"/complaints/{draft.pk}/edit/", intake_data())
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED and draft.evidence.get() == item
    assert len(list(tmp_path.glob("evidence/*"))) == 1  # the refused file was never stored


@pytest.mark.django_db
def test_a_file_ticked_for_removal_is_taken_off_the_draft(
    client_for, tmp_path, django_capture_on_commit_callbacks
):
    client = client_for("sme-demo")
    client.post("/complaints/new/", {**intake_data(submit=None, save="draft"), "evidence": [pdf()]})
    draft = Complaint.objects.get()
    item = draft.evidence.get()
    data = intake_data(submit=None, save="draft", remove_evidence=str(item.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/complaints/{draft.pk}/edit/", data).status_code == 302
    assert not draft.evidence.exists() and not list(tmp_path.glob("evidence/*"))
    removed = AuditEvent.objects.filter(verb="complaint.evidence_remove").get()
    assert removed.payload["name"] == "contract.pdf"


@pytest.mark.django_db
def test_malformed_draft_keeps_the_other_fields(client_for):
    response = client_for("sme-demo").post(
        "/complaints/new/", intake_data(submit=None, save="draft", amount_owed="1e5")
    )
    assert response.status_code == 400
    assert "amount_owed" in response.context["form"].errors
    draft = Complaint.objects.get()
    assert draft.amount_owed_fen is None and draft.contract_number == "GZ-2025-0042"


@pytest.mark.django_db
def test_fake_pdf_is_refused_by_content_and_named(client_for):
    fake = SimpleUploadedFile("invoice.pdf", b"just some text\n", content_type="application/pdf")
    response = client_for("sme-demo").post(
        "/complaints/new/", {**intake_data(), "evidence": [pdf(), fake]}
    )
    assert response.status_code == 400
    messages = response.context["form"].errors["evidence"]
    assert len(messages) == 1 and messages[0].startswith("invoice.pdf: ")
    assert [item.original_name for item in Evidence.objects.all()] == ["contract.pdf"]
    assert Complaint.objects.get().state == State.DRAFT


@pytest.mark.django_db
def test_oversize_evidence_is_refused_and_no_file_is_left_behind(client_for, settings, tmp_path):
    settings.QINGQIAN_EVIDENCE_MAX_FILE_MB = 0
    response = client_for("sme-demo").post(
        "/complaints/new/", {**intake_data(), "evidence": [pdf("big.pdf")]}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["evidence"][0].startswith("big.pdf: ")
    assert not Evidence.objects.exists()
    assert not list(tmp_path.glob("evidence/*"))


@pytest.mark.django_db
def test_duplicate_contract_is_refused_with_a_link_to_the_first(client_for, draft, user):
    first = submitted(draft, user)
    before = counts()
    response = client_for("sme-demo").post("/complaints/new/", intake_data())
    assert response.status_code == 400
    assert "contract_number" in response.context["form"].errors
    assert f'href="/complaints/{first.pk}/"' in response.content.decode()
    assert Complaint.objects.exclude(state=State.DRAFT).get() == first  # kept as a draft only
    assert counts()[0] == before[0] + 1


@pytest.mark.django_db
def test_the_duplicate_check_ignores_case_and_reads_the_contract_index(client_for, draft, user):
    first = submitted(draft, user)
    again = intake_data(contract_number=first.contract_number.lower())
    response = client_for("sme-demo").post("/complaints/new/", again)
    assert response.status_code == 400
    assert "contract_number" in response.context["form"].errors
    # Not the debtor's index: a large debtor's thousands of complaints.
    assert "complaint_contract_debtor" in validation.open_duplicates(first).explain()


# --- who sees what ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["sme-demo-2", "sme-js", "js-intake", "js-handler"])
def test_out_of_scope_detail_evidence_and_actions_are_404(client_for, draft, user, username):
    complaint = submitted(draft, user)
    item = Evidence.objects.create(
        complaint=complaint,
        original_name="a.pdf",
        stored_name="x" * 32,
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=user("sme-demo"),
    )
    client = client_for(username)
    base = f"/complaints/{complaint.pk}"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/evidence/{item.pk}/").status_code == 404
    response = client.post(f"{base}/act/accept/", {"accept-version": complaint.version})
    assert response.status_code == 404
    assert client.post(f"{base}/evidence/", {"evidence": [pdf()]}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.state == State.SUBMITTED


@pytest.mark.django_db
def test_debtor_sees_the_complaint_only_from_the_transfer_on(client_for, draft, user):
    complaint = submitted(draft, user)
    assert client_for("debtor-demo").get(f"/complaints/{complaint.pk}/").status_code == 404
    intake = user("gd-intake")
    complaint = services.complaint_accept(actor=intake, complaint=complaint)
    complaint = services.complaint_transfer(
        actor=intake,
        complaint=complaint,
        department=Organisation.objects.get(name="广东省财政厅"),
    )
    assert client_for("debtor-demo").get(f"/complaints/{complaint.pk}/").status_code == 200


@pytest.mark.django_db
def test_debtor_never_sees_the_complainants_contact_details(client_for, draft, user):
    Enterprise.objects.filter(uscc=SME_USCC).update(
        contact_name="李明达经理", contact_phone="13800138000"
    )
    complaint = transferred(draft, user)
    debtor_page = client_for("debtor-demo").get(f"/complaints/{complaint.pk}/").content.decode()
    assert "李明达经理" not in debtor_page and "13800138000" not in debtor_page
    assert "明达 李经理" not in debtor_page  # nor the name of the SME's user in the history
    for username in ("sme-demo", "gd-intake", "gd-handler"):
        page = client_for(username).get(f"/complaints/{complaint.pk}/").content.decode()
        assert "李明达经理" in page and "13800138000" in page, username


@pytest.mark.django_db
def test_internal_notes_are_shown_to_officials_only(client_for, draft, user):
    complaint = transferred(draft, user)
    ComplaintEvent.objects.filter(complaint=complaint, action="accept").update(
        internal_note="内部意见：债务人态度消极"
    )
    for username in ("gd-intake", "gd-handler", "supervisor"):
        page = client_for(username).get(f"/complaints/{complaint.pk}/").content.decode()
        assert "内部意见：债务人态度消极" in page, username
    for username in ("sme-demo", "debtor-demo"):
        page = client_for(username).get(f"/complaints/{complaint.pk}/").content.decode()
        assert "内部意见" not in page and 'data-testid="internal-note"' not in page, username


@pytest.mark.django_db
def test_size_warning_is_shown_to_officials_not_to_the_sme(client_for, draft, user):
    complaint = submitted(draft, user)
    Complaint.objects.filter(pk=complaint.pk).update(size_warning=True)
    official = client_for("gd-intake").get(f"/complaints/{complaint.pk}/").content.decode()
    sme = client_for("sme-demo").get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="size-warning"' in official
    assert 'data-testid="size-warning"' not in sme
    assert 'data-testid="size-class"' in sme


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "foreign"),
    [
        ("zh-hans", ["个工作日", "第二百零一条"], ["working days", "below the", "meets the"]),
        ("en", ["10 working days after", "Art. 201", "floor ("], ["工作日", "下限"]),
    ],
)
def test_size_reason_and_deadline_rules_read_in_the_pages_language(
    client_for, draft, user, language, expected, foreign
):
    complaint = submitted(draft, user)
    assert complaint.size_basis["steps"]  # the reasoning is kept as data at submission
    client = client_for("gd-intake")
    client.cookies["django_language"] = language
    response = client.get(f"/complaints/{complaint.pk}/")
    html = response.content.decode()
    reason = html.split('data-testid="size-reason">')[1].split("</small>")[0]
    rules = html.split('data-testid="deadlines"')[1].split("</table>")[0]
    for text in expected:
        assert text in reason + rules, text
    for text in foreign:
        assert text not in reason + rules, text


@pytest.mark.django_db
def test_similar_open_complaints_are_flagged_to_the_intake_officer(client_for, draft, user):
    first = submitted(draft, user)
    second = submitted(draft, user, contract_number="GZ-2025-0099")
    page = client_for("gd-intake").get(f"/complaints/{second.pk}/").content.decode()
    assert 'data-testid="similar"' in page and first.tracking_number in page
    sme_page = client_for("sme-demo").get(f"/complaints/{second.pk}/").content.decode()
    assert 'data-testid="similar"' not in sme_page


@pytest.mark.django_db
def test_list_and_csv_export_are_scoped(client_for, draft, user):
    complaint = submitted(draft, user)
    number = complaint.tracking_number
    for username, sees in [
        ("sme-demo", True),
        ("gd-intake", True),
        ("miit-intake", True),
        ("sme-demo-2", False),
        ("js-intake", False),
        ("debtor-demo", False),
        ("gd-handler", False),
    ]:
        client = client_for(username)
        listed = number in client.get("/complaints/").content.decode()
        response = client.get("/complaints/?format=csv")
        exported = number in b"".join(response.streaming_content).decode("utf-8-sig")
        assert (listed, exported) == (sees, sees), username


@pytest.mark.django_db
def test_csv_has_amounts_in_yuan_and_follows_the_filters(client_for, draft, user):
    submitted(draft, user)
    client = client_for("gd-intake")
    body = b"".join(client.get("/complaints/?format=csv").streaming_content).decode("utf-8-sig")
    assert "128000.00" in body and "28000.00" in body
    filtered = client.get("/complaints/?state=closed&format=csv")
    assert "128000.00" not in b"".join(filtered.streaming_content).decode("utf-8-sig")


@pytest.mark.django_db
def test_list_filters_by_state_and_search(client_for, draft, user):
    complaint = submitted(draft, user)
    client = client_for("gd-intake")
    assert complaint.tracking_number in client.get("/complaints/?state=submitted").content.decode()
    assert (
        complaint.tracking_number not in client.get("/complaints/?state=accepted").content.decode()
    )
    found = client.get(f"/complaints/?q={complaint.tracking_number}").content.decode()
    assert complaint.tracking_number in found
    assert client.get("/complaints/?overdue=1&page=9").status_code == 200


# --- actions -------------------------------------------------------------------------


def act(client, complaint, action, **fields):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    data.setdefault(f"{action}-version", complaint.version)
    return client.post(f"/complaints/{complaint.pk}/act/{action}/", data)


@pytest.mark.django_db
def test_the_workflow_through_the_pages(client_for, draft, user):
    complaint = submitted(draft, user)
    intake, handler, sme = client_for("gd-intake"), client_for("gd-handler"), client_for("sme-demo")
    page = intake.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="action-accept"' in page and 'data-testid="action-not-accept"' in page
    assert act(intake, complaint, "accept").status_code == 302
    complaint.refresh_from_db()
    page = intake.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "江苏省住房和城乡建设厅" not in page  # transfer offers Guangdong departments only
    department = Organisation.objects.get(name="广东省财政厅")
    assert act(intake, complaint, "transfer", department=department.pk).status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == State.TRANSFERRED
    response = act(handler, complaint, "debtor-response", confirmed="100,000", disputed="0")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.events.last().details["confirmed_fen"] == 100_000_00
    response = act(handler, complaint, "submit-result", kind="paid", text="已全额支付。")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert act(intake, complaint, "approve-result").status_code == 302
    complaint.refresh_from_db()
    page = sme.get(f"/complaints/{complaint.pk}/").content.decode()
    assert f'href="/complaints/{complaint.pk}/result-notice.pdf"' in page
    assert 'data-testid="action-feedback"' in page
    assert act(sme, complaint, "feedback", satisfied="yes", comment="谢谢").status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == State.CLOSED and complaint.feedback_satisfied is True
    assert 'data-state="closed"' in sme.get(f"/complaints/{complaint.pk}/").content.decode()


@pytest.mark.django_db
def test_the_handler_extends_and_orders(client_for, draft, user):
    complaint = transferred(draft, user)
    handler = client_for("gd-handler")
    act(handler, complaint, "debtor-response", confirmed="0", disputed="1,000")
    complaint.refresh_from_db()
    response = act(handler, complaint, "extend", total_days="100", approved_by="", reason="")
    assert response.status_code == 400
    errors = response.context["actions"]
    form = next(item["form"] for item in errors if item["action"] == "extend")
    assert {"total_days", "approved_by", "reason"} <= set(form.errors)
    response = act(
        handler, complaint, "extend", total_days="60", approved_by="张处长", reason="需核实"
    )
    assert response.status_code == 302
    response = act(
        handler,
        complaint.__class__.objects.get(pk=complaint.pk),
        "supervision-order",
        due_on=date(2099, 1, 1).isoformat(),
        note="限期付款",
    )
    assert response.status_code == 302
    assert complaint.deadlines.filter(stage="supervision_order").exists()


@pytest.mark.django_db
def test_refused_action_lands_on_its_fields_and_writes_nothing(client_for, draft, user):
    complaint = submitted(draft, user)
    before = counts()
    response = act(client_for("gd-intake"), complaint, "not-accept", ground="", note="")
    assert response.status_code == 400
    form = next(i["form"] for i in response.context["actions"] if i["action"] == "not-accept")
    assert "ground" in form.errors
    assert counts() == before
    assert "<details" in response.content.decode() and "open" in response.content.decode()


@pytest.mark.django_db
def test_bad_yuan_in_the_debtor_response_is_named(client_for, draft, user):
    complaint = transferred(draft, user)
    response = act(client_for("gd-handler"), complaint, "debtor-response", confirmed="1e5")
    assert response.status_code == 400
    form = next(i["form"] for i in response.context["actions"] if i["action"] == "debtor-response")
    assert "confirmed" in form.errors


@pytest.mark.django_db
def test_transfer_to_a_department_elsewhere_is_refused(client_for, draft, user):
    complaint = submitted(draft, user)
    complaint = services.complaint_accept(actor=user("gd-intake"), complaint=complaint)
    elsewhere = Organisation.objects.get(name="江苏省住房和城乡建设厅")
    response = act(client_for("gd-intake"), complaint, "transfer", department=elsewhere.pk)
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.state == State.ACCEPTED


@pytest.mark.django_db
def test_stale_version_and_wrong_state_are_clear_messages(client_for, draft, user):
    complaint = submitted(draft, user)
    client = client_for("gd-intake")
    response = act(client, complaint, "accept", version=complaint.version + 5)
    assert response.status_code == 409
    assert 'role="alert" data-testid="conflict"' in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == State.SUBMITTED
    act(client, complaint, "accept")
    complaint.refresh_from_db()
    response = act(client, complaint, "accept")
    assert response.status_code == 409
    assert 'data-testid="conflict"' in response.content.decode()


@pytest.mark.django_db
def test_who_acts_second_keeps_what_they_typed(client_for, draft, user):
    complaint = submitted(draft, user)
    seen = complaint.version  # both officials opened the page at this version
    note = "请补充交货验收单及发票。\n第二行"
    first = client_for("gd-intake")
    assert act(first, complaint, "request-material", note="第一位", version=seen).status_code == 302
    complaint.refresh_from_db()
    events = complaint.events.count()
    response = act(client_for("gd-intake"), complaint, "request-material", note=note, version=seen)
    assert response.status_code == 409
    page = response.content.decode()
    # The action is no longer open (awaiting material): the text is quoted in the refusal.
    assert "请补充交货验收单及发票。<br>第二行" in page
    assert 'data-testid="action-request-material"' not in page
    assert complaint.events.count() == events


@pytest.mark.django_db
def test_an_action_still_open_after_a_conflict_comes_back_filled_in(client_for, draft, user):
    complaint = transferred(draft, user)
    handler = client_for("gd-handler")
    act(handler, complaint, "debtor-response", confirmed="0", disputed="1,000")
    complaint.refresh_from_db()
    seen = complaint.version  # two handlers opened the page at this version
    ok = act(handler, complaint, "extend", total_days="60", approved_by="张处长", reason="需核实")
    assert ok.status_code == 302
    order = {"due_on": "2099-01-01", "note": "限期付清货款", "version": seen}
    response = act(client_for("gd-handler"), complaint, "supervision-order", **order)
    assert response.status_code == 409
    form = next(
        a["form"] for a in response.context["actions"] if a["action"] == "supervision-order"
    )
    complaint.refresh_from_db()
    assert form["note"].value() == "限期付清货款" and form["due_on"].value() == "2099-01-01"
    assert int(form["version"].value()) == complaint.version
    assert not complaint.deadlines.filter(stage="supervision_order").exists()
    # Sent again as it stands, it goes through.
    response = act(
        client_for("gd-handler"),
        complaint,
        "supervision-order",
        **{**order, "version": complaint.version},
    )
    assert response.status_code == 302
    assert complaint.deadlines.filter(stage="supervision_order").exists()


@pytest.mark.django_db
def test_in_scope_but_not_allowed_is_403(client_for, draft, user):
    complaint = submitted(draft, user)
    assert act(client_for("sme-demo"), complaint, "accept").status_code == 403
    assert act(client_for("supervisor"), complaint, "accept").status_code == 403
    complaint.refresh_from_db()
    assert complaint.state == State.SUBMITTED


@pytest.mark.django_db
def test_unknown_action_is_404_and_get_is_refused(client_for, draft, user):
    complaint = submitted(draft, user)
    client = client_for("gd-intake")
    assert act(client, complaint, "explode").status_code == 404
    assert act(client, complaint, "submit").status_code == 404
    assert client.get(f"/complaints/{complaint.pk}/act/accept/").status_code == 405


@pytest.mark.django_db
def test_parties_see_only_their_actions(client_for, draft, user):
    complaint = submitted(draft, user)
    sme_page = client_for("sme-demo").get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="action-withdraw"' in sme_page
    assert 'data-testid="action-accept"' not in sme_page
    supervisor_page = client_for("supervisor").get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="actions"' not in supervisor_page


# --- evidence ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_evidence_is_added_and_downloaded_through_the_permission_check(client_for, draft, user):
    complaint = submitted(draft, user)
    sme = client_for("sme-demo")
    response = sme.post(f"/complaints/{complaint.pk}/evidence/", {"evidence": [pdf("收货单.pdf")]})
    assert response.status_code == 302
    item = complaint.evidence.get()
    for username in ("sme-demo", "gd-intake"):
        response = client_for(username).get(f"/complaints/{complaint.pk}/evidence/{item.pk}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_a_drafts_files_are_listed_when_it_is_resumed_and_not_attached_twice(client_for):
    client = client_for("sme-demo")
    client.post("/complaints/new/", {**intake_data(submit=None, save="draft"), "evidence": [pdf()]})
    draft = Complaint.objects.get(state=State.DRAFT)
    item = draft.evidence.get()
    resumed = client.get(f"/complaints/{draft.pk}/edit/").content.decode()
    assert f'href="/complaints/{draft.pk}/evidence/{item.pk}/"' in resumed
    # The same content again, under another name, on the form: refused by name, not attached.
    response = client.post(
        f"/complaints/{draft.pk}/edit/",
        {**intake_data(submit=None, save="draft"), "evidence": [pdf("again.pdf")]},
    )
    assert response.status_code == 400
    assert "contract.pdf" in " ".join(response.context["form"].errors["evidence"])
    assert draft.evidence.get() == item
    # A different file is added.
    other = pdf("other.pdf", pdf_bytes("another contract"))
    client.post(f"/complaints/{draft.pk}/edit/", {**intake_data(), "evidence": [other]})
    assert draft.evidence.count() == 2


@pytest.mark.django_db
def test_bad_evidence_on_the_detail_page_is_named_and_writes_nothing(client_for, draft, user):
    complaint = submitted(draft, user)
    before = counts()
    fake = SimpleUploadedFile("photo.png", b"<html>not a picture</html>")
    response = client_for("sme-demo").post(
        f"/complaints/{complaint.pk}/evidence/", {"evidence": [pdf(), fake]}
    )
    assert response.status_code == 400
    assert response.context["evidence_form"].errors["evidence"][0].startswith("photo.png: ")
    assert counts() == before
    # No file chosen: said so on the field, not a silent return to the page.
    response = client_for("sme-demo").post(f"/complaints/{complaint.pk}/evidence/", {})
    assert response.status_code == 400
    assert "evidence" in response.context["evidence_form"].errors
    assert counts() == before


@pytest.mark.django_db
def test_who_may_not_add_evidence_is_refused(client_for, draft, user):
    complaint = submitted(draft, user)
    services.complaint_withdraw(actor=user("sme-demo"), complaint=complaint)
    response = client_for("sme-demo").post(
        f"/complaints/{complaint.pk}/evidence/", {"evidence": [pdf()]}
    )
    assert response.status_code == 403


# --- inbox ------------------------------------------------------------------------------------


def message(recipient, key="k1"):
    return Notification.objects.create(
        recipient=recipient, dedup_key=key, subject="投诉已受理", body="QQ-2026", url="/complaints/"
    )


@pytest.mark.django_db
def test_inbox_lists_own_messages_and_marks_them_read_with_an_audit_event(client_for, user):
    mine = message(user("sme-demo"))
    theirs = message(user("sme-demo-2"))
    client = client_for("sme-demo")
    page = client.get("/inbox/").content.decode()
    assert 'data-count="1"' in page and "投诉已受理" in page
    audits = AuditEvent.objects.count()
    response = client.post(f"/inbox/{mine.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/complaints/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert AuditEvent.objects.count() == audits + 1
    assert AuditEvent.objects.last().verb == "notification.mark_read"
    client.post(f"/inbox/{mine.pk}/read/")
    assert AuditEvent.objects.count() == audits + 1  # already read: nothing written
    assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_inbox_does_not_follow_links_off_the_site(client_for, user):
    note = Notification.objects.create(
        recipient=user("sme-demo"), dedup_key="x", subject="s", url="https://evil.example/"
    )
    response = client_for("sme-demo").post(f"/inbox/{note.pk}/read/", {"open": "1"})
    assert response["Location"] == "/inbox/"


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["sme-demo", "debtor-demo", "gd-intake", "gd-handler"])
def test_home_and_navigation_link_complaints_and_inbox(client_for, username):
    page = client_for(username).get("/").content.decode()
    assert 'href="/complaints/"' in page and 'href="/inbox/"' in page
