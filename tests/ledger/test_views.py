"""The ledger pages: list with totals and exports, item actions, imports."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from qingqian.core.models import AuditEvent
from qingqian.ledger import services
from qingqian.ledger.models import LedgerImport, LedgerItem, Payment, Status
from tests.files import PDF
from tests.ledger.test_importing import csv_bytes, row


@pytest.fixture
def item(make_item):
    return make_item(owed_fen=1000_00, paid_fen=100_00, notes="=HYPERLINK(1)")


def test_list_shows_rows_and_totals_in_the_officials_scope(client_for, item, make_item):
    make_item(owed_fen=500_00)
    page = client_for("gd-intake").get(reverse("ledger:list")).content.decode()
    assert item.contract_number in page
    assert 'data-testid="total-items">2<' in page
    assert "¥1,500.00" in page  # owed in all
    other = client_for("js-intake").get(reverse("ledger:list")).content.decode()
    assert item.contract_number not in other
    assert 'data-testid="total-items">0<' in other


def test_filters_narrow_rows_and_totals_together(client_for, make_item):
    make_item(owed_fen=100_00, contract_number="SMALL")
    make_item(owed_fen=900_00, contract_number="LARGE")
    page = client_for("gd-intake").get(reverse("ledger:list"), {"min_owed": "500"}).content
    assert b"LARGE" in page and b"SMALL" not in page
    assert b'data-testid="total-items">1<' in page


def test_bad_filter_is_named_and_ignored(client_for, item):
    response = client_for("gd-intake").get(reverse("ledger:list"), {"min_owed": "abc"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_keyset_next_page_link(client_for, make_item):
    for n in range(55):
        make_item(owed_fen=100 + n)
    client = client_for("gd-intake")
    first = client.get(reverse("ledger:list")).content.decode()
    assert 'data-testid="next-page"' in first
    last_id = LedgerItem.objects.order_by("id")[4].pk + 0  # the 5 oldest are on page 2
    second = client.get(reverse("ledger:list"), {"after": last_id + 1}).content.decode()
    assert 'data-testid="next-page"' not in second


def test_csv_and_xlsx_exports_escape_formulas(client_for, item):
    client = client_for("gd-intake")
    csv_text = b"".join(
        client.get(reverse("ledger:list"), {"format": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert item.contract_number in csv_text
    assert "'=HYPERLINK(1)" in csv_text
    assert "1000.00" in csv_text and "900.00" in csv_text  # owed and outstanding
    response = client.get(reverse("ledger:list"), {"format": "xlsx"})
    data = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[1][6] == item.contract_number
    assert "'=HYPERLINK(1)" in rows[1]
    assert 1000.0 in rows[1]


def test_item_page_shows_figures_and_interest(client_for, item):
    page = client_for("sme-demo").get(reverse("ledger:item", args=[item.pk])).content.decode()
    assert 'data-testid="outstanding">¥900.00<' in page
    assert 'data-testid="interest"' in page
    other = client_for("sme-demo-2").get(reverse("ledger:item", args=[item.pk]))
    assert other.status_code == 404


def test_recording_a_payment_moves_the_figures(client_for, item):
    response = client_for("debtor-demo").post(
        reverse("ledger:act", args=[item.pk, "payment"]),
        {
            "payment-paid_on": timezone.localdate().isoformat(),
            "payment-amount_fen": "400.00",
            "payment-method": "transfer",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.paid_fen, item.status) == (500_00, Status.PARTLY_PAID)


def test_an_overpayment_is_refused_on_the_page_naming_the_field(client_for, item):
    audits = AuditEvent.objects.count()
    response = client_for("gd-intake").post(
        reverse("ledger:act", args=[item.pk, "payment"]),
        {
            "payment-paid_on": timezone.localdate().isoformat(),
            "payment-amount_fen": "900.01",
            "payment-method": "transfer",
        },
    )
    assert response.status_code == 400
    assert "900.00" in response.content.decode()
    assert Payment.objects.filter(item=item).count() == 1
    assert AuditEvent.objects.count() == audits


def test_reversal_from_the_page(client_for, item):
    payment = item.payments.get()
    response = client_for("gd-intake").post(
        reverse("ledger:act", args=[item.pk, "reverse"]),
        {"payment": payment.pk, "reason": "录入错误"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.paid_fen == 0


def test_the_debtor_may_not_reverse_or_go_to_court(client_for, item):
    client = client_for("debtor-demo")
    response = client.post(
        reverse("ledger:act", args=[item.pk, "reverse"]),
        {"payment": item.payments.get().pk, "reason": "x"},
    )
    assert response.status_code == 403


def test_plan_from_the_page(client_for, item):
    due = timezone.localdate().replace(year=timezone.localdate().year + 1)
    response = client_for("debtor-demo").post(
        reverse("ledger:act", args=[item.pk, "plan"]),
        {"plan-instalments": f"{due.isoformat()} 400.00\n{due.replace(day=28).isoformat()} 5"},
    )
    assert response.status_code == 400  # does not add up to 900.00, and dates may clash
    assert item.plans.count() == 0


def test_new_item_form(client_for, creditor):
    client = client_for("gd-intake")
    assert client.get(reverse("ledger:new")).status_code == 200
    data = {
        "debtor_uscc": "91440104700000044X",
        "debtor_name": "广东粤海城建集团有限公司",
        "debtor_type": "large",
        "region_code": "440104",
        "creditor_uscc": creditor.uscc,
        "contract_number": "NEW-1",
        "contract_signed_on": "2025-02-01",
        "due_on": "2025-05-01",
        "owed": "5,000.00",
        "sme_notified_at_signing": "yes",
    }
    bad = client.post(reverse("ledger:new"), {**data, "owed": "-1"})
    assert bad.status_code == 400 and not LedgerItem.objects.exists()
    response = client.post(reverse("ledger:new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LedgerItem.objects.get().owed_fen == 5000_00
    assert client_for("supervisor").get(reverse("ledger:new")).status_code == 403


def test_party_page(client_for, item, user):
    from datetime import timedelta

    from qingqian.ledger import services

    services.plan_create(
        actor=user("debtor-demo"),
        item=item,
        instalments=[(timezone.localdate() + timedelta(days=9), item.outstanding_fen)],
    )
    page = client_for("gd-intake").get(reverse("ledger:party", args=[item.debtor_id]))
    assert page.status_code == 200
    assert b'data-testid="side-debtor"' in page.content
    assert b'data-testid="party-plans"' in page.content
    other = client_for("sme-demo-2").get(reverse("ledger:party", args=[item.debtor_id]))
    assert b'data-testid="party-plans"' not in other.content


def test_import_page_upload_and_refusal_report(client_for, django_capture_on_commit_callbacks):
    client = client_for("gd-intake")
    assert client.get(reverse("ledger:imports")).status_code == 200
    bad = csv_bytes([row(0), row(1, amount_owed="abc")])
    upload = io.BytesIO(bad)
    upload.name = "bad.csv"
    from qingqian.accounts.models import Organisation

    owner = Organisation.objects.get(name="广东省中小企业主管部门")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("ledger:imports"), {"file": upload, "owner": owner.pk})
    assert response.status_code == 302
    record = LedgerImport.objects.get()
    from qingqian.ledger.imports import ledger_import_run

    ledger_import_run(record)
    page = client.get(reverse("ledger:import", args=[record.pk])).content.decode()
    assert 'data-testid="import-refused"' in page
    report = b"".join(
        client.get(reverse("ledger:import-errors", args=[record.pk])).streaming_content
    ).decode("utf-8-sig")
    assert "amount_owed" in report and "abc" in report
    progress = client.get(reverse("ledger:import-progress", args=[record.pk])).json()
    assert progress["state"] == "refused"
    assert (
        client_for("js-intake").get(reverse("ledger:import", args=[record.pk])).status_code == 404
    )


def test_templates_download_and_import_cleanly(client_for, user):
    from qingqian.accounts.models import Organisation
    from qingqian.ledger.imports import ledger_import_run, ledger_import_upload

    client = client_for("gd-intake")
    owner = Organisation.objects.get(name="广东省中小企业主管部门")
    csv_data = client.get(reverse("ledger:template", args=["csv"])).content
    xlsx_data = b"".join(client.get(reverse("ledger:template", args=["xlsx"])).streaming_content)
    assert csv_data.startswith(b"\xef\xbb\xbf")
    for name, data in (("template.csv", csv_data), ("template.xlsx", xlsx_data)):
        record = ledger_import_upload(
            actor=user("gd-intake"), owner=owner, fileobj=io.BytesIO(data), original_name=name
        )
        record = ledger_import_run(record)
        assert record.state == LedgerImport.State.DONE, list(record.errors.values())
    assert LedgerItem.objects.get().owed_fen == 125_000_00  # the same row twice: one item
    assert client.get("/ledger/template.pdf").status_code == 404


def test_a_payment_with_its_evidence_file(client_for, item, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = client_for("debtor-demo")
    response = client.post(
        reverse("ledger:act", args=[item.pk, "payment"]),
        {
            "payment-paid_on": timezone.localdate().isoformat(),
            "payment-amount_fen": "100.00",
            "payment-method": "transfer",
            "payment-evidence": SimpleUploadedFile("回单.pdf", PDF),
        },
    )
    assert response.status_code == 302
    evidence = item.evidence.get()
    assert evidence.payment == item.payments.latest("id")
    event = AuditEvent.objects.filter(verb="ledger.evidence_add").latest("seq")
    assert event.payload["sha256"] == evidence.sha256
    url = reverse("ledger:evidence", args=[item.pk, evidence.pk])
    assert b"".join(client_for("sme-demo").get(url).streaming_content) == PDF
    assert client_for("sme-demo-2").get(url).status_code == 404


def test_a_bad_evidence_file_undoes_the_payment(client_for, item, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = client_for("debtor-demo").post(
        reverse("ledger:act", args=[item.pk, "payment"]),
        {
            "payment-paid_on": timezone.localdate().isoformat(),
            "payment-amount_fen": "100.00",
            "payment-method": "transfer",
            "payment-evidence": SimpleUploadedFile("evil.html", b"<script>alert(1)</script>"),
        },
    )
    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    assert item.payments.count() == 1 and not item.evidence.exists()


def test_out_of_range_ids_and_dates_do_not_break_pages(client_for, item, api_client_for):
    huge = str(2**70)
    client = client_for("gd-intake")
    assert client.get(reverse("ledger:list"), {"debtor": huge}).status_code == 200
    assert client.get(reverse("ledger:list"), {"after": huge}).status_code == 200
    LedgerItem.objects.filter(pk=item.pk).update(due_on="9999-12-31")
    assert client.get(reverse("ledger:item", args=[item.pk])).status_code == 200
    api = api_client_for("gd-intake")
    assert api.post(f"/api/v1/ledger/payments/{huge}/reverse/", {"reason": "x"}).status_code == 404
    assert api.post(f"/api/v1/ledger/proceedings/{huge}/decide/", {}).status_code == 404


def test_the_sme_sees_the_department_that_answered_never_a_login_name(
    client_for, item, user, gd_authority
):
    services.ledger_confirm(actor=user("gd-intake"), item=item, disputed_fen=100_00, note="scope")
    client = client_for("sme-demo")
    page = client.get(reverse("ledger:item", args=[item.pk])).content.decode()
    answer = client.get(f"/api/v1/ledger/items/{item.pk}/").json()["confirmations"][0]
    assert f'data-testid="answered-by">({gd_authority.name})<' in page
    assert answer["answered_by"] == gd_authority.name
    assert "gd-intake" not in page and "gd-intake" not in str(answer)
