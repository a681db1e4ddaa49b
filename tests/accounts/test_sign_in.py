import pytest
from django.contrib.auth import SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingqian.core.models import AuditEvent


def last_verbs(n):
    return [e.verb for e in AuditEvent.objects.order_by("-seq")[:n]][::-1]


@pytest.mark.django_db
def test_sign_in_and_out_are_audited(client, user):
    response = client.post(
        "/accounts/login/", {"username": "gd-intake", "password": "demo-password"}
    )
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == user("gd-intake").pk
    assert last_verbs(1) == ["auth.login"]
    client.post("/accounts/logout/")
    assert SESSION_KEY not in client.session
    assert last_verbs(2) == ["auth.login", "auth.logout"]


@pytest.mark.django_db
def test_wrong_password_is_a_clear_message_and_no_session(client):
    response = client.post("/accounts/login/", {"username": "gd-intake", "password": "nope"})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "用户名或密码错误" in response.content.decode()


@pytest.mark.django_db
def test_sign_in_is_throttled_after_five_failures(client, settings):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "gd-intake", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "gd-intake", "password": "demo-password"}
    )
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    # Another account from the same address is not locked.
    response = client.post(
        "/accounts/login/", {"username": "js-intake", "password": "demo-password"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_open_redirect_after_sign_in_is_refused(client):
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"username": "gd-intake", "password": "demo-password"},
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_official_turns_on_totp_and_then_needs_the_code(client, client_for, user):
    official = client_for("gd-intake")
    official.post("/accounts/two-factor/", {"start": "1"})
    device = TOTPDevice.objects.get(user=user("gd-intake"), confirmed=False)
    page = official.get("/accounts/two-factor/").content.decode()
    assert "<svg" in page  # QR code rendered locally
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    official.post("/accounts/two-factor/", {"token": wrong})
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    response = official.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10  # the recovery codes, shown once
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert "auth.totp_confirm" in last_verbs(3)

    # Signing in now takes two steps.
    response = client.post(
        "/accounts/login/", {"username": "gd-intake", "password": "demo-password"}
    )
    assert response["Location"].startswith("/accounts/login/verify/")
    assert SESSION_KEY not in client.session
    response = client.post("/accounts/login/verify/", {"token": "12345x"})
    assert SESSION_KEY not in client.session
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    # The current code was spent on confirming (no replay); the next one is accepted.
    response = client.post(
        "/accounts/login/verify/", {"token": f"{totp(device.bin_key, drift=1):06d}"}
    )
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == user("gd-intake").pk
    assert AuditEvent.objects.order_by("-seq").first().payload == {"two_factor": True}
