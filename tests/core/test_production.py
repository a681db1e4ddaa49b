import pytest
from django.core.exceptions import ImproperlyConfigured

from qingqian.core.production import refuse_unsafe_production, unsafe_production_reasons

STRONG_KEY = "k" * 50


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
    reasons = unsafe_production_reasons()
    assert any("'admin'" in reason for reason in reasons)
    assert len(reasons) == 11  # every demo account
    for account in ("admin", "gd-intake"):
        changed = user(account)
        changed.set_password("a-real-Passphrase-2026")
        changed.save()
    assert len(unsafe_production_reasons()) == 9


@pytest.mark.django_db
def test_production_starts_when_safe(settings):
    from qingqian.accounts.models import User

    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    User.objects.filter(username__in=["admin"]).update(is_active=True)
    for account in User.objects.all():
        account.set_password("a-real-Passphrase-2026")
        account.save()
    refuse_unsafe_production()  # does not raise
