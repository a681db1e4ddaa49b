"""Evidence is what its whole content is, not what its first bytes or its name say:
polyglots, damaged images and zip bombs are refused with nothing written; a real
file is stored and served under its detected type's extension."""

import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from qingqian.complaints import services
from qingqian.complaints.evidence import evidence_add
from qingqian.complaints.models import Evidence
from qingqian.core.evidence_files import checked_content_type
from qingqian.core.models import AuditEvent
from tests.files import (
    PDF,
    html_behind_a_pdf_header,
    png_bytes,
    svg_behind_a_png_header,
    truncated_png,
    xlsx_bytes,
    zip_bomb_xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def complaint(draft, user):
    return services.complaint_submit(actor=user("sme-demo"), complaint=draft())


def written():
    return Evidence.objects.count(), AuditEvent.objects.count()


def refusal(data: bytes, language: str = "en") -> str:
    with translation.override(language), pytest.raises(ValidationError) as caught:
        checked_content_type(data)
    return " ".join(caught.value.message_dict["file"])


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (PDF, "application/pdf"),
        (png_bytes(), "image/png"),
        (xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_real_files_are_accepted_as_what_they_are(data, content_type):
    assert checked_content_type(data) == content_type


def test_a_pdf_header_without_a_document_is_refused():
    assert "not a readable PDF" in refusal(html_behind_a_pdf_header())
    assert "not a readable PDF" in refusal(PDF[: len(PDF) // 3])


def test_a_png_header_without_an_image_is_refused():
    assert "damaged or incomplete" in refusal(svg_behind_a_png_header())
    assert "damaged or incomplete" in refusal(truncated_png())


def test_an_image_that_decodes_to_too_many_pixels_is_refused():
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, "PNG")  # 60 MP in a few kilobytes
    assert "at most 50,000,000 pixels" in refusal(out.getvalue())


def test_a_zip_bomb_dressed_as_xlsx_is_refused():
    assert "unpacks to more than" in refusal(zip_bomb_xlsx())


def test_a_zip_without_an_office_or_ofd_manifest_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<html>not a manifest</html>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "not a valid XLSX, DOCX or OFD" in refusal(out.getvalue())


def test_the_refusal_is_in_the_readers_language():
    for data in (html_behind_a_pdf_header(), truncated_png(), zip_bomb_xlsx()):
        english, chinese = refusal(data), refusal(data, "zh-hans")
        assert chinese != english and not any("a" <= c <= "z" for c in chinese), chinese


@pytest.mark.parametrize(
    ("name", "data"),
    [("evil.html", html_behind_a_pdf_header()), ("evil.svg", svg_behind_a_png_header())],
)
def test_polyglots_are_refused_on_the_web_and_nothing_is_written(
    name, data, client_for, complaint, media
):
    before = written()
    response = client_for("sme-demo").post(
        f"/complaints/{complaint.pk}/evidence/", {"evidence": [SimpleUploadedFile(name, data)]}
    )
    assert response.status_code == 400
    assert response.context["evidence_form"].errors["evidence"][0].startswith(f"{name}: ")
    assert written() == before
    assert not list(media.rglob("*.*")) and not list(media.glob("evidence/*"))


def test_a_real_pdf_named_html_is_stored_and_served_as_pdf(client_for, complaint, media):
    upload = SimpleUploadedFile("合同.html", PDF, content_type="text/html")
    response = client_for("sme-demo").post(
        f"/complaints/{complaint.pk}/evidence/", {"evidence": [upload]}
    )
    assert response.status_code == 302
    item = complaint.evidence.get()
    assert (item.original_name, item.content_type) == ("合同.pdf", "application/pdf")
    assert [path.suffix for path in media.glob("evidence/*")] == [".pdf"]
    download = client_for("gd-intake").get(f"/complaints/{complaint.pk}/evidence/{item.pk}/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('合同.pdf')}"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_a_file_stored_under_its_old_name_is_served_under_its_detected_type(
    client_for, complaint, user, media
):
    """Files kept before names followed the detected type are served the new way."""
    item = evidence_add(actor=user("sme-demo"), complaint=complaint, name="a.pdf", data=PDF)
    Evidence.objects.filter(pk=item.pk).update(original_name="scan.htm")
    download = client_for("sme-demo").get(f"/complaints/{complaint.pk}/evidence/{item.pk}/")
    assert download["Content-Disposition"] == 'attachment; filename="scan.pdf"'
