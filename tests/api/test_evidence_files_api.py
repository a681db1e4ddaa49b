"""The API refuses polyglot evidence like the web does, writes nothing on refusal,
and serves a real file under its detected type with the download headers."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qingqian.complaints.models import Evidence, State
from qingqian.core.models import AuditEvent
from qingqian.ledger.models import LedgerEvidence
from tests.api.test_complaints_api import make_complaint
from tests.api.test_ledger_api import make_item
from tests.files import PDF, html_behind_a_pdf_header, svg_behind_a_png_header, zip_bomb_xlsx

pytestmark = pytest.mark.django_db

POLYGLOTS = [("evil.html", html_behind_a_pdf_header()), ("evil.svg", svg_behind_a_png_header())]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def written():
    return Evidence.objects.count(), LedgerEvidence.objects.count(), AuditEvent.objects.count()


def assert_served_as_pdf(download):
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('合同.pdf')}"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(("name", "data"), [*POLYGLOTS, ("bomb.xlsx", zip_bomb_xlsx())])
def test_complaint_evidence_refusals_name_the_field_and_write_nothing(
    name, data, api_client_for, media
):
    complaint = make_complaint(State.SUBMITTED)
    sme = api_client_for("sme-demo")  # issuing its token is audited: before counting
    before = written()
    response = sme.post(
        f"/api/v1/complaints/{complaint.pk}/evidence/",
        {"file": SimpleUploadedFile(name, data)},
        format="multipart",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"file"}
    assert written() == before
    assert not list(media.rglob("*.*")) and not list(media.glob("evidence/*"))


@pytest.mark.parametrize(("name", "data"), POLYGLOTS)
def test_ledger_evidence_refusals_write_nothing(name, data, api_client_for, media):
    item = make_item()
    debtor = api_client_for("debtor-demo")
    before = written()
    response = debtor.post(
        f"/api/v1/ledger/items/{item.pk}/evidence/", {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"file"}
    assert written() == before
    assert not list(media.glob("evidence/*"))


def test_a_complaint_pdf_named_html_is_served_as_pdf(api_client_for, media):
    complaint = make_complaint(State.SUBMITTED)
    url = f"/api/v1/complaints/{complaint.pk}/evidence/"
    response = api_client_for("sme-demo").post(
        url, {"file": SimpleUploadedFile("合同.html", PDF)}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["original_name"], body["content_type"]) == ("合同.pdf", "application/pdf")
    assert [path.suffix for path in media.glob("evidence/*")] == [".pdf"]
    assert_served_as_pdf(api_client_for("gd-intake").get(f"{url}{body['id']}/"))


def test_a_ledger_pdf_named_html_is_served_as_pdf(api_client_for, media):
    item = make_item()
    url = f"/api/v1/ledger/items/{item.pk}/evidence/"
    response = api_client_for("debtor-demo").post(
        url, {"file": SimpleUploadedFile("合同.html", PDF)}
    )
    assert response.status_code == 201, response.json()
    assert_served_as_pdf(api_client_for("sme-demo").get(f"{url}{response.json()['id']}/"))
