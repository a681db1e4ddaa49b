"""A full uploads volume: a real 64 KiB tmpfs as MEDIA_ROOT, and files larger
than what is left. Nothing of the file stays, no row is written, and the user
is told the storage is full (503, page or API JSON)."""

import io
import os
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qingqian.accounts.models import User
from qingqian.complaints import evidence as complaint_evidence
from qingqian.complaints.models import Evidence
from qingqian.core.file_storage import StorageFull, write_whole
from qingqian.core.models import AuditEvent
from qingqian.ledger.imports.upload import ledger_import_upload
from qingqian.ledger.models import LedgerImport
from tests.api.test_complaints_api import make_complaint
from tests.files import pdf_bytes

VOLUME_BYTES = 64 * 1024
# A valid PDF too large for the volume (its title pads it), and one that fits.
LARGE_PDF = pdf_bytes(title="x" * (2 * VOLUME_BYTES))
SMALL_PDF = pdf_bytes(title="small")
FULL_MESSAGE = "The server's file storage is full: nothing was saved. Please try again later."


@pytest.fixture
def full_volume(settings, tmp_path):
    """MEDIA_ROOT on a tmpfs of 64 KiB (needs root to mount)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    volume = tmp_path / "uploads"
    volume.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={VOLUME_BYTES}", "tmpfs", str(volume)], check=True
    )
    settings.MEDIA_ROOT = volume
    yield volume
    subprocess.run(["umount", str(volume)], check=True)


def stored_files(volume):
    return sorted(path.name for path in volume.rglob("*") if path.is_file())


def test_a_write_that_runs_out_of_space_leaves_no_file(full_volume):
    target = full_volume / "big"
    with pytest.raises(StorageFull):
        write_whole(target, [b"x" * 1024] * (2 * VOLUME_BYTES // 1024))
    assert stored_files(full_volume) == []
    write_whole(target, [b"fits"])  # the space came back: a small file is written
    assert target.read_bytes() == b"fits"


@pytest.mark.django_db
def test_several_files_of_which_one_does_not_fit_keep_none(full_volume):
    complaint = make_complaint("submitted")
    before = (Evidence.objects.count(), AuditEvent.objects.count())
    with pytest.raises(StorageFull):
        complaint_evidence.evidence_add_all(
            actor=User.objects.get(username="sme-demo"),
            complaint=complaint,
            files=[("fits.pdf", SMALL_PDF), ("too-large.pdf", LARGE_PDF)],
        )
    assert stored_files(full_volume) == []
    assert (Evidence.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_the_page_says_the_storage_is_full(client_for, full_volume):
    complaint = make_complaint("submitted")
    client = client_for("sme-demo")
    client.cookies["django_language"] = "en"
    before = Evidence.objects.count()
    files = [SimpleUploadedFile("fits.pdf", SMALL_PDF), SimpleUploadedFile("big.pdf", LARGE_PDF)]
    response = client.post(f"/complaints/{complaint.pk}/evidence/", {"evidence": files})
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    assert b"The server's file storage is full" in response.content
    assert b"nothing was saved" in response.content
    assert stored_files(full_volume) == []
    assert Evidence.objects.count() == before


@pytest.mark.django_db
def test_the_api_says_the_storage_is_full_in_json(api_client_for, full_volume):
    complaint = make_complaint("submitted")
    client = api_client_for("sme-demo")
    before = Evidence.objects.count()
    response = client.post(
        f"/api/v1/complaints/{complaint.pk}/evidence/",
        {"file": SimpleUploadedFile("big.pdf", LARGE_PDF)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 503
    assert response.json() == {"code": "storage_full", "message": FULL_MESSAGE, "fields": {}}
    assert response["Retry-After"] == "300"
    assert stored_files(full_volume) == []
    assert Evidence.objects.count() == before


@pytest.mark.django_db
def test_a_ledger_return_too_large_for_the_volume_leaves_no_file_nor_import(full_volume):
    official = User.objects.get(username="gd-intake")
    before = LedgerImport.objects.count()
    with pytest.raises(StorageFull):
        ledger_import_upload(
            actor=official,
            owner=official.organisation,
            fileobj=io.BytesIO(b"a,b,c\n" * VOLUME_BYTES),
            original_name="台账.csv",
        )
    assert stored_files(full_volume) == []
    assert LedgerImport.objects.count() == before
