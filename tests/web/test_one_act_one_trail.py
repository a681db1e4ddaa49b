"""One user act leaves one audit trail whichever channel it came through: the
web page and the API call the same service, so the verbs they write, in order,
are the same."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from qingqian.complaints import services
from qingqian.complaints.models import Complaint, State
from qingqian.core.models import AuditEvent
from qingqian.demo import demo_uscc
from qingqian.ledger.models import LedgerItem
from qingqian.parties.models import Enterprise
from tests.files import pdf_bytes

DEBTOR_USCC = demo_uscc("440104", 4)
LEDGER_ITEMS = "/api/v1/ledger/items/"


@pytest.fixture(autouse=True)
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def verbs_written_by(request) -> list[str]:
    """The audit verbs one request writes, in the order written."""
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = request()
    assert response.status_code in (201, 302), getattr(response, "content", b"")[:2000]
    return list(
        AuditEvent.objects.filter(pk__gt=last).order_by("pk").values_list("verb", flat=True)
    )


def two_pdfs(contract: str) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(f"{contract}-{n}.pdf", pdf_bytes(f"{contract} {n}"), "application/pdf")
        for n in (1, 2)
    ]


# --- filing a complaint with two evidence files -------------------------------------


def web_intake(contract: str) -> dict:
    return {
        "debtor_name": "广东粤海城建集团有限公司",
        "debtor_uscc": DEBTOR_USCC,
        "debtor_type": "large",
        "debtor_region_code": "440104",
        "contract_number": contract,
        "contract_signed_on": "2025-03-01",
        "subject": "goods",
        "delivered_on": "2025-06-30",
        "payment_due_on": "2025-08-29",
        "amount_owed": "128000.00",
        "amount_paid": "28000",
        "request_text": "请求支付拖欠货款。",
        "facts_text": "2025年3月签订采购合同，6月30日交货验收，至今未付余款。",
        "sme_notified_at_signing": "yes",
        "undertaking": "on",
        "submit": "1",
        "evidence": two_pdfs(contract),
    }


def api_filing(contract: str) -> dict:
    complaint = {
        "debtor": {
            "uscc": DEBTOR_USCC,
            "name": "广东粤海城建集团有限公司",
            "type": "large",
            "region_code": "440104",
        },
        "contract_number": contract,
        "contract_signed_on": "2025-03-01",
        "subject": "goods",
        "delivered_on": "2025-06-30",
        "payment_due_on": "2025-08-29",
        "amount_owed": "128000.00",
        "amount_paid": "28000",
        "request_text": "请求支付拖欠货款。",
        "facts_text": "2025年3月签订采购合同，6月30日交货验收，至今未付余款。",
        "undertaking": True,
        "sme_notified_at_signing": "yes",
        "submit": True,
    }
    return {"complaint": json.dumps(complaint), "evidence": two_pdfs(contract)}


def test_filing_a_complaint_with_two_files_writes_the_same_verbs_on_the_web_and_the_api(
    client_for, api_client_for
):
    web, api = client_for("sme-demo"), api_client_for("sme-demo")

    on_the_web = verbs_written_by(lambda: web.post("/complaints/new/", web_intake("WEB-1")))
    by_the_api = verbs_written_by(
        lambda: api.post("/api/v1/complaints/", api_filing("API-1"), format="multipart")
    )

    assert on_the_web == by_the_api
    assert on_the_web.count("complaint.evidence_add") == 2
    for contract in ("WEB-1", "API-1"):
        filed = Complaint.objects.get(contract_number=contract)
        assert filed.state == State.SUBMITTED
        assert filed.evidence.count() == 2


def test_a_refused_file_refuses_the_api_filing_and_writes_nothing(api_client_for):
    api = api_client_for("sme-demo")
    body = api_filing("API-2")
    body["evidence"].append(SimpleUploadedFile("notes.txt", b"plain text", "text/plain"))
    before = AuditEvent.objects.count()

    response = api.post("/api/v1/complaints/", body, format="multipart")

    assert response.status_code == 400
    assert "notes.txt" in " ".join(response.json()["fields"]["evidence"])
    assert not Complaint.objects.filter(contract_number="API-2").exists()
    assert AuditEvent.objects.count() == before


# --- a ledger item whose debtor is not registered yet ----------------------------------


def new_debtor(serial: int) -> dict:
    return {
        "uscc": demo_uscc("440104", serial),
        "name": f"广州某建设公司{serial}",
        "type": "large",
        "region_code": "440104",
    }


def test_creating_a_ledger_item_with_an_unknown_debtor_writes_the_same_verbs(
    client_for, api_client_for, creditor
):
    web, api = client_for("gd-intake"), api_client_for("gd-intake")
    terms = {"contract_signed_on": "2025-02-01", "due_on": "2025-05-01", "subject": "goods"}
    web_debtor, api_debtor = new_debtor(901), new_debtor(902)
    web_form = {
        **{f"debtor_{name}": web_debtor[name] for name in ("uscc", "name", "type")},
        "region_code": web_debtor["region_code"],
        "creditor_uscc": creditor.uscc,
        "contract_number": "WEB-L-1",
        "owed": "5000.00",
        "paid": "1000.00",
        "sme_notified_at_signing": "yes",
        **terms,
    }
    api_body = {
        "debtor": api_debtor,
        "creditor": creditor.pk,
        "contract_number": "API-L-1",
        "amount_owed": "5000.00",
        "amount_paid": "1000.00",
        **terms,
    }

    on_the_web = verbs_written_by(lambda: web.post(reverse("ledger:new"), web_form))
    by_the_api = verbs_written_by(lambda: api.post(LEDGER_ITEMS, api_body, format="json"))

    assert on_the_web == by_the_api
    assert "ledger.create" in on_the_web and len(on_the_web) >= 2  # the debtor's record too
    for contract, debtor in (("WEB-L-1", web_debtor), ("API-L-1", api_debtor)):
        assert LedgerItem.objects.get(contract_number=contract).debtor.uscc == debtor["uscc"]


def test_a_debtor_with_a_bad_credit_code_is_refused_in_the_api_writing_nothing(
    api_client_for, creditor
):
    body = {
        "debtor": {**new_debtor(903), "uscc": "91440104700000000"},  # 17 characters
        "creditor": creditor.pk,
        "contract_number": "API-L-2",
        "contract_signed_on": "2025-02-01",
        "due_on": "2025-05-01",
        "amount_owed": "5000.00",
    }
    api = api_client_for("gd-intake")
    before = (AuditEvent.objects.count(), Enterprise.objects.count())

    response = api.post(LEDGER_ITEMS, body, format="json")

    assert response.status_code == 400
    assert "debtor" in response.json()["fields"]
    assert (AuditEvent.objects.count(), Enterprise.objects.count()) == before


# --- a payment with its evidence file -------------------------------------------------


def test_a_payment_with_its_evidence_file_writes_the_same_verbs(
    client_for, api_client_for, make_item
):
    web_item, api_item = make_item(), make_item()
    today = timezone.localdate().isoformat()
    web, api = client_for("debtor-demo"), api_client_for("debtor-demo")
    web_form = {
        "payment-paid_on": today,
        "payment-amount_fen": "100.00",
        "payment-method": "transfer",
        "payment-evidence": two_pdfs("WEB-P")[0],
    }
    api_body = {
        "paid_on": today,
        "amount": "100.00",
        "method": "transfer",
        "evidence": two_pdfs("API-P")[0],
    }

    on_the_web = verbs_written_by(
        lambda: web.post(reverse("ledger:act", args=[web_item.pk, "payment"]), web_form)
    )
    by_the_api = verbs_written_by(
        lambda: api.post(f"{LEDGER_ITEMS}{api_item.pk}/payments/", api_body, format="multipart")
    )

    assert on_the_web == by_the_api == ["ledger.payment", "ledger.evidence_add"]
    for item in (web_item, api_item):
        assert item.evidence.get().payment == item.payments.get()


def test_a_refused_evidence_file_refuses_the_api_payment(api_client_for, make_item):
    item = make_item()
    body = {
        "paid_on": timezone.localdate().isoformat(),
        "amount": "100.00",
        "method": "transfer",
        "evidence": SimpleUploadedFile("回单.txt", b"plain text", "text/plain"),
    }
    api = api_client_for("debtor-demo")
    before = AuditEvent.objects.count()

    response = api.post(f"{LEDGER_ITEMS}{item.pk}/payments/", body, format="multipart")

    assert response.status_code == 400
    assert "evidence" in response.json()["fields"]
    assert not item.payments.exists() and AuditEvent.objects.count() == before


# --- reads: one selector decides what every channel shows -------------------------------

OVERSTATED = "interest before that day may be overstated"


def test_the_api_warns_that_payments_reported_before_entry_overstate_interest(
    api_client_for, client_for, make_item
):
    reported, plain = make_item(paid_fen=10_000_00), make_item()
    api = api_client_for("gd-intake")

    with translation.override("en"):
        warned = api.get(f"{LEDGER_ITEMS}{reported.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
        quiet = api.get(f"{LEDGER_ITEMS}{plain.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert any(OVERSTATED in w for w in warned["overdue_interest"]["warnings"])
    assert not any(OVERSTATED in w for w in quiet["overdue_interest"]["warnings"])
    # The page says it in the reader's language (zh-Hans here), in the API's words.
    in_chinese = api.get(f"{LEDGER_ITEMS}{reported.pk}/").json()["overdue_interest"]["warnings"]
    page = client_for("gd-intake").get(reverse("ledger:item", args=[reported.pk]))
    assert in_chinese and all(warning in page.content.decode() for warning in in_chinese)


def filed_with_a_note(user) -> Complaint:
    sme, intake = user("sme-demo"), user("gd-intake")
    intake.first_name, intake.last_name = "", "王受理"
    intake.save()
    complaint = services.complaint_create_draft(
        actor=sme,
        complainant=sme.enterprise,
        debtor=Enterprise.objects.get(uscc=DEBTOR_USCC),
        contract_number="NOTE-1",
        contract_signed_on=date(2025, 3, 1),
        subject="goods",
        delivered_on=date(2025, 6, 30),
        payment_due_on=date(2025, 8, 29),
        amount_owed_fen=128_000_00,
        amount_paid_fen=0,
        request_text="请求支付拖欠货款。",
        facts_text="至今未付。",
        undertaking=True,
        sme_notified_at_signing="yes",
    )
    complaint = services.complaint_submit(actor=sme, complaint=complaint)
    complaint = services.complaint_accept(actor=intake, complaint=complaint)
    services.complaint_add_internal_note(actor=intake, complaint=complaint, text="内部备注甲")
    return complaint


@pytest.mark.parametrize(("reader", "sees"), [("gd-intake", True), ("sme-demo", False)])
def test_the_officials_name_and_internal_notes_are_shown_alike_on_both_channels(
    user, client_for, api_client_for, reader, sees
):
    complaint = filed_with_a_note(user)

    events = api_client_for(reader).get(f"/api/v1/complaints/{complaint.pk}/events/").json()
    page = client_for(reader).get(f"/complaints/{complaint.pk}/").content.decode()

    accepted = next(event for event in events if event["action"] == "accept")
    assert (accepted["actor_name"] == "王受理") is sees
    assert any(event.get("internal_note") == "内部备注甲" for event in events) is sees
    assert ("王受理" in page) is sees
    assert ("内部备注甲" in page) is sees
