"""API tokens: issued against a sign-in, revoked by their owner or an administrator."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.models import Device

from qingqian.accounts import selectors, verbs
from qingqian.accounts.models import ApiToken, User
from qingqian.accounts.tokens import hash_key
from qingqian.core import audit

API_TOKEN_LIFETIME = timedelta(days=30)


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
    """By the token's owner, or an administrator whose staff the owner is (404 otherwise)."""
    token = selectors.api_token_get(actor=actor, pk=token.pk)
    audit.record(
        actor=actor,
        verb=verbs.AUTH_TOKEN_REVOKE,
        target=token,
        payload={"prefix": token.prefix, "owner": token.user_id},
    )
    token.delete()
