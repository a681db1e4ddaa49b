"""Who hears what about a complaint event: inbox messages and e-mails, delivered
by the task worker after the action commits, never twice, without the
complainant's personal contact details."""

from datetime import date

import pytest
from django.core import mail

from qingqian.accounts.models import Organisation, User
from qingqian.complaints import services
from qingqian.complaints.notify import deliver_event_notifications
from qingqian.complaints.tasks import deliver_event_notifications_task
from qingqian.notifications.models import Notification
from qingqian.notifications.services import notify
from tests.taskqueue import queued_calls

D = date
SME_PHONE, SME_EMAIL, CONTACT = "13800138000", "li@mingda.example.cn", "李明达"


@pytest.fixture
def contacts(db):
    """Everyone in the example has an address; the complainant has personal contact details."""
    for user in User.objects.all():
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    User.objects.filter(username="sme-demo").update(email=SME_EMAIL, phone=SME_PHONE)
    sme = User.objects.get(username="sme-demo").enterprise
    sme.contact_name, sme.contact_phone = CONTACT, SME_PHONE
    sme.save(update_fields=["contact_name", "contact_phone"])


def deliver(event, capture) -> set[str]:
    """Run the delivery of one event; the usernames that got a message."""
    with capture(execute=True):
        deliver_event_notifications(event.pk)
    return set(
        Notification.objects.filter(dedup_key=f"event:{event.pk}").values_list(
            "recipient__username", flat=True
        )
    )


def walk(draft, user):
    """A complaint through submit, accept, transfer, debtor response, result, approval,
    feedback; yields (action, event) after each step."""
    department = Organisation.objects.get(name="广东省财政厅")
    intake, handler, sme = user("gd-intake"), user("gd-handler"), user("sme-demo")
    steps = [
        ("submit", services.complaint_submit, sme, {"on": D(2026, 9, 29)}),
        ("accept", services.complaint_accept, intake, {"on": D(2026, 9, 30)}),
        (
            "transfer",
            services.complaint_transfer,
            intake,
            {"department": department, "on": D(2026, 10, 9)},
        ),
        (
            "debtor-response",
            services.complaint_debtor_response,
            user("debtor-demo"),
            {"confirmed_fen": 100, "disputed_fen": 0},
        ),
        (
            "submit-result",
            services.complaint_submit_result,
            handler,
            {"kind": "paid", "text": "付清"},
        ),
        ("send-back", services.complaint_send_back, intake, {"comments": "请附付款凭证。"}),
        (
            "submit-result",
            services.complaint_submit_result,
            handler,
            {"kind": "paid", "text": "付清"},
        ),
        ("approve-result", services.complaint_approve_result, intake, {}),
        ("feedback", services.complaint_feedback, sme, {"satisfied": True}),
    ]
    complaint = draft(request_text=f"联系人{CONTACT}，电话{SME_PHONE}，请求支付欠款。")
    for action, service, actor, kwargs in steps:
        complaint = service(actor=actor, complaint=complaint, **kwargs)
        yield action, complaint.events.last()


EXPECTED = {
    "submit": {"gd-intake"},
    "accept": {"sme-demo"},
    "transfer": {"sme-demo", "gd-handler", "debtor-demo"},
    "debtor-response": {"sme-demo"},
    "submit-result": {"gd-intake"},  # internal: the SME hears of the approved result only
    "send-back": {"gd-handler"},
    "approve-result": {"sme-demo"},
    "feedback": {"gd-intake"},
}


@pytest.mark.django_db
def test_who_hears_what_along_the_journey(
    draft, user, contacts, django_capture_on_commit_callbacks
):
    for action, event in walk(draft, user):
        assert deliver(event, django_capture_on_commit_callbacks) == EXPECTED[action], action
    for message in Notification.objects.all():
        assert message.url == f"/complaints/{event.complaint_id}/"
        for secret in (SME_PHONE, SME_EMAIL, CONTACT):
            assert secret not in message.subject + message.body
    for email in mail.outbox:
        for secret in (SME_PHONE, SME_EMAIL, CONTACT):
            assert secret not in email.subject + email.body
        assert f"http://127.0.0.1:8000/complaints/{event.complaint_id}/" in email.body
    assert len(mail.outbox) == Notification.objects.count() == 11  # 1+1+3+1+1+1+1+1+1
    assert Notification.objects.filter(emailed=True).count() == 11


@pytest.mark.django_db
def test_delivering_again_sends_nothing(draft, user, contacts, django_capture_on_commit_callbacks):
    _action, event = next(walk(draft, user))
    assert deliver(event, django_capture_on_commit_callbacks) == {"gd-intake"}
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_event_notifications(event.pk) == 0
    assert len(mail.outbox) == 1
    assert event.complaint.tracking_number in Notification.objects.get().subject


@pytest.mark.django_db
def test_notify_is_once_per_recipient_and_key(user, django_capture_on_commit_callbacks):
    someone = user("gd-intake")
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipient=someone, dedup_key="k", subject="s", body="b", url="/x/")
        second = notify(recipient=someone, dedup_key="k", subject="s", body="b", url="/x/")
    assert first is not None and second is None
    assert not first.emailed and mail.outbox == []  # no address, no e-mail


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_after_commit(seeded_live_db, draft, user, mailoutbox, run_worker):
    User.objects.filter(username="gd-intake").update(email="gd-intake@example.cn")
    complaint = services.complaint_submit(
        actor=user("sme-demo"), complaint=draft(), on=D(2026, 9, 29)
    )
    delivery = [call for call in queued_calls() if call[0].endswith("notifications_task")]
    submitted = complaint.events.get(action="submit")
    assert delivery == [(deliver_event_notifications_task.module_path, [submitted.pk])]
    assert not Notification.objects.exists()

    run_worker()

    assert queued_calls() == []
    message = Notification.objects.get(recipient__username="gd-intake")
    assert complaint.tracking_number in message.subject
    assert message.url == f"/complaints/{complaint.pk}/"
    assert [m.to for m in mailoutbox] == [["gd-intake@example.cn"]]
