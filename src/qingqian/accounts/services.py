"""Audited writes of organisations, users, sign-ins, API tokens and 2FA devices."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingqian.accounts import bootstrap, selectors, verbs
from qingqian.accounts.models import ENTERPRISE_ROLES, ApiToken, Organisation, Role, User
from qingqian.accounts.permissions import Perm, require_perm
from qingqian.accounts.tokens import hash_key
from qingqian.core import audit
from qingqian.core.regions import is_valid_region_code
from qingqian.core.scoping import NATIONAL_REGION_CODE, region_prefix, scope_for

API_TOKEN_LIFETIME = timedelta(days=30)
RECOVERY_CODE_COUNT = 10

# Which kinds may sit under which parent kind.
ALLOWED_PARENT_KINDS = {
    Organisation.Kind.NATIONAL_AUTHORITY: {None},
    Organisation.Kind.PROVINCIAL_AUTHORITY: {Organisation.Kind.NATIONAL_AUTHORITY},
    Organisation.Kind.CITY_AUTHORITY: {Organisation.Kind.PROVINCIAL_AUTHORITY},
    Organisation.Kind.COUNTY_AUTHORITY: {Organisation.Kind.CITY_AUTHORITY},
    Organisation.Kind.HANDLING_DEPARTMENT: {
        Organisation.Kind.NATIONAL_AUTHORITY,
        Organisation.Kind.PROVINCIAL_AUTHORITY,
        Organisation.Kind.CITY_AUTHORITY,
        Organisation.Kind.COUNTY_AUTHORITY,
    },
}


@transaction.atomic
def organisation_create(
    *, actor, name: str, kind: str, region_code: str, parent: Organisation | None
) -> Organisation:
    require_perm(actor, Perm.ORGANISATION_MANAGE)
    name = name.strip()
    _organisation_check(name=name, kind=kind, region_code=region_code, parent=parent)
    if actor is not None and not scope_for(actor).covers_region(region_code):
        raise ValidationError({"region_code": _("This region is outside your jurisdiction.")})
    organisation = _organisation_insert(name, kind, region_code, parent)
    audit.record(
        actor=actor,
        verb=verbs.ORGANISATION_CREATE,
        target=organisation,
        payload={
            "name": name,
            "kind": kind,
            "region_code": region_code,
            "parent": parent and parent.pk,
        },
    )
    return organisation


def _organisation_check(*, name: str, kind: str, region_code: str, parent) -> None:
    errors = {}
    if not name:
        errors["name"] = _("Enter the organisation's name.")
    if kind not in Organisation.Kind.values:
        errors["kind"] = _("Choose a valid kind of organisation.")
    elif (parent.kind if parent else None) not in ALLOWED_PARENT_KINDS[kind]:
        errors["parent"] = _("This kind of organisation cannot sit under that parent.")
    if region_code != "000000" and not is_valid_region_code(region_code):
        errors["region_code"] = _("Enter a valid 6-digit administrative division code.")
    elif parent and not region_code.startswith(region_prefix(parent.region_code)):
        errors["region_code"] = _("The region must lie within the parent organisation's region.")
    if parent and Organisation.objects.filter(parent=parent, name=name).exists():
        errors["name"] = _("The parent organisation already has a unit of this name.")
    if errors:
        raise ValidationError(errors)


def _organisation_insert(name: str, kind: str, region_code: str, parent) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, kind=kind, region_code=region_code, parent=parent, path=""
    )
    organisation.path = f"{parent.path if parent else '/'}{organisation.pk}/"
    organisation.save(update_fields=["path"])
    return organisation


@transaction.atomic
def organisations_bootstrap(
    *, actor, planning_cities: bool = False, prefectures: bool = False
) -> tuple[list[Organisation], int]:
    """Create whichever of the national and reporting units' authorities are
    missing (see accounts.bootstrap); an authority counts as present when its
    parent already has a unit of its name. Returns (created, already present).
    One audit event names every organisation created; a run that creates
    nothing records nothing. Only the system or a national administrator may."""
    require_perm(actor, Perm.ORGANISATION_MANAGE)
    if actor is not None and not scope_for(actor).covers_region(NATIONAL_REGION_CODE):
        raise PermissionDenied(_("You do not have permission to do this."))
    national = Organisation.objects.filter(kind=Organisation.Kind.NATIONAL_AUTHORITY).first()
    created = []
    if national is None:
        national = _authority_create(bootstrap.NATIONAL_AUTHORITY, None)
        created.append(national)
    wanted = bootstrap.reporting_authorities(
        planning_cities=planning_cities, prefectures=prefectures
    )
    # The provincial authorities by region code, for their cities.
    provincial = {}
    for authority in wanted:
        parent = provincial[authority.parent_code] if authority.parent_code else national
        organisation = parent.children.filter(name=authority.name).first()
        if organisation is None:
            organisation = _authority_create(authority, parent)
            created.append(organisation)
        provincial.setdefault(authority.region_code, organisation)
    if created:
        audit.record(
            actor=actor,
            verb=verbs.ORGANISATIONS_BOOTSTRAP,
            payload={"created": {"accounts.organisation": [_described(o) for o in created]}},
        )
    return created, len(wanted) + 1 - len(created)


def _authority_create(authority: bootstrap.Authority, parent) -> Organisation:
    fields = {"name": authority.name, "kind": authority.kind, "region_code": authority.region_code}
    _organisation_check(**fields, parent=parent)
    return _organisation_insert(**fields, parent=parent)


def _described(organisation: Organisation) -> dict:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": organisation.kind,
        "region_code": organisation.region_code,
        "parent": organisation.parent_id,
    }


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    organisation: Organisation | None = None,
    enterprise=None,
    full_name: str = "",
    email: str = "",
    validate: bool = True,
    two_factor_exempt: bool = False,
) -> User:
    """Create a person. `validate=False` skips the password-strength rules and
    `two_factor_exempt=True` lets an official sign in with a password alone
    (both used only for the demo accounts, which production refuses to run with)."""
    require_perm(actor, Perm.USER_MANAGE)
    errors = {}
    username = username.strip()
    if not username:
        errors["username"] = _("Enter a username.")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("This username is taken.")
    if role not in Role.values:
        errors["role"] = _("Choose a valid role.")
    elif role in ENTERPRISE_ROLES and (enterprise is None or organisation is not None):
        errors["enterprise"] = _("SME users and debtor representatives belong to one enterprise.")
    elif role not in ENTERPRISE_ROLES and (organisation is None or enterprise is not None):
        errors["organisation"] = _("Officials belong to one organisation.")
    if validate and not errors:
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as error:
            errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        enterprise=enterprise,
        first_name=full_name.strip(),
        email=email.strip(),
        is_staff=role == Role.ADMIN,
        two_factor_exempt=two_factor_exempt,
    )
    user.set_password(password)
    user.save()
    audit.record(
        actor=actor,
        verb=verbs.USER_CREATE,
        target=user,
        payload={
            "username": username,
            "role": role,
            "organisation": organisation and organisation.pk,
            "enterprise": enterprise and enterprise.pk,
            "two_factor_exempt": two_factor_exempt,
        },
    )
    return user


@transaction.atomic
def session_login(*, request, user: User, otp_device=None) -> None:
    """Sign a person in (Django updates last_login) and record it."""
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if otp_device is not None:
        otp_login(request, otp_device)
    audit.record(
        actor=user,
        verb=verbs.AUTH_LOGIN,
        target=user,
        payload={"two_factor": otp_device is not None},
    )


@transaction.atomic
def session_logout(*, request) -> None:
    user = request.user
    if user.is_authenticated:
        audit.record(actor=user, verb=verbs.AUTH_LOGOUT, target=user)
    django_logout(request)


@transaction.atomic
def api_token_issue(*, user: User, otp_device: Device | None = None) -> tuple[ApiToken, str]:
    """Issue a bearer token; the clear key is returned once and never stored.
    `otp_device` is the second factor the request passed, if any (for the record)."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + API_TOKEN_LIFETIME,
    )
    audit.record(
        actor=user,
        verb=verbs.AUTH_TOKEN_ISSUE,
        target=token,
        payload={"prefix": token.prefix, "two_factor": otp_device is not None},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    audit.record(
        actor=actor, verb=verbs.AUTH_TOKEN_REVOKE, target=token, payload={"prefix": token.prefix}
    )
    token.delete()


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
