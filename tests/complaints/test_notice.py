"""The written result notice (投诉处理结果告知书): the handling department's letter
to the complainant, copied to the accepting department, only for a resolved or
closed complaint, only for those who may see the complaint."""

from datetime import date
from pathlib import Path

import pytest
from django.utils import translation

from qingqian.accounts.models import Organisation
from qingqian.complaints import notice, services
from qingqian.complaints.models import Complaint
from qingqian.core import pdf
from tests.pdfs import first_page_image, ink_share, pdf_lines, pdf_text

pytestmark = pytest.mark.django_db

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "result-notice.png"
COMPLAINANT = "广州市明达机电设备有限公司"
RESPONDENT = "广东粤海城建集团有限公司"
ACCEPTING = "广东省中小企业主管部门"
HANDLING = "广东省财政厅"
REMEDY = (
    "对仍有分歧的部分，你单位可依法向人民法院提起诉讼；双方约定仲裁的，也可依法向仲裁机构申请仲裁。"
)


@pytest.fixture
def transferred(draft, user):
    intake = user("gd-intake")
    complaint = services.complaint_submit(
        actor=user("sme-demo"), complaint=draft(), on=date(2026, 9, 29)
    )
    complaint = services.complaint_accept(actor=intake, complaint=complaint, on=date(2026, 9, 30))
    return services.complaint_transfer(
        actor=intake,
        complaint=complaint,
        department=Organisation.objects.get(name=HANDLING),
        on=date(2026, 10, 9),
    )


