"""The written result notice (投诉处理结果告知书): a zh-Hans PDF, only for a
resolved or closed complaint, only for those who may see the complaint."""

import shutil
import subprocess
from datetime import date

import pytest

from qingqian.accounts.models import Organisation
from qingqian.complaints import notice, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(draft, user):
    intake, handler = user("gd-intake"), user("gd-handler")
    complaint = services.complaint_submit(
        actor=user("sme-demo"), complaint=draft(), on=date(2026, 9, 29)
    )
    complaint = services.complaint_accept(actor=intake, complaint=complaint, on=date(2026, 9, 30))
    complaint = services.complaint_transfer(
        actor=intake,
        complaint=complaint,
        department=Organisation.objects.get(name="广东省财政厅"),
        on=date(2026, 10, 9),
    )
    complaint = services.complaint_debtor_response(
        actor=handler, complaint=complaint, confirmed_fen=100_000_00, disputed_fen=0
    )
    return services.complaint_submit_result(
        actor=handler,
        complaint=complaint,
        kind="plan",
        text="双方约定分三期于2026年12月31日前付清。",
        on=date(2026, 10, 20),
    )


@pytest.fixture
def resolved(in_review, user):
    return services.complaint_approve_result(actor=user("gd-intake"), complaint=in_review)


def pdf_text(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: install the Debian package poppler-utils")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return "".join(result.stdout.decode("utf-8").split())  # CJK lines break anywhere


def test_the_notice_is_a_pdf_with_the_facts_in_chinese(resolved):
    pdf = notice.render_result_notice(resolved)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in [
        "投诉处理结果告知书",
        resolved.tracking_number,
        "广州市明达机电设备有限公司",  # complainant
        "广东粤海城建集团有限公司",  # debtor
        "广东省中小企业主管部门",  # accepting authority
        "广东省财政厅",  # handling department
        "还款计划",  # the result kind, in Chinese
        "分三期",
    ]:
        assert expected in text, expected


def test_the_view_serves_it_as_a_sandboxed_attachment_to_those_who_may_see_the_complaint(
    resolved, client_for
):
    url = f"/complaints/{resolved.pk}/result-notice.pdf"
    for username in ["sme-demo", "gd-intake", "gd-handler", "debtor-demo"]:
        response = client_for(username).get(url)
        assert response.status_code == 200, username
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="result-notice-{resolved.tracking_number}.pdf"'
        )
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response.content.startswith(b"%PDF")
    for outsider in ["sme-demo-2", "js-intake", "js-handler"]:
        assert client_for(outsider).get(url).status_code == 404, outsider


def test_no_notice_before_the_result_is_approved(in_review, client_for):
    response = client_for("sme-demo").get(f"/complaints/{in_review.pk}/result-notice.pdf")
    assert response.status_code == 404


def test_a_missing_font_is_a_clear_message(resolved, client_for, monkeypatch):
    monkeypatch.setattr(notice, "CJK_FAMILIES", ("No Such Font SC",))
    notice._cjk_font_installed.cache_clear()
    response = client_for("sme-demo").get(f"/complaints/{resolved.pk}/result-notice.pdf")
    assert response.status_code == 503
    assert "fonts-noto-cjk" in response.content.decode()
    with pytest.raises(notice.NoticeUnavailable, match="fonts-noto-cjk"):
        notice.render_result_notice(resolved)


def test_the_notice_states_the_amounts_of_the_result_and_their_basis(resolved):
    text = pdf_text(notice.render_result_notice(resolved))
    # The complaint claims 100,000 outstanding; the plan result confirms and plans all of it.
    for expected in [
        "投诉所称未付金额¥100,000.00",
        "被投诉人确认金额¥100,000.00",
        "其中：纳入还款计划¥100,000.00",
        "存在争议金额¥0.00",
        "金额依据",
        "第十五条",  # the undisputed part is paid on time (Regulations 2025)
    ]:
        assert expected in text, expected
