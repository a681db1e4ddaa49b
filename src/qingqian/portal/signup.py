"""SME accounts without an administrator: sign-up, its proofs, binding by the
province, colleagues invited by the enterprise, and closing an account.

An account made here has the SME role and names the enterprise it asked for
(`User.enterprise_claimed`); `User.enterprise` stays empty, so every selector
shows it nothing of the enterprise, until an intake officer of the enterprise's
province has checked the business licence and binds it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Role, User
from qingqian.accounts.permissions import Perm, require_perm
from qingqian.accounts.services import sessions_end
from qingqian.accounts.services.invitations import (
    invitation_create_for_enterprise,
    normalised_email,
    person_errors,
)
from qingqian.core import audit, evidence_files, filetypes
from qingqian.core.messages import uscc_error_message
from qingqian.core.queue import enqueue_with_change
from qingqian.core.regions import is_valid_region_code
from qingqian.core.scoping import scope_for
from qingqian.core.sizeclass import Classification, SizeClassError, classify
from qingqian.core.uscc import check_uscc
from qingqian.notifications.sms import SmsNotSent, send_text
from qingqian.parties import services as party_services
from qingqian.portal import verbs
from qingqian.portal.models import TRANSITIONS, Registration
from qingqian.portal.tasks import send_decision_task, send_email_link_task
from qingqian.portal.tokens import email_tokens

# Mainland mobile numbers: 11 digits starting 13-19 (an optional +86 is dropped).
PHONE_DIGITS = 11
CODE_RESEND_SECONDS = 60
CODE_ATTEMPTS = 5
LICENCE_TYPES = {filetypes.PDF, filetypes.JPEG, filetypes.PNG, filetypes.OFD}


def normalised_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[2:] if len(digits) == PHONE_DIGITS + 2 and digits.startswith("86") else digits


def is_mobile_number(phone: str) -> bool:
    return len(phone) == PHONE_DIGITS and phone[0] == "1" and phone[1] in "3456789"


# --- sign-up ---


def size_self_test(facts: dict, on) -> Classification:
    """The size class the standard in force `on` gives the declared facts, or the
    field-named errors of facts it cannot classify."""
    try:
        return classify(
            facts.get("industry") or "",
            facts.get("staff"),
            facts.get("revenue_wan"),
            facts.get("assets_wan"),
            on,
        )
    except SizeClassError as error:
        field = {"staff": "staff", "revenue": "revenue_wan", "assets": "assets_wan"}.get(
            error.measure or "", "industry"
        )
        message = (
            _("Choose your industry.")
            if field == "industry"
            else _("Your industry's size test needs this figure.")
        )
        raise ValidationError({field: message}) from error


def signup_errors(*, uscc, enterprise_name, region_code, contact_name, phone, email) -> dict:
    """Every problem of the particulars, by field (the size facts and the
    password are checked by `size_self_test` and Django's validators)."""
    errors = {}
    result = check_uscc(uscc)
    if not result.valid:
        errors["uscc"] = uscc_error_message(result)
    if not enterprise_name.strip():
        errors["enterprise_name"] = _("Enter the enterprise's full name.")
    if not is_valid_region_code(region_code):
        errors["region_code"] = _("Choose the region where the enterprise is registered.")
    if not is_mobile_number(normalised_phone(phone)):
        errors["phone"] = _("Enter a mainland mobile number of 11 digits.")
    return {
        **errors,
        **person_errors(full_name=contact_name, email=email, name_field="contact_name"),
    }


@transaction.atomic
def registration_start(
    *,
    uscc: str,
    enterprise_name: str,
    region_code: str,
    contact_name: str,
    phone: str,
    email: str,
    password: str,
    industry: str,
    staff: int | None,
    revenue_wan: Decimal | None,
    assets_wan: Decimal | None,
) -> Registration:
    """An SME's own account: checked particulars, the size self-test of today,
    the e-mail link and the phone code sent. Refused as a whole, naming each
    field, when anything is wrong."""
    email = normalised_email(email)
    facts = {"industry": industry, "staff": staff, "revenue_wan": revenue_wan}
    facts["assets_wan"] = assets_wan
    today = timezone.localdate()
    errors = signup_errors(
        uscc=uscc,
        enterprise_name=enterprise_name,
        region_code=region_code,
        contact_name=contact_name,
        phone=phone,
        email=email,
    )
    classification = _collect(errors, lambda: size_self_test(facts, today))
    user = User(
        username=email,
        email=email,
        first_name=contact_name.strip(),
        phone=normalised_phone(phone),
        role=Role.SME,
    )
    _collect(errors, lambda: _validate_password(password, user))
    if errors:
        raise ValidationError(errors)
    enterprise = party_services.enterprise_find_or_register_claimant(
        actor=None,
        uscc=uscc,
        name=enterprise_name,
        region_code=region_code,
        contact_name=contact_name,
        contact_phone="",
    )
    user.enterprise_claimed = enterprise
    user.set_password(password)
    user.save()
    registration = Registration.objects.create(
        user=user,
        enterprise=enterprise,
        enterprise_name=enterprise_name.strip(),
        region_code=region_code,
        **facts,
        size_declared=classification.size,
        declared_on=today,
    )
    audit.record(
        actor=user,
        verb=verbs.SIGNUP_START,
        target=registration,
        payload={"uscc": enterprise.uscc, "region": region_code, "size": classification.size},
    )
    _send_email_link(registration)
    _send_code_if_possible(registration)
    return registration


def _collect(errors: dict, check):
    """Run one check, adding its field errors to `errors` (so that all are reported)."""
    try:
        return check()
    except ValidationError as error:
        errors.update(error.message_dict)
        return None


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error


def _send_email_link(registration: Registration) -> None:
    enqueue_with_change(send_email_link_task, registration.user_id)


# --- proofs ---


def registration_of(actor) -> Registration:
    """The signed-in account's own sign-up (a 404-like refusal for any other)."""
    registration = Registration.objects.filter(user_id=getattr(actor, "pk", None)).first()
    if registration is None:
        raise PermissionDenied(_("This account did not sign up here."))
    return registration


@transaction.atomic
def email_verify(*, user: User, token: str) -> Registration:
    """The e-mailed link proves the address (the link works once)."""
    registration = Registration.objects.select_for_update().get(user=user)
    if registration.email_verified_at or not email_tokens.check_token(user, token):
        raise ValidationError({"token": _("This link has been used or has expired.")})
    registration.email_verified_at = timezone.now()
    _advance_if_verified(registration)
    registration.save()
    audit.record(actor=user, verb=verbs.SIGNUP_EMAIL_VERIFY, target=registration, payload={})
    return registration


@transaction.atomic
def email_link_resend(*, actor) -> Registration:
    registration = _locked(actor)
    if registration.email_verified_at:
        raise ValidationError({"email": _("Your e-mail address is already verified.")})
    audit.record(actor=actor, verb=verbs.SIGNUP_EMAIL_RESEND, target=registration, payload={})
    _send_email_link(registration)
    return registration


@transaction.atomic
def phone_code_send(*, actor) -> Registration:
    """A new code by text message (the one before stops working); at most one a minute."""
    registration = _locked(actor)
    if registration.phone_verified_at:
        raise ValidationError({"code": _("Your phone number is already verified.")})
    sent = registration.phone_code_sent_at
    if sent and timezone.now() - sent < timedelta(seconds=CODE_RESEND_SECONDS):
        raise ValidationError({"code": _("A code was sent less than a minute ago: wait for it.")})
    try:
        _send_code(registration)
    except SmsNotSent as error:
        raise ValidationError(
            {"code": _("The text message could not be sent. Try again later.")}
        ) from error
    audit.record(actor=actor, verb=verbs.SIGNUP_CODE_SEND, target=registration, payload={})
    return registration


def _send_code_if_possible(registration: Registration) -> None:
    """At sign-up: a provider that is down must not lose the sign-up (the page
    offers to send the code again)."""
    with contextlib.suppress(SmsNotSent):
        _send_code(registration)


def _send_code(registration: Registration) -> None:
    """Text a new code, then keep its hash (a code that was not sent is not kept)."""
    code = f"{secrets.randbelow(10**6):06d}"
    body = _("Qingqian: your verification code is %(code)s. It is valid for %(minutes)d minutes.")
    send_text(
        registration.user.phone,
        body % {"code": code, "minutes": settings.QINGQIAN_SIGNUP_CODE_MINUTES},
    )
    registration.phone_code_hash = _code_hash(registration, code)
    registration.phone_code_sent_at = timezone.now()
    registration.phone_code_attempts = 0
    registration.save(
        update_fields=["phone_code_hash", "phone_code_sent_at", "phone_code_attempts"]
    )


def _code_hash(registration: Registration, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    message = f"signup-phone:{registration.pk}:{code}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def phone_verify(*, actor, code: str) -> Registration:
    """The code texted to the phone proves it: valid for QINGQIAN_SIGNUP_CODE_MINUTES,
    five tries per code. A wrong code is refused, and the try it used is kept."""
    registration, problem = _phone_verify(actor, code.strip())
    if problem:
        raise ValidationError({"code": problem})
    return registration


@transaction.atomic
def _phone_verify(actor, code: str) -> tuple[Registration, str | None]:
    registration = _locked(actor)
    if registration.phone_verified_at:
        return registration, None
    problem = _code_problem(registration, code)
    if problem:
        registration.save(update_fields=["phone_code_attempts"])
        return registration, problem
    registration.phone_verified_at = timezone.now()
    registration.phone_code_hash = ""
    _advance_if_verified(registration)
    registration.save()
    audit.record(actor=actor, verb=verbs.SIGNUP_PHONE_VERIFY, target=registration, payload={})
    return registration, None


def _code_problem(registration: Registration, code: str) -> str | None:
    if not registration.phone_code_hash or registration.phone_code_sent_at is None:
        return _("Ask for a code first.")
    lifetime = timedelta(minutes=settings.QINGQIAN_SIGNUP_CODE_MINUTES)
    if timezone.now() - registration.phone_code_sent_at > lifetime:
        return _("The code has expired: ask for a new one.")
    if registration.phone_code_attempts >= CODE_ATTEMPTS:
        return _("Too many wrong codes: ask for a new one.")
    registration.phone_code_attempts += 1
    if not hmac.compare_digest(registration.phone_code_hash, _code_hash(registration, code)):
        return _("The code is wrong.")
    return None


def _advance_if_verified(registration: Registration) -> None:
    if registration.email_verified_at and registration.phone_verified_at:
        registration.state = TRANSITIONS.next_state(registration.state, "verify")


@transaction.atomic
def licence_upload(*, actor, name: str, data: bytes) -> Registration:
    """The business licence (PDF, OFD, JPEG or PNG), checked by content; sends the
    sign-up to the province's intake officers."""
    registration = _locked(actor)
    _require_action(registration, "upload-licence")
    content_type = evidence_files.checked_content_type(data)
    if content_type not in LICENCE_TYPES:
        raise ValidationError({"file": _("Send the licence as a PDF, OFD, JPEG or PNG file.")})
    stored = evidence_files.stored_evidence(name, data, content_type)
    registration.licence_name = stored["original_name"]
    registration.licence_stored_name = stored["stored_name"]
    registration.licence_content_type = content_type
    registration.licence_size = stored["size"]
    registration.licence_sha256 = stored["sha256"]
    registration.licence_uploaded_at = timezone.now()
    registration.state = TRANSITIONS.next_state(registration.state, "upload-licence")
    registration.save()
    audit.record(
        actor=actor,
        verb=verbs.SIGNUP_LICENCE_UPLOAD,
        target=registration,
        payload={"size": stored["size"], "sha256": stored["sha256"], "type": content_type},
    )
    return registration


def _locked(actor) -> Registration:
    registration = registration_of(actor)
    return Registration.objects.select_for_update().get(pk=registration.pk)


def _require_action(registration: Registration, action: str) -> None:
    if not TRANSITIONS.allowed(registration.state, action):
        raise ValidationError(
            {
                "state": _("This cannot be done now: the sign-up is %(state)s.")
                % {"state": registration.get_state_display()}
            }
        )


# --- the province's check ---


def _reviewable(actor, registration: Registration) -> Registration:
    require_perm(actor, Perm.SIGNUP_REVIEW)
    if not scope_for(actor).covers_region(registration.region_code):
        raise PermissionDenied(_("This sign-up is outside your jurisdiction."))
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    return locked


@transaction.atomic
def registration_approve(*, actor, registration: Registration) -> Registration:
    """The licence matches: the account acts for the enterprise from now on, and
    the enterprise keeps the size self-test with its date."""
    registration = _reviewable(actor, registration)
    _require_action(registration, "approve")
    user = User.objects.select_for_update().get(pk=registration.user_id)
    user.enterprise = registration.enterprise
    user.save(update_fields=["enterprise"])
    party_services.enterprise_declare_size(
        actor=actor,
        enterprise=registration.enterprise,
        facts={
            "industry": registration.industry,
            "staff": registration.staff,
            "revenue_wan": registration.revenue_wan,
            "assets_wan": registration.assets_wan,
        },
        on=registration.declared_on,
    )
    _decide(actor, registration, "approve", verbs.SIGNUP_APPROVE, reason="")
    return registration


@transaction.atomic
def registration_refuse(*, actor, registration: Registration, reason: str) -> Registration:
    """The licence does not prove the account acts for the enterprise; the SME is
    told why and may send another."""
    registration = _reviewable(actor, registration)
    _require_action(registration, "refuse")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so that the SME can put it right.")})
    _decide(actor, registration, "refuse", verbs.SIGNUP_REFUSE, reason=reason.strip())
    return registration


def _decide(actor, registration: Registration, action: str, verb: str, *, reason: str) -> None:
    registration.state = TRANSITIONS.next_state(registration.state, action)
    registration.reviewed_by = actor
    registration.reviewed_at = timezone.now()
    registration.refusal_reason = reason
    registration.save()
    audit.record(actor=actor, verb=verb, target=registration, payload={"reason": reason})
    enqueue_with_change(send_decision_task, registration.pk)


# --- colleagues and closing ---


@transaction.atomic
def colleague_invite(*, actor, full_name: str, email: str) -> User:
    """A bound SME account invites a colleague to act for the same enterprise:
    bound at once (the enterprise vouches for them), a password set by the link."""
    require_perm(actor, Perm.COLLEAGUES_INVITE)
    if actor.role != Role.SME or actor.enterprise_id is None:
        raise PermissionDenied(_("Only an account bound to its enterprise may invite colleagues."))
    email = normalised_email(email)
    errors = person_errors(full_name=full_name, email=email)
    if errors:
        raise ValidationError(errors)
    return invitation_create_for_enterprise(
        actor=actor, full_name=full_name, email=email, enterprise=actor.enterprise
    )


def colleagues(*, actor):
    """The accounts acting for the actor's enterprise (none while unbound)."""
    if actor.role != Role.SME or actor.enterprise_id is None:
        return User.objects.none()
    return User.objects.filter(enterprise_id=actor.enterprise_id, role=Role.SME, is_active=True)


@transaction.atomic
def account_close(*, actor, password: str) -> User:
    """An SME account closes itself: its personal data is erased and it can never
    sign in again; its enterprise's complaints stay with the enterprise."""
    if actor.role != Role.SME:
        raise PermissionDenied(_("Officials' accounts are deactivated by an administrator."))
    user = User.objects.select_for_update().get(pk=actor.pk)
    if not user.check_password(password):
        raise ValidationError({"password": _("Your password is wrong.")})
    registration = Registration.objects.select_for_update().filter(user=user).first()
    if registration is not None:
        _erase_registration(registration)
    user.username = f"closed-{user.pk}"
    user.email = user.first_name = user.last_name = user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.api_tokens.all().delete()
    sessions_end(user=user)
    audit.record(actor=user, verb=verbs.ACCOUNT_CLOSE, target=user, payload={})
    return user


def _erase_registration(registration: Registration) -> None:
    """The licence may name people (the legal representative): its file goes too."""
    if registration.licence_stored_name:
        (evidence_files.evidence_dir() / registration.licence_stored_name).unlink(missing_ok=True)
    registration.licence_name = registration.licence_stored_name = ""
    registration.phone_code_hash = ""
    registration.state = TRANSITIONS.next_state(registration.state, "close")
    registration.save()
