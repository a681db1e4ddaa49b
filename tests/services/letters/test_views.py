"""The demand letter pages: the form prefilled from the interest calculator's
query string, a refusal that names the field and writes nothing, the owner's
letter (another SME's is a 404), the PDF and DOCX with the debtor and the amounts
in Chinese, and the attachment that shows on the complaint."""

import io
from datetime import date

import docx
import pytest
from django.urls import reverse

from qingqian.complaints.models import Evidence
from qingqian.services.models import DemandLetter
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db

FORM = {
    "debtor_name": "广东粤海城建集团有限公司",
    "debtor_type": "large",
    "contract_title": "设备采购合同",
    "contract_number": "V-1",
    "contract_signed_on": "2025-01-15",
    "sme_notified_at_signing": "yes",
    "principal_fen": "100,000.00",
    "due_on": "2025-03-31",
    "payments": "2025-04-10 40000",
    "interest_as_of": "2025-04-30",
    "letter_date": "2025-05-06",
}


@pytest.fixture
def form_data(write_letter):
    from qingqian.parties.models import Enterprise

    return {**FORM, "debtor_uscc": Enterprise.objects.get(name=FORM["debtor_name"]).uscc}


def test_the_form_is_prefilled_from_the_calculators_query(client_for):
    query = (
        "principal=100000&due=2025-03-31&end=2025-04-30&agreed_rate=4.5&signed=2025-01-15"
        "&payment=2025-04-10:4000.00&payment=2025-04-20:1000"
    )
    page = client_for("sme-demo").get(f"{reverse('letters:new')}?{query}").content.decode()
    assert 'name="principal_fen" value="100000"' in page
    assert 'name="due_on" value="2025-03-31"' in page
    assert 'name="interest_as_of" value="2025-04-30"' in page
    assert 'name="agreed_rate_percent" value="4.5"' in page
    assert 'name="contract_signed_on" value="2025-01-15"' in page
    assert "2025-04-10 4000.00\n2025-04-20 1000</textarea>" in page


def test_saving_the_form_writes_the_letter_with_its_figures(client_for, form_data):
    response = client_for("sme-demo").post(reverse("letters:new"), form_data)
    letter = DemandLetter.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("letters:detail", args=[letter.pk])
    # 10 days on 100,000.00 and 20 days on 60,000.00, at 0.05% a day.
    assert (letter.interest_fen, letter.outstanding_fen) == (1_100_00, 60_000_00)
    assert letter.pay_by > date(2025, 5, 6)


