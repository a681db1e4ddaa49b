"""Production mode (QINGQIAN_DEBUG off) refuses to start with demo credentials
or with accounts that the demo exempted from two-factor sign-in."""

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
    reasons = [problem for problem in (secret_key_problem(), audit_key_problem()) if problem]
    reasons += [
        f"user {username!r} still has the demo password" for username in demo_password_users()
    ]
    reasons += [
        f"user {username!r} is exempt from two-factor sign-in (a demo account: deactivate it)"
        for username in two_factor_exempt_users()
    ]
    return reasons


MIN_KEY_LENGTH = 32


def secret_key_problem() -> str:
    """What is wrong with the secret key for production; '' when nothing is."""
    key = settings.SECRET_KEY
    if key == settings.DEMO_SECRET_KEY or len(key) < MIN_KEY_LENGTH:
        return "QINGQIAN_SECRET_KEY is unset, too short or the public demo key"
    return ""


def audit_key_problem() -> str:
    """What is wrong with the audit key for production; '' when nothing is. It must
    differ from the secret key: one leaked key must not also forge the audit log."""
    key = settings.QINGQIAN_AUDIT_KEY
    if key == settings.DEMO_AUDIT_KEY or len(key) < MIN_KEY_LENGTH:
        return (
            f"QINGQIAN_AUDIT_KEY is unset, shorter than {MIN_KEY_LENGTH} characters "
            "or the public demo key"
        )
    if key == settings.SECRET_KEY:
        return "QINGQIAN_AUDIT_KEY must differ from QINGQIAN_SECRET_KEY"
    return ""


def demo_password_users() -> list[str]:
    from django.contrib.auth import get_user_model
    from django.db.utils import DatabaseError

    try:
        users = list(get_user_model().objects.filter(username__in=DEMO_USERNAMES, is_active=True))
    except DatabaseError:  # not migrated yet: nothing to check
        return []
    return [user.username for user in users if user.check_password(DEMO_PASSWORD)]


def two_factor_exempt_users() -> list[str]:
    from django.contrib.auth import get_user_model
    from django.db.utils import DatabaseError

    exempt = get_user_model().objects.filter(two_factor_exempt=True, is_active=True)
    try:
        return list(exempt.order_by("username").values_list("username", flat=True))
    except DatabaseError:  # not migrated yet: nothing to check
        return []


def refuse_unsafe_production() -> None:
    reasons = unsafe_production_reasons()
    if reasons:
        raise ImproperlyConfigured(
            "Refusing to start in production mode (QINGQIAN_DEBUG is off): "
            + "; ".join(reasons)
            + ". Set a secret key and an audit key, change the demo passwords or deactivate "
            "the demo accounts, or set QINGQIAN_DEBUG=1 for the demo."
        )
