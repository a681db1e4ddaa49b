"""One user act leaves one audit trail whichever channel it came through: the
web page and the API call the same service, so the verbs they write, in order,
are the same."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qingqian.complaints.models import Complaint, State
from qingqian.core.models import AuditEvent
from qingqian.demo import demo_uscc
from tests.files import pdf_bytes

DEBTOR_USCC = demo_uscc("440104", 4)


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
    assert on_the_web.count("complaint.evidence-add") == 2
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
