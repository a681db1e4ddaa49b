"""Signing in and out, recorded."""

from __future__ import annotations

from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.db import transaction
from django_otp import login as otp_login

from qingqian.accounts import verbs
from qingqian.accounts.models import User
from qingqian.core import audit


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