@pytest.fixture
def in_review(transferred, user):
    handler = user("gd-handler")
    complaint = services.complaint_debtor_response(
        actor=handler, complaint=transferred, confirmed_fen=100_000_00, disputed_fen=0
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
    return services.complaint_approve_result(
        actor=user("gd-intake"), complaint=in_review, on=date(2026, 10, 22)
    )


@pytest.fixture
def partly(transferred, user):
    """Of the 100,000 yuan the complaint says is unpaid (128,000 owed, 28,000
    paid), 60,000 confirmed (20,000 paid during handling, 40,000 in a plan) and
    40,000 in disagreement."""
    handler = user("gd-handler")
    complaint = services.complaint_debtor_response(
        actor=handler, complaint=transferred, confirmed_fen=60_000_00, disputed_fen=40_000_00
    )
    complaint = services.complaint_submit_result(
        actor=handler,
        complaint=complaint,
        kind="partly",
        text="被投诉人已于2026年10月16日支付20,000元，其余确认部分分两期于2026年12月31日前付清。",
        confirmed_fen=60_000_00,
        disputed_fen=40_000_00,
        paid_fen=20_000_00,
        planned_fen=40_000_00,
        basis="被投诉人2026年10月15日书面确认函；双方2026年10月对账单。",
        on=date(2026, 10, 20),
    )
    return services.complaint_approve_result(
        actor=user("gd-intake"), complaint=complaint, on=date(2026, 10, 22)
    )


def test_the_handling_department_signs_it_after_the_body_and_copies_the_accepting_one(partly):
    lines = pdf_lines(notice.render_result_notice(partly))
    texts = [line.text for line in lines]
    assert {line.page for line in lines} == {1}  # one page
    # Title, then the addressee with its colon (a formal letter's order).
    assert texts[:2] == ["投诉处理结果告知书", f"{COMPLAINANT}："]
    remedy_starts = next(i for i, text in enumerate(texts) if text.startswith("对仍有分歧的部分"))
    signed = texts.index(HANDLING)
    assert signed > remedy_starts
    # The signature (落款): the handling department, the day the result was approved,
    # then the copy line; the accepting department does not sign.
    assert texts[signed + 1 : signed + 3] == ["2026年10月22日", f"抄送：{ACCEPTING}"]
    assert ACCEPTING not in texts
    signature = lines[signed]
    assert signature.x_min > signature.page_width / 2, "the issuer stands at the right"


def test_the_rendered_page_is_a_letter_with_its_glyphs(partly, tmp_path):
    pdf = notice.render_result_notice(partly)
    image = first_page_image(pdf, tmp_path, dpi=100)
    width, height = image.size
    assert abs(width / height - 210 / 297) < 0.01  # A4 portrait
    assert 0.01 < ink_share(image) < 0.2, "text on a white page, neither blank nor black"
    # Where the text layer puts the issuer, the image has ink (glyphs drawn, not
    # an invisible text layer); the page's left margin has none.
    scale = 100 / 72
    issuer = next(line for line in pdf_lines(pdf) if line.text == HANDLING)
    box = (int(issuer.x_min * scale), int(issuer.y_min * scale), int(issuer.x_max * scale))
    assert ink_share(image, (*box, box[1] + int(12 * scale))) > 0.05
    assert ink_share(image, (0, 0, int(20 * 72 / 25.4 * scale), height)) == 0
    # The handler's guide shows this page (docs/guide/*/handler.md).
    image.save(SCREENSHOT, optimize=True)


def test_it_gives_the_complaint_the_facts_the_amounts_and_the_remedy(partly):
    text = pdf_text(notice.render_result_notice(partly))
    for expected in [
        f"你单位于2026年9月29日提交的反映{RESPONDENT}未按约定支付款项的投诉"
        f"（投诉编号：{partly.tracking_number}），经{ACCEPTING}于2026年9月30日受理后"
        f"转我单位处理，我单位于2026年10月9日收到。",
        "一、核实情况",
        "经核实，你单位与被投诉人于2025年3月1日签订合同（合同编号：GZ-2025-0042），"
        "投诉所称该合同项下未付金额为¥100,000.00。",
        "被投诉人确认应付金额¥60,000.00，有分歧金额¥40,000.00。",
        "金额依据：被投诉人2026年10月15日书面确认函；双方2026年10月对账单。",
        "二、处理结果",
        "被投诉人确认部分款项，对其余部分有分歧。",
        "其余确认部分分两期",
        "被投诉人确认的金额中，处理期间已支付¥20,000.00，纳入还款计划¥40,000.00。",
        "第十五条，无分歧部分应当按期支付。",  # accepted after 2025-06-01
        "三、救济途径",
        REMEDY,
        "特此告知。",
    ]:
        assert expected in text, expected


def test_an_english_reader_gets_it_in_english(partly):
    with translation.override("en"):
        pdf = notice.render_result_notice(partly)
    assert {line.page for line in pdf_lines(pdf)} == {1}  # one page in English too
    text = pdf_text(pdf)
    for expected in [
        "Noticeoftheresultofcomplainthandling",
        f"{COMPLAINANT}:",
        f"wasacceptedby{ACCEPTING}on30September2026",
        "Therespondentconfirms CNY60,000.00aspayable".replace(" ", ""),
        "CNY20,000.00waspaidduringhandlingandCNY40,000.00iscoveredbyarepaymentplan",
        "yourunitmaybringanactionbeforeapeople'scourtaccordingtolaw",
        f"{HANDLING}22October2026Copyto:{ACCEPTING}",
    ]:
        assert expected in text, expected
    assert "投诉处理结果告知书" not in text


def test_article_15_is_cited_only_under_the_2025_revision():
    # The version in force when the complaint was accepted decides (DOMAIN.md §2).
    assert not notice.cites_article_15(Complaint(accepted_on=date(2025, 5, 31)))
    assert notice.cites_article_15(Complaint(accepted_on=date(2025, 6, 1)))


def test_a_plan_result_states_the_planned_amount(resolved):
    text = pdf_text(notice.render_result_notice(resolved))
    assert "你单位与被投诉人已达成还款计划。" in text
    assert "双方约定分三期于2026年12月31日前付清。" in text
    assert "处理期间已支付¥0.00，纳入还款计划¥100,000.00。" in text
    assert f"{HANDLING}2026年10月22日抄送：{ACCEPTING}" in text


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


def test_the_view_writes_in_the_readers_language(resolved, client_for):
    client = client_for("sme-demo")
    client.cookies["django_language"] = "en"
    response = client.get(f"/complaints/{resolved.pk}/result-notice.pdf")
    assert "Noticeoftheresultofcomplainthandling" in pdf_text(response.content)


def test_outsiders_get_no_notice(resolved, client_for):
    url = f"/complaints/{resolved.pk}/result-notice.pdf"
    for outsider in ["sme-demo-2", "js-intake", "js-handler"]:
        assert client_for(outsider).get(url).status_code == 404, outsider


def test_no_notice_before_the_result_is_approved(in_review, client_for):
    response = client_for("sme-demo").get(f"/complaints/{in_review.pk}/result-notice.pdf")
    assert response.status_code == 404


def test_a_missing_font_is_a_clear_message(resolved, client_for, monkeypatch):
    monkeypatch.setattr(pdf, "CJK_FAMILIES", ("No Such Font SC",))
    pdf.cjk_font_installed.cache_clear()
    response = client_for("sme-demo").get(f"/complaints/{resolved.pk}/result-notice.pdf")
    assert response.status_code == 503
    assert "fonts-noto-cjk" in response.content.decode()
    with pytest.raises(pdf.PdfUnavailable, match="fonts-noto-cjk"):
        notice.render_result_notice(resolved)
