"""Two-factor sign-in: enrolling an authenticator, recovery codes, checking a
code, and an administrator's reset of a lost device."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingqian.accounts import selectors, verbs
from qingqian.accounts.models import ApiToken, User
from qingqian.accounts.permissions import Perm, require_perm
from qingqian.core import audit

RECOVERY_CODE_COUNT = 10


@transaction.atomic
def totp_device_start(*, actor: User) -> TOTPDevice:
    """Begin two-factor set-up: an unconfirmed device whose secret the user scans.
    Officials may be required to; anyone else may choose to."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=actor, name="default", confirmed=False)
    audit.record(actor=actor, verb=verbs.AUTH_TOTP_START, target=device)
    return device


@transaction.atomic
def totp_device_confirm(*, actor: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the device with one code; returns the new recovery codes, to show once."""
    if device.user_id != actor.pk or device.confirmed:
        raise ValidationError({"token": _("No two-factor set-up is in progress.")})
    if not device.verify_token(token.strip()):
        raise ValidationError({"token": _("The code is wrong or has expired. Try the next one.")})
    TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(actor=actor, verb=verbs.AUTH_TOTP_CONFIRM, target=device)
    return _recovery_codes_issue(actor)


@transaction.atomic
def recovery_codes_generate(*, actor: User) -> list[str]:
    """New recovery codes for someone with two-factor sign-in; the old ones stop working."""
    if not selectors.has_second_factor(user=actor):
        raise ValidationError(_("Turn on two-factor sign-in first."))
    return _recovery_codes_issue(actor)


def _recovery_codes_issue(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit.record(
        actor=user,
        verb=verbs.USER_RECOVERY_CODES_GENERATE,
        target=device,
        payload={"count": len(codes)},
    )
    return codes


@transaction.atomic
def second_factor_verify(*, user: User, code: str) -> Device | None:
    """The one check of a second-factor code, for the web's second sign-in step
    and the API's token alike: the current code of the confirmed authenticator
    (six digits), or an unused recovery code, which this spends. A failure is
    returned, not raised, so that django-otp's count of the device's failures
    (its throttling) is committed."""
    code = "".join(code.split()).replace("-", "").lower()
    if len(code) == 6 and code.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    device = next((d for d in devices if d.verify_token(code)), None)
    if isinstance(device, StaticDevice):
        audit.record(
            actor=user,
            verb=verbs.USER_RECOVERY_CODE_USE,
            target=device,
            payload={"remaining": device.token_set.count()},
        )
    return device


@transaction.atomic
def two_factor_reset(*, actor: User, user: User) -> None:
    """An administrator clears a lost device (and the API tokens issued with it):
    the person enrols again at the next sign-in (officials must; others may).
    Someone outside the administrator's jurisdiction does not exist for them (404)."""
    require_perm(actor, Perm.USER_MANAGE)
    user = selectors.user_get(actor=actor, pk=user.pk)
    had_device = selectors.has_second_factor(user=user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    # Tokens were issued against the lost factor: whoever holds the device may hold them.
    tokens_revoked, _ = ApiToken.objects.filter(user=user).delete()
    audit.record(
        actor=actor,
        verb=verbs.USER_TWO_FACTOR_RESET,
        target=user,
        payload={"had_device": had_device, "tokens_revoked": tokens_revoked},
    )