@pytest.mark.parametrize(
    ("change", "field_label"),
    [
        ({"debtor_uscc": "123"}, "debtor&#x27;s unified social credit code"),
        ({"payments": "2025-04-10 lots"}, "payments already received"),
        ({"interest_as_of": "2025-03-01"}, "count interest up to"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(client_for, form_data, change, field_label):
    client = client_for("sme-demo")
    client.cookies["django_language"] = "en"
    before = DemandLetter.objects.count()
    response = client.post(reverse("letters:new"), {**form_data, **change})
    assert response.status_code == 400
    summary = response.content.decode().split('class="error-summary"')[1].split("</ul>")[0]
    assert field_label in summary
    assert DemandLetter.objects.count() == before


def test_the_owner_sees_the_letter_another_sme_gets_404(client_for, write_letter):
    letter = write_letter()
    mine = client_for("sme-demo")
    assert letter.debtor_name in mine.get(reverse("letters:list")).content.decode()
    assert "¥1,500.00" in mine.get(reverse("letters:detail", args=[letter.pk])).content.decode()
    other = client_for("sme-demo-2")
    for name in ("detail", "pdf", "docx"):
        assert other.get(reverse(f"letters:{name}", args=[letter.pk])).status_code == 404
    assert letter.debtor_name not in other.get(reverse("letters:list")).content.decode()
    official = client_for("gd-intake")
    assert official.get(reverse("letters:list")).status_code == 403
    assert official.get(reverse("letters:pdf", args=[letter.pk])).status_code == 404
    # An administrator holds every permission but writes for no enterprise.
    assert client_for("admin").get(reverse("letters:new")).status_code == 403


def test_the_pdf_carries_the_debtor_and_the_amounts_in_chinese(client_for, write_letter):
    letter = write_letter(payments=[(date(2025, 4, 10), 40_000_00)])
    response = client_for("sme-demo").get(reverse("letters:pdf", args=[letter.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "催款函",
        letter.owner.name,
        f"致：{letter.debtor_name}",
        "人民币100,000.00元",  # owed
        "人民币60,000.00元",  # outstanding
        "人民币1,100.00元",  # interest
        "人民币61,100.00元",  # total
        "已逾期30日",  # 2025-03-31 to 2025-04-30
    ):
        assert expected in text, expected


def test_the_docx_opens_and_says_the_same(client_for, write_letter):
    letter = write_letter()
    response = client_for("sme-demo").get(reverse("letters:docx", args=[letter.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "催款函" in paragraphs and letter.debtor_name in paragraphs
    assert "第十五条" in paragraphs  # interest, 2020 text: signed 2025-01-15
    assert cells[12:14] == ["逾期利息", "人民币1,500.00元"]
    assert cells[14:16] == ["本息合计", "人民币101,500.00元"]


def test_attaching_from_the_page_shows_the_letter_on_the_complaint(
    settings, tmp_path, client_for, write_letter, draft
):
    settings.MEDIA_ROOT = tmp_path
    letter, complaint = write_letter(), draft()
    client = client_for("sme-demo")
    page = client.get(reverse("letters:detail", args=[letter.pk])).content.decode()
    assert f'data-testid="letter-attach-{complaint.pk}"' in page
    response = client.post(reverse("letters:attach", args=[letter.pk]), {"complaint": complaint.pk})
    assert response.status_code == 302
    evidence = Evidence.objects.get(complaint=complaint)
    shown = client.get(reverse("complaint-detail", args=[complaint.pk])).content.decode()
    assert evidence.original_name in shown
    again = client.get(reverse("letters:detail", args=[letter.pk])).content.decode()
    assert f'data-testid="letter-attach-{complaint.pk}"' not in again
    assert 'data-testid="letter-attachments"' in again


def test_another_smes_complaint_is_not_offered_nor_accepted(
    settings, tmp_path, client_for, write_letter, draft
):
    settings.MEDIA_ROOT = tmp_path
    theirs, complaint = write_letter(username="sme-demo-2"), draft()
    client = client_for("sme-demo-2")
    page = client.get(reverse("letters:detail", args=[theirs.pk])).content.decode()
    assert f'value="{complaint.pk}"' not in page
    response = client.post(reverse("letters:attach", args=[theirs.pk]), {"complaint": complaint.pk})
    assert response.status_code == 400
    assert not Evidence.objects.filter(complaint=complaint).exists()


def test_an_unbound_sme_may_not_open_the_pages(client, unbound_sme):
    client.force_login(unbound_sme)
    assert client.get(reverse("letters:list")).status_code == 403
    assert client.get(reverse("letters:new")).status_code == 403


def test_a_provisional_deadline_says_so(client_for, write_letter):
    letter = write_letter(letter_date=date(2026, 12, 24))
    client = client_for("sme-demo")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("letters:detail", args=[letter.pk])).content.decode()
    assert f"<dd>{letter.pay_by.isoformat()}</dd>" in page
    assert "10 working days after 2026-12-24" in page
    assert "provisional: the working-day schedule of that year is not entered yet" in page


def test_writing_and_attaching_leave_no_row_unaudited(
    settings, tmp_path, client_for, form_data, draft
):
    from tests.web.test_every_write_is_audited import assert_audited

    settings.MEDIA_ROOT = tmp_path
    client, complaint = client_for("sme-demo"), draft()
    _response, written = assert_audited(lambda: client.post(reverse("letters:new"), form_data))
    (letter_pk,) = [pk for label, pk in written if label == "services.demandletter"]
    _response, written = assert_audited(
        lambda: client.post(
            reverse("letters:attach", args=[letter_pk]), {"complaint": complaint.pk}
        )
    )
    assert ("complaints.complaint", str(complaint.pk)) in written
