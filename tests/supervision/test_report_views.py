"""Pages of the periodic information reports: who sees what, the figure forms and
their errors, CSRF, submission, the national page and its XLSX, CSV and PDF."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from qingqian.accounts.models import User
from qingqian.core import audit, pdf
from qingqian.core.models import AuditEvent, AuditHead
from qingqian.supervision.models import ProvincialReport, ReportDefinition
from qingqian.supervision.reports.services import report_submit, reports_generate
from tests.supervision.test_cases import GD, make_official
from tests.web.test_every_write_is_audited import assert_audited

ON = date(2026, 10, 9)
Q3 = date(2026, 7, 1)
GD_CODE, JS_CODE = "440000", "320000"
# --- data -------------------------------------------------------------------------------------


@pytest.fixture
def quarterly(db, make_item):
    make_item(owed_fen=250_000_00)
    reports_generate(
        definition=ReportDefinition.objects.get(code="quarterly-summary"),
        period_start=Q3,
        on=ON,
    )
    return ProvincialReport.objects.get(
        definition__code="quarterly-summary", period_start=Q3, province_code=GD_CODE
    )


@pytest.fixture
def js_report(quarterly):
    return ProvincialReport.objects.get(
        definition__code="quarterly-summary", period_start=Q3, province_code=JS_CODE
    )


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def national_url(name="supervision:report-national", *extra):
    return reverse(name, args=["quarterly-summary", "2026-07-01", *extra])


# --- the list -----------------------------------------------------------------------------------


def test_the_list_for_the_national_level(client_for, quarterly):
    html = page(client_for("supervisor"), reverse("supervision:reports"))
    assert 'data-testid="reports"' in html and "<caption" in html
    assert 'data-testid="late-reports"' in html  # due 2026-10-20: everyone is late
    assert html.count('data-late="true"') == ProvincialReport.objects.count()
    assert 'data-testid="national-reports"' in html and national_url() in html
    assert "江苏省中小企业主管部门" in html and GD in html


@pytest.mark.parametrize("username", ["gd-intake", "gz-supervisor"])
def test_the_list_for_a_province_and_its_cities(client_for, quarterly, username):
    make_official("gz-supervisor", "广州市中小企业主管部门")
    html = page(client_for(username), reverse("supervision:reports"))
    assert GD in html and "江苏省中小企业主管部门" not in html
    assert 'data-testid="national-reports"' not in html
    assert reverse("supervision:report", args=[quarterly.pk]) in html


@pytest.mark.parametrize("username", ["gd-handler", "sme-demo", "debtor-demo"])
def test_the_list_is_for_officials_of_sme_authorities(client_for, quarterly, username):
    page(client_for(username), reverse("supervision:reports"), 403)
    page(client_for(username), reverse("supervision:report", args=[quarterly.pk]), 404)


def test_anonymous_are_sent_to_sign_in(client, quarterly):
    for url in (
        reverse("supervision:reports"),
        reverse("supervision:report", args=[quarterly.pk]),
        national_url(),
        national_url("supervision:report-national-file", "xlsx"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(reverse("supervision:report-submit", args=[quarterly.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_list_filters_and_exports(client_for, quarterly):
    client = client_for("supervisor")
    report_submit(actor=User.objects.get(username="gd-intake"), report=quarterly)
    url = reverse("supervision:reports")
    html = page(client, f"{url}?state=submitted")
    assert html.count('data-state="submitted"') == 1
    response = client.get(f"{url}?state=submitted&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2 and "广东省" in lines[1] and "2026-07-01" in lines[1]
    response = client.get(f"{url}?definition=quarterly-summary&format=xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    header, *lines = rows.get_sheet_by_index(0).to_python()
    assert len(lines) == ProvincialReport.objects.count()
    html = page(client, f"{url}?period=not-a-date")
    assert 'id="id_period_error"' in html


# --- one report --------------------------------------------------------------------------------


def test_the_report_page_shows_forms_to_the_province(client_for, quarterly):
    html = page(client_for("gd-intake"), reverse("supervision:report", args=[quarterly.pk]))
    for key in quarterly.values.values_list("key", flat=True):
        assert f'data-testid="value-form-{key}"' in html
        assert f'<label for="id_{key}-value">' in html
        assert f'<label for="id_{key}-reason">' in html
    assert 'data-testid="report-submit"' in html and 'data-testid="report-late"' in html
    assert 'aria-describedby="id_received-value_helptext"' in html
    assert "250,000.00" in html  # the ledger figure in yuan


@pytest.mark.parametrize("username", ["supervisor", "gz-supervisor"])
def test_others_read_the_report_without_forms(client_for, quarterly, username):
    make_official("gz-supervisor", "广州市中小企业主管部门")
    html = page(client_for(username), reverse("supervision:report", args=[quarterly.pk]))
    assert 'data-testid="report-figures"' in html
    assert "value-form-" not in html and 'data-testid="report-submit"' not in html


def test_another_province_gets_404(client_for, quarterly, js_report):
    client = client_for("gd-intake")
    page(client, reverse("supervision:report", args=[js_report.pk]), 404)
    response = client.post(
        reverse("supervision:report-value", args=[js_report.pk]),
        {"key": "received", "received-value": "1", "received-reason": "x"},
    )
    assert response.status_code == 404
    assert client.post(reverse("supervision:report-submit", args=[js_report.pk])).status_code == 404
    js_report.refresh_from_db()
    assert js_report.state == "draft" and js_report.values.get(key="received").value == 0


def test_a_national_supervisor_may_not_change_a_provinces_figures(client_for, quarterly):
    client = client_for("supervisor")
    response = client.post(
        reverse("supervision:report-value", args=[quarterly.pk]),
        {"key": "received", "received-value": "3", "received-reason": "x"},
    )
    assert response.status_code == 403
    assert client.post(reverse("supervision:report-submit", args=[quarterly.pk])).status_code == 403


def test_setting_a_value_with_its_reason(client_for, quarterly):
    client = client_for("gd-intake")
    url = reverse("supervision:report-value", args=[quarterly.pk])
    response, written = assert_audited(
        lambda: client.post(
            url,
            {
                "key": "identified_fen",
                "identified_fen-value": "250,100.50",
                "identified_fen-reason": "一笔欠款尚未录入台账",
                "identified_fen-version": "0",
            },
        )
    )
    assert response.status_code == 302 and response["Location"].endswith("#figure-identified_fen")
    row = quarterly.values.get(key="identified_fen")
    assert (row.value, row.reason) == (250_100_50, "一笔欠款尚未录入台账")
    assert ("supervision.provincialreport", str(quarterly.pk)) in written
    html = page(client, reverse("supervision:report", args=[quarterly.pk]))
    assert "一笔欠款尚未录入台账" in html


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"received-value": "9", "received-reason": ""}, "reason", "Say why"),
        ({"received-value": "-2", "received-reason": "x"}, "value", "negative"),
        ({"received-value": "nine", "received-reason": "x"}, "value", "whole number"),
        ({"received-value": "", "received-reason": "x"}, "value", ""),
    ],
)
def test_refusals_show_the_error_at_the_field(client_for, quarterly, posted, field, message):
    client = client_for("gd-intake")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("supervision:report-value", args=[quarterly.pk]), {"key": "received", **posted}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_received-{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert message in html
    assert AuditEvent.objects.count() == before
    assert quarterly.values.get(key="received").value == 0


def test_an_unknown_figure_is_refused(client_for, quarterly):
    response = client_for("gd-intake").post(
        reverse("supervision:report-value", args=[quarterly.pk]), {"key": "nonsense"}
    )
    assert response.status_code == 400


def test_csrf_is_required(quarterly):
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="gd-intake"))
    for name in ("supervision:report-value", "supervision:report-submit"):
        response = client.post(reverse(name, args=[quarterly.pk]), {"key": "received"})
        assert response.status_code == 403
    quarterly.refresh_from_db()
    assert quarterly.state == "draft" and quarterly.version == 0


def test_submitting_and_then_nothing_changes(client_for, quarterly):
    client = client_for("gd-intake")
    url = reverse("supervision:report-submit", args=[quarterly.pk])
    response, written = assert_audited(lambda: client.post(url, {"version": "0"}))
    assert response.status_code == 302
    quarterly.refresh_from_db()
    assert quarterly.state == "submitted" and written
    html = page(client, reverse("supervision:report", args=[quarterly.pk]))
    assert 'data-state="submitted"' in html and "value-form-" not in html
    response = client.post(url, {"version": "1"}, follow=True)
    assert response.status_code == 200  # a message, not an error page
    response = client.post(
        reverse("supervision:report-value", args=[quarterly.pk]),
        {"key": "received", "received-value": "3", "received-reason": "x"},
    )
    assert response.status_code == 302
    assert quarterly.values.get(key="received").value == 0


def test_a_stale_form_is_refused_with_a_message(client_for, quarterly):
    client = client_for("gd-intake")
    url = reverse("supervision:report-value", args=[quarterly.pk])
    data = {"key": "received", "received-value": "3", "received-reason": "x"}
    client.post(url, {**data, "received-version": "0"})
    response = client.post(url, {**data, "received-value": "4", "received-version": "0"})
    assert response.status_code == 302
    assert quarterly.values.get(key="received").value == 3


def test_the_figures_export(client_for, quarterly):
    client = client_for("gd-intake")
    url = reverse("supervision:report", args=[quarterly.pk])
    text = b"".join(client.get(f"{url}?format=csv").streaming_content).decode("utf-8-sig")
    assert "identified_fen" in text and "250000.00" in text
    workbook = CalamineWorkbook.from_filelike(
        io.BytesIO(b"".join(client.get(f"{url}?format=xlsx").streaming_content))
    )
    header, *rows = workbook.get_sheet_by_index(0).to_python()
    assert len(rows) == quarterly.values.count()


# --- the national page and files --------------------------------------------------------------


def test_the_national_page(client_for, quarterly, js_report):
    report_submit(actor=User.objects.get(username="gd-intake"), report=quarterly)
    html = page(client_for("supervisor"), national_url())
    assert 'data-testid="national-table"' in html and "<caption" in html
    assert 'data-testid="late-provinces"' in html
    assert f'data-province="{JS_CODE}" data-state="draft" data-late="true"' in html
    assert f'data-province="{GD_CODE}" data-state="submitted">' in html
    assert 'data-testid="national-totals"' in html
    for fmt in ("xlsx", "csv", "pdf"):
        assert national_url("supervision:report-national-file", fmt) in html


@pytest.mark.parametrize("username", ["gd-intake", "gz-supervisor", "gd-handler", "sme-demo"])
def test_the_national_page_is_for_the_national_level(client_for, quarterly, username):
    make_official("gz-supervisor", "广州市中小企业主管部门")
    client = client_for(username)
    page(client, national_url(), 403)
    page(client, national_url("supervision:report-national-file", "xlsx"), 403)


def test_national_urls_that_name_nothing(client_for, quarterly):
    client = client_for("admin")
    page(client, reverse("supervision:report-national", args=["nonsense", "2026-07-01"]), 404)
    page(client, reverse("supervision:report-national", args=["quarterly-summary", "2026-13"]), 404)
    page(client, national_url("supervision:report-national-file", "docx"), 404)
    # a period with no reports: an empty table, not an error
    html = page(
        client, reverse("supervision:report-national", args=["quarterly-summary", "2020-01-01"])
    )
    assert "national-table" in html


def test_the_national_xlsx_and_csv(client_for, quarterly, js_report):
    gd, js = User.objects.get(username="gd-intake"), User.objects.get(username="js-intake")
    report_submit(actor=gd, report=quarterly)
    client = client_for("supervisor")
    response = client.get(national_url("supervision:report-national-file", "xlsx"))
    assert response.status_code == 200
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = workbook.get_sheet_by_index(0).to_python()
    # provinces, the totals, then the audit chain's head and latest checkpoint
    assert len(rows) == ProvincialReport.objects.filter(period_start=Q3).count() + 3
    identified = next(i for i, name in enumerate(header) if "(yuan)" in name or "元" in name)
    guangdong = next(row for row in rows if row[0] == GD_CODE)
    assert guangdong[1] == "广东省" and guangdong[identified] == 250_000.0
    assert rows[-3][identified] == 250_000.0  # totals: submitted only
    report_submit(actor=js, report=js_report)
    response = client.get(national_url("supervision:report-national-file", "csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[-3].startswith(",") and "250000.00" in lines[-3]
    assert any(line.startswith(f"{JS_CODE},江苏省") for line in lines)


@pytest.fixture
def checkpoint(db, settings, tmp_path):
    """A checkpoint file where the settings say, holding one line."""
    settings.QINGQIAN_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
    audit.write_checkpoint()
    return settings.QINGQIAN_AUDIT_CHECKPOINT_FILE.read_text().strip()


def test_the_national_files_show_the_audit_head_and_latest_checkpoint(
    client_for, quarterly, checkpoint
):
    client = client_for("supervisor")
    response = client.get(national_url("supervision:report-national-file", "csv"))
    head = AuditHead.objects.get(pk=1)  # after the download: it writes no event
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[-2][1:3] == ["操作日志链头 / audit chain head", f"#{head.seq} {head.hash}"]
    assert rows[-1][1:3] == ["最新操作日志检查点 / latest audit checkpoint", checkpoint]
    response = client.get(national_url("supervision:report-national-file", "xlsx"))
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    *_rest, head_row, checkpoint_row = workbook.get_sheet_by_index(0).to_python()
    assert head_row[2] == f"#{head.seq} {head.hash}" and checkpoint_row[2] == checkpoint


def test_without_a_checkpoint_file_the_national_csv_says_none(client_for, quarterly, settings):
    settings.QINGQIAN_AUDIT_CHECKPOINT_FILE = "/nonexistent/audit-checkpoints.jsonl"
    response = client_for("supervisor").get(national_url("supervision:report-national-file", "csv"))
    last = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert last[-1][1:3] == ["最新操作日志检查点 / latest audit checkpoint", "无 / none"]


def test_the_national_pdf(client_for, quarterly, checkpoint):
    report_submit(actor=User.objects.get(username="gd-intake"), report=quarterly)
    response = client_for("supervisor").get(national_url("supervision:report-national-file", "pdf"))
    if response.status_code == 503:  # this machine lacks the fonts: the page says what to do
        assert "fonts-noto-cjk" in response.content.decode()
        pytest.skip("the Noto CJK fonts are not installed here")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "广东省" in text and "江苏省" in text
        assert "清欠工作季度报告" in text
        head = AuditHead.objects.get(pk=1)
        flat = "".join(text.split())  # long hashes wrap across lines
        assert f"第{head.seq}号事件" in flat and head.hash in flat  # zh-Hans by default
        assert json.loads(checkpoint)["mac"] in flat


def test_without_the_cjk_fonts_the_pdf_says_what_to_install(client_for, quarterly, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # fc-list cannot be found: no fonts known
    pdf.cjk_font_installed.cache_clear()
    try:
        response = client_for("admin").get(national_url("supervision:report-national-file", "pdf"))
    finally:
        pdf.cjk_font_installed.cache_clear()
    assert response.status_code == 503
    html = response.content.decode()
    assert "fonts-noto-cjk" in html and 'data-testid="pdf-unavailable"' in html
    assert not response.content.startswith(b"%PDF")
