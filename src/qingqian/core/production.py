"""Production mode (QINGQIAN_DEBUG off) refuses to start with demo credentials."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEMO_PASSWORD = "demo-password"  # nosec B105 # the public demo password, known to refuse it
DEMO_USERNAMES = (
    "admin",
    "miit-intake",
    "gd-intake",
    "gd-handler",
    "js-intake",
    "js-handler",
    "supervisor",
    "sme-demo",
    "sme-demo-2",
    "sme-js",
    "debtor-demo",
)


def unsafe_production_reasons() -> list[str]:
    """What makes this deployment unfit for production; empty when it is fit."""
    if settings.DEBUG:
        return []
    reasons = []
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY or len(settings.SECRET_KEY) < 32:
        reasons.append("QINGQIAN_SECRET_KEY is unset, too short or the public demo key")
    reasons += [
        f"user {username!r} still has the demo password" for username in demo_password_users()
    ]
    return reasons


def demo_password_users() -> list[str]:
    from django.contrib.auth import get_user_model
    from django.db.utils import DatabaseError

    try:
        users = list(get_user_model().objects.filter(username__in=DEMO_USERNAMES, is_active=True))
    except DatabaseError:  # not migrated yet: nothing to check
        return []
    return [user.username for user in users if user.check_password(DEMO_PASSWORD)]


def refuse_unsafe_production() -> None:
    reasons = unsafe_production_reasons()
    if reasons:
        raise ImproperlyConfigured(
            "Refusing to start in production mode (QINGQIAN_DEBUG is off): "
            + "; ".join(reasons)
            + ". Set a secret key and change the demo passwords, or set QINGQIAN_DEBUG=1 "
            "for the demo."
        )
