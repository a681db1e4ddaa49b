import pytest
from django.core.exceptions import ImproperlyConfigured

from qingqian.core.production import refuse_unsafe_production, unsafe_production_reasons

STRONG_KEY = "k" * 50
STRONG_AUDIT_KEY = "a" * 50


@pytest.mark.django_db
def test_debug_mode_allows_the_demo(settings):
    settings.DEBUG = True
    assert unsafe_production_reasons() == []


@pytest.mark.django_db
def test_production_refuses_the_demo_secret_key(settings, user):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    with pytest.raises(ImproperlyConfigured, match="QINGQIAN_SECRET_KEY"):
        refuse_unsafe_production()


@pytest.mark.django_db
def test_production_refuses_demo_passwords(settings, user):
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    settings.QINGQIAN_AUDIT_KEY = STRONG_AUDIT_KEY

    def demo_password_reasons():
        return [reason for reason in unsafe_production_reasons() if "demo password" in reason]

    assert any("'admin'" in reason for reason in demo_password_reasons())
    assert len(demo_password_reasons()) == 11  # every demo account
    for account in ("admin", "gd-intake"):
        changed = user(account)
        changed.set_password("a-real-Passphrase-2026")
        changed.save()
    assert len(demo_password_reasons()) == 9


@pytest.mark.django_db
def test_production_refuses_accounts_exempt_from_two_factor(settings, user):
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    exempt = [reason for reason in unsafe_production_reasons() if "two-factor" in reason]
    assert len(exempt) == 8  # the demo's officials and legal adviser, not its SME users
    assert any("'gd-intake'" in reason for reason in exempt)
    gd_intake = user("gd-intake")
    gd_intake.is_active = False
    gd_intake.save()
    assert not any("'gd-intake'" in reason for reason in unsafe_production_reasons())


@pytest.mark.django_db
def test_production_starts_when_safe(settings):
    from qingqian.accounts.models import User

    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    settings.QINGQIAN_AUDIT_KEY = STRONG_AUDIT_KEY
    User.objects.filter(username__in=["admin"]).update(is_active=True)
    for account in User.objects.all():
        account.set_password("a-real-Passphrase-2026")
        account.two_factor_exempt = False  # as if the officials had been created for real
        account.save()
    refuse_unsafe_production()  # does not raise


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("audit_key", "complaint"),
    [
        (None, "QINGQIAN_AUDIT_KEY is unset"),  # the demo key: the variable is not set
        ("short-key", "shorter than 32"),
        (STRONG_KEY, "must differ from QINGQIAN_SECRET_KEY"),
    ],
)
def test_production_refuses_a_weak_audit_key(settings, audit_key, complaint):
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    settings.QINGQIAN_AUDIT_KEY = audit_key or settings.DEMO_AUDIT_KEY
    with pytest.raises(ImproperlyConfigured, match=complaint):
        refuse_unsafe_production()
