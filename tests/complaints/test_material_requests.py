"""A material request says what is wanted, to the complainant; resubmitting
after it needs the material (a new file) or a stated reason."""

import pytest
from django.core.exceptions import ValidationError

from qingqian.complaints import evidence, services
from qingqian.complaints.models import ComplaintEvent, State
from qingqian.complaints.notify import deliver_event_notifications
from qingqian.notifications.models import Notification
from tests.files import PDF

MATERIAL = "请补充2025年6月30日的验收单。"


@pytest.fixture(autouse=True)
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def awaiting(draft, user):
    complaint = services.complaint_submit(actor=user("sme-demo"), complaint=draft())
    return services.complaint_request_material(
        actor=user("gd-intake"), complaint=complaint, note=MATERIAL
    )


@pytest.mark.django_db
def test_the_complainants_message_says_which_material_is_wanted(
    awaiting, django_capture_on_commit_callbacks
):
    event = ComplaintEvent.objects.get(complaint=awaiting, action="request-material")
    with django_capture_on_commit_callbacks(execute=True):
        deliver_event_notifications(event.pk)
    message = Notification.objects.get(recipient__username="sme-demo")
    assert MATERIAL in message.body


@pytest.mark.django_db
def test_the_complainant_sees_the_request_on_the_complaint(awaiting, client_for):
    page = client_for("sme-demo").get(f"/complaints/{awaiting.pk}/").content.decode()
    assert MATERIAL in page


@pytest.mark.django_db
def test_resubmitting_without_material_or_reason_is_refused_on_the_note(awaiting, user):
    with pytest.raises(ValidationError) as refused:
        services.complaint_resubmit(actor=user("sme-demo"), complaint=awaiting)
    assert set(refused.value.message_dict) == {"note"}
    awaiting.refresh_from_db()
    assert awaiting.state == State.AWAITING_MATERIAL


@pytest.mark.django_db
def test_a_new_file_or_a_reason_lets_the_complaint_be_resubmitted(awaiting, draft, user):
    sme = user("sme-demo")
    evidence.evidence_add(actor=sme, complaint=awaiting, name="验收单.pdf", data=PDF)
    complaint = services.complaint_resubmit(actor=sme, complaint=awaiting)
    assert complaint.state == State.SUBMITTED
    complaint = services.complaint_request_material(
        actor=user("gd-intake"), complaint=complaint, note=MATERIAL
    )
    with pytest.raises(ValidationError):  # the earlier file does not answer the new request
        services.complaint_resubmit(actor=sme, complaint=complaint)
    complaint = services.complaint_resubmit(
        actor=sme, complaint=complaint, note="验收单原件已遗失，以签收记录代替。"
    )
    assert complaint.state == State.SUBMITTED
