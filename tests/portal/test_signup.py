"""SME accounts without an administrator: sign-up with the size self-test, the
e-mail link and the phone code (console backend), the licence, binding by the
province's intake officer, drafts before binding, colleagues, and closing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qingqian.accounts.models import Role, User
from qingqian.complaints import selectors as complaint_selectors
from qingqian.complaints import services as complaint_services
from qingqian.complaints.models import Complaint
from qingqian.core.audit import AuditEvent
from qingqian.parties.models import Enterprise
from qingqian.portal import selectors, signup
from qingqian.portal.models import Registration, State
from tests.files import pdf_bytes, xlsx_bytes
from tests.portal.signups import NEW_USCC, PASSWORD, particulars


@pytest.fixture
def sms_console(settings):
    settings.QINGQIAN_SMS_BACKEND = "qingqian.notifications.sms.ConsoleBackend"


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def texted_code(capsys) -> str:
    """The last code the console backend printed."""
    codes = re.findall(r"SMS to \d+: .*?(\d{6})", capsys.readouterr().out)
    assert codes, "no text message was printed"
    return codes[-1]


def email_link_token(registration: Registration) -> tuple[str, str]:
    body = mail.outbox[-1].body
    match = re.search(r"/public/signup/email/([^/]+)/([^/\s]+)/", body)
    assert match, body
    return match.group(1), match.group(2)


def started(capsys, django_capture_on_commit_callbacks, **overrides) -> Registration:
    with django_capture_on_commit_callbacks(execute=True):
        return signup.registration_start(**particulars(**overrides))


def verified(capsys, django_capture_on_commit_callbacks, **overrides) -> Registration:
    registration = started(capsys, django_capture_on_commit_callbacks, **overrides)
    _, token = email_link_token(registration)
    signup.email_verify(user=registration.user, token=token)
    signup.phone_verify(actor=registration.user, code=texted_code(capsys))
    registration.refresh_from_db()
    return registration


def in_review(capsys, capture, **overrides) -> Registration:
    registration = verified(capsys, capture, **overrides)
    return signup.licence_upload(actor=registration.user, name="执照.pdf", data=pdf_bytes("执照"))


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_console", "immediate_tasks")]


def test_sign_up_verify_send_licence_and_be_bound(capsys, django_capture_on_commit_callbacks, user):
    registration = started(capsys, django_capture_on_commit_callbacks)
    account = registration.user
    # An SME account of its own, naming the enterprise it asked for; not bound.
    assert (account.username, account.email, account.phone) == (
        "zhou.min@example.cn",
        "zhou.min@example.cn",
        "13800138000",
    )
    assert account.role == Role.SME and account.enterprise_id is None
    assert account.enterprise_claimed.uscc == NEW_USCC
    assert account.enterprise_claimed.type == Enterprise.Type.SME
    # The size self-test under the 2011 standard: industry, 50 staff and ¥10 million
    # revenue are above the small floors (20, 300) and below the medium ones (300, 2,000).
    assert (registration.size_declared, registration.declared_on) == (
        "small",
        timezone.localdate(),
    )
    assert registration.state == State.VERIFYING
    assert mail.outbox[-1].to == ["zhou.min@example.cn"]

    uid, token = email_link_token(registration)
    signup.email_verify(user=account, token=token)
    with pytest.raises(ValidationError):  # the link works once
        signup.email_verify(user=account, token=token)
    signup.phone_verify(actor=account, code=texted_code(capsys))
    registration.refresh_from_db()
    assert registration.state == State.AWAITING_LICENCE

    signup.licence_upload(actor=account, name="执照.pdf", data=pdf_bytes("营业执照"))
    registration.refresh_from_db()
    assert registration.state == State.AWAITING_REVIEW
    intake = user("gd-intake")
    assert list(selectors.registration_list(actor=intake)) == [registration]

    with django_capture_on_commit_callbacks(execute=True):
        signup.registration_approve(actor=intake, registration=registration)
    account.refresh_from_db()
    registration.refresh_from_db()
    assert account.enterprise_id == account.enterprise_claimed_id
    assert registration.state == State.BOUND and registration.reviewed_by == intake
    enterprise = account.enterprise
    assert (enterprise.size_declared, enterprise.size_declared_on, enterprise.staff) == (
        "small",
        registration.declared_on,
        50,
    )
    verbs = list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True))[-7:]
    assert verbs == [
        "enterprise.register_claimant",
        "signup.start",
        "signup.email_verify",
        "signup.phone_verify",
        "signup.licence_upload",
        "enterprise.size_declare",
        "signup.approve",
    ]
    # Nothing personal in the audit trail of the sign-up itself.
    start = AuditEvent.objects.get(verb="signup.start")
    assert "zhou" not in str(start.payload).lower() and "138" not in str(start.payload)
    assert "广州新禾包装有限公司" in mail.outbox[-1].body
    assert "/public/signup/email/" not in mail.outbox[-1].body  # the decision, not the link


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"uscc": NEW_USCC[:-1] + ("0" if NEW_USCC[-1] != "0" else "1")}, "uscc"),
        ({"enterprise_name": "  "}, "enterprise_name"),
        ({"region_code": "999999"}, "region_code"),
        ({"region_code": "660000"}, "region_code"),  # the Corps: no enterprise is located there
        ({"contact_name": ""}, "contact_name"),
        ({"phone": "020-8888888"}, "phone"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "sme-demo@example.cn"}, "email"),
        ({"password": "12345678"}, "password"),
        ({"industry": ""}, "industry"),
        ({"staff": None}, "staff"),
    ],
)
def test_a_refused_sign_up_names_the_field_and_writes_nothing(overrides, field):
    User.objects.create_user(
        "sme-demo@example.cn", "sme-demo@example.cn", "x", role="admin", is_superuser=True
    )
    before = (User.objects.count(), Enterprise.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        signup.registration_start(**particulars(**overrides))
    assert field in refused.value.message_dict
    after = (User.objects.count(), Enterprise.objects.count(), AuditEvent.objects.count())
    assert after == before and not Registration.objects.exists()


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValidationError) as refused:
        signup.registration_start(**particulars(phone="1", email="x", staff=None))
    assert {"phone", "email", "staff"} <= set(refused.value.message_dict)


def test_phone_code_wrong_expired_and_too_many(capsys, django_capture_on_commit_callbacks):
    registration = started(capsys, django_capture_on_commit_callbacks)
    account = registration.user
    code = texted_code(capsys)
    wrong = "000000" if code != "000000" else "111111"
    for tried in range(1, 6):
        with pytest.raises(ValidationError) as refused:
            signup.phone_verify(actor=account, code=wrong)
        assert "code" in refused.value.message_dict
        registration.refresh_from_db()
        assert registration.phone_code_attempts == tried  # kept although refused
    with pytest.raises(ValidationError, match="Too many|次数过多"):
        signup.phone_verify(actor=account, code=code)  # even the right one, after five
    with pytest.raises(ValidationError, match="minute|分钟"):
        signup.phone_code_send(actor=account)  # not within the minute
    Registration.objects.filter(pk=registration.pk).update(
        phone_code_sent_at=timezone.now() - timedelta(minutes=11)
    )
    with pytest.raises(ValidationError, match="expired|过期"):
        signup.phone_verify(actor=account, code=code)
    signup.phone_code_send(actor=account)
    signup.phone_verify(actor=account, code=texted_code(capsys))
    registration.refresh_from_db()
    assert registration.phone_verified_at is not None
    assert registration.state == State.VERIFYING  # the e-mail is not verified yet


def test_the_file_backend_writes_the_message(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.QINGQIAN_SMS_BACKEND = "qingqian.notifications.sms.FileBackend"
    settings.QINGQIAN_SMS_FILE_PATH = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        signup.registration_start(**particulars())
    (message,) = tmp_path.iterdir()
    text = message.read_text(encoding="utf-8")
    assert text.startswith("To: 13800138000") and re.search(r"\d{6}", text)


def test_no_provider_keeps_the_sign_up_and_says_why_the_code_did_not_come(
    settings, django_capture_on_commit_callbacks
):
    settings.QINGQIAN_SMS_BACKEND = "qingqian.notifications.sms.UnconfiguredBackend"
    with django_capture_on_commit_callbacks(execute=True):
        registration = signup.registration_start(**particulars())
    assert registration.phone_code_hash == ""
    with pytest.raises(ValidationError, match="could not be sent|无法发送"):
        signup.phone_code_send(actor=registration.user)


def test_the_licence_must_be_a_document_or_a_picture(capsys, django_capture_on_commit_callbacks):
    registration = verified(capsys, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        signup.licence_upload(actor=registration.user, name="执照.xlsx", data=xlsx_bytes())
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError):
        signup.licence_upload(actor=registration.user, name="执照.pdf", data=b"")
    registration.refresh_from_db()
    assert registration.state == State.AWAITING_LICENCE and not registration.licence_stored_name


def test_only_the_provinces_intake_officers_decide(
    capsys, django_capture_on_commit_callbacks, user
):
    registration = in_review(capsys, django_capture_on_commit_callbacks)
    for outsider in ("js-intake", "sme-demo", "gd-handler"):
        assert not selectors.registration_list(actor=user(outsider)).exists()
        with pytest.raises(PermissionDenied):
            signup.registration_approve(actor=user(outsider), registration=registration)
    with pytest.raises(ValidationError) as refused:
        signup.registration_refuse(actor=user("gd-intake"), registration=registration, reason=" ")
    assert "reason" in refused.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        signup.registration_refuse(
            actor=user("gd-intake"), registration=registration, reason="执照上的名称与企业名称不符"
        )
    registration.refresh_from_db()
    assert registration.state == State.REFUSED
    assert "执照上的名称与企业名称不符" in mail.outbox[-1].body
    assert registration.user.enterprise_id is None
    # A better licence goes back to the queue.
    signup.licence_upload(actor=registration.user, name="执照.pdf", data=pdf_bytes("新执照"))
    registration.refresh_from_db()
    assert registration.state == State.AWAITING_REVIEW


def test_before_binding_drafts_only_and_nothing_of_the_enterprise(
    capsys, django_capture_on_commit_callbacks, user, creditor, debtor, draft
):
    """An account that claims an enterprise with complaints sees none of them."""
    registration = in_review(
        capsys, django_capture_on_commit_callbacks, uscc=creditor.uscc, email="new@example.cn"
    )
    account = registration.user
    draft()  # sme-demo's, for the same enterprise
    assert Complaint.objects.filter(complainant=creditor).exclude(created_by=account).exists()
    assert not complaint_selectors.complaint_list(actor=account).exists()
    draft = complaint_services.complaint_file(
        actor=account,
        complainant=creditor,
        debtor=debtor,
        submit=False,
        contract_number="HT-UNBOUND-1",
    )
    assert list(complaint_selectors.complaint_list(actor=account)) == [draft]
    with pytest.raises(PermissionDenied, match="not yet bound|尚未"):
        complaint_services.complaint_submit(actor=account, complaint=draft)
    with pytest.raises(PermissionDenied):
        complaint_services.complaint_file(
            actor=account, complainant=creditor, debtor=debtor, submit=True
        )
    # The existing enterprise record was not changed by the sign-up.
    creditor_before = Enterprise.objects.get(pk=creditor.pk)
    assert creditor_before.name == creditor.name


def test_a_bound_account_invites_a_colleague(capsys, django_capture_on_commit_callbacks, user):
    registration = in_review(capsys, django_capture_on_commit_callbacks)
    account = registration.user
    with pytest.raises(PermissionDenied):
        signup.colleague_invite(actor=account, full_name="吴兰", email="wu.lan@example.cn")
    signup.registration_approve(actor=user("gd-intake"), registration=registration)
    account.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        colleague = signup.colleague_invite(
            actor=account, full_name="吴兰", email="Wu.Lan@example.cn"
        )
    assert (colleague.role, colleague.enterprise_id) == (Role.SME, account.enterprise_id)
    assert not colleague.has_usable_password()
    assert mail.outbox[-1].to == ["wu.lan@example.cn"]
    assert "/accounts/invitation/" in mail.outbox[-1].body
    assert set(signup.colleagues(actor=account)) == {account, colleague}
    with pytest.raises(ValidationError) as refused:
        signup.colleague_invite(actor=account, full_name="", email="wu.lan@example.cn")
    assert {"full_name", "email"} <= set(refused.value.message_dict)


def test_closing_erases_personal_data_and_keeps_the_complaints(
    capsys, django_capture_on_commit_callbacks, user, debtor, client
):
    registration = in_review(capsys, django_capture_on_commit_callbacks)
    signup.registration_approve(actor=user("gd-intake"), registration=registration)
    account = User.objects.get(pk=registration.user_id)
    draft = complaint_services.complaint_file(
        actor=account,
        complainant=account.enterprise,
        debtor=debtor,
        submit=False,
        contract_number="HT-CLOSE-1",
    )
    licence = registration.licence_stored_name
    with pytest.raises(ValidationError):
        signup.account_close(actor=account, password="wrong")
    signup.account_close(actor=account, password=PASSWORD)
    account.refresh_from_db()
    registration.refresh_from_db()
    assert (account.email, account.first_name, account.phone, account.is_active) == (
        "",
        "",
        "",
        False,
    )
    assert account.username == f"closed-{account.pk}" and not account.has_usable_password()
    assert registration.state == State.CLOSED and registration.licence_stored_name == ""
    from qingqian.core.evidence_files import evidence_dir

    assert not (evidence_dir() / licence).exists()
    assert Complaint.objects.get(pk=draft.pk).complainant_id == account.enterprise_id
    refused = client.post(
        "/accounts/login/", {"username": "zhou.min@example.cn", "password": PASSWORD}
    )
    assert refused.status_code == 200 and "_auth_user_id" not in client.session


def test_the_demo_sign_up_waits_for_guangdong(user):
    from qingqian.demo_portal import DEMO_SIGNUP_EMAIL, seed_demo_signup

    assert seed_demo_signup() == 1 and seed_demo_signup() == 0
    (waiting,) = selectors.registration_list(actor=user("gd-intake"))
    assert waiting.user.email == DEMO_SIGNUP_EMAIL
    assert (waiting.state, waiting.size_declared) == (State.AWAITING_REVIEW, "small")
    assert not selectors.registration_list(actor=user("js-intake")).exists()
