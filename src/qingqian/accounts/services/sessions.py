"""Signing in and out, recorded; ending a person's other sessions."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.db import transaction
from django.utils import timezone
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


def sessions_end(*, user: User, keep: str | None = None) -> int:
    """End the person's signed-in sessions at once (all but the session `keep`);
    returns how many. The session store is searched where it can be (the
    database engines, Django's default here): the rows go now, not at expiry.
    A store that cannot be searched (cache, signed cookies) still refuses them
    on their next request: deactivation fails Django's is_active check and a
    new password fails the session's password hash."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    sessions = store_class.get_model_class().objects.filter(expire_date__gt=timezone.now())
    ended = 0
    for session in sessions.exclude(session_key=keep).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store_class(session.session_key).delete()  # the cache's copy too (cached_db)
            ended += 1
    return ended
