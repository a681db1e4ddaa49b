"""Two-factor sign-in: one check of a code for the web and the API token,
required for officials in production mode (the test settings), recovery codes,
and an administrator's reset of a lost device."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from qingqian.accounts import services
from qingqian.accounts.models import ApiToken, Organisation, Role, User
from qingqian.cli import main as cli
from qingqian.core.models import AuditEvent

PASSWORD = "a-Long-passphrase-9"
GUANGDONG = "广东省中小企业主管部门"
JIANGSU = "江苏省中小企业主管部门"


def official(username, organisation=GUANGDONG, role=Role.INTAKE) -> User:
    """An official created as in production: not exempt from two-factor sign-in."""
    return services.user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        role=role,
        organisation=Organisation.objects.get(name=organisation),
    )


def enrol(person) -> tuple[TOTPDevice, list[str]]:
    """Set up an authenticator as the set-up page does; returns it and the recovery codes."""
    device = services.totp_device_start(actor=person)
    codes = services.totp_device_confirm(
        actor=person, device=device, token=f"{totp(device.bin_key):06d}"
    )
    return device, codes


def unspent_code(device) -> str:
    """The code of the next time step: the current one was spent on confirming."""
    return f"{totp(device.bin_key, drift=1):06d}"


def ask_token(**body):
    return APIClient().post("/api/v1/auth/token/", body, format="json")


def last_event():
    return AuditEvent.objects.order_by("-seq").first()


# --- the API token --------------------------------------------------------------------


@pytest.mark.django_db
def test_token_without_the_code_is_refused_naming_otp():
    person = official("gd-2fa")
    enrol(person)
    response = ask_token(username="gd-2fa", password=PASSWORD)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "otp_required"
    assert "otp" in body["fields"] and "otp" in body["message"]
    assert not ApiToken.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_token_with_a_wrong_code_is_refused_and_counted():
    person = official("gd-2fa")
    device, _codes = enrol(person)
    wrong = f"{(int(unspent_code(device)) + 1) % 1_000_000:06d}"
    response = ask_token(username="gd-2fa", password=PASSWORD, otp=wrong)
    assert response.status_code == 401
    assert response.json()["code"] == "otp_invalid"
    assert response.json()["fields"]["otp"] == ["验证码错误或已过期。"]
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp's throttling sees it
    assert not ApiToken.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_token_with_the_current_code_is_issued():
    person = official("gd-2fa")
    device, _codes = enrol(person)
    response = ask_token(username="gd-2fa", password=PASSWORD, otp=unspent_code(device))
    assert response.status_code == 201
    assert ApiToken.objects.filter(user=person).count() == 1
    assert last_event().verb == "auth.token_issue"
    assert last_event().payload["two_factor"] is True


@pytest.mark.django_db
def test_a_recovery_code_gives_a_token_once():
    person = official("gd-2fa")
    _device, codes = enrol(person)
    first = ask_token(username="gd-2fa", password=PASSWORD, otp=codes[0])
    assert first.status_code == 201
    again = ask_token(username="gd-2fa", password=PASSWORD, otp=codes[0])
    assert again.status_code == 401
    assert again.json()["code"] == "otp_invalid"
    assert ApiToken.objects.filter(user=person).count() == 1
    assert "user.recovery_code_use" in AuditEvent.objects.values_list("verb", flat=True)


@pytest.mark.django_db
def test_token_is_refused_to_an_official_who_must_enrol_first():
    person = official("gd-new")
    response = ask_token(username="gd-new", password=PASSWORD)
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_enrolment_required"
    assert not ApiToken.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_token_without_a_code_for_an_exempt_demo_official():
    assert ask_token(username="gd-intake", password="demo-password").status_code == 201


# --- enrolment first ------------------------------------------------------------------


def signed_in_with_password(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302 and SESSION_KEY in client.session
    return client


@pytest.mark.django_db
def test_official_without_a_device_is_sent_to_enrolment_from_any_page(client):
    official("gd-new")
    signed_in_with_password(client, "gd-new")
    for url in ("/", "/complaints/", "/enterprises/", "/ledger/", "/accounts/login/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/two-factor/?next="), url
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    assert "您的角色要求双因素登录" in page.content.decode()
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert api.json()["code"] == "two_factor_enrolment_required"
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_enrolling_shows_recovery_codes_and_opens_the_site(client):
    person = official("gd-new")
    signed_in_with_password(client, "gd-new")
    client.post("/accounts/two-factor/?next=/complaints/", {"start": "1"})
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    response = client.post(
        "/accounts/two-factor/?next=/complaints/", {"token": f"{totp(device.bin_key):06d}"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "只显示这一次" in page  # keep them: shown once
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in page for code in codes)
    assert response.context["continue_url"] == "/complaints/"
    assert "no-store" in response["Cache-Control"]
    assert client.get("/complaints/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_exempt_demo_official_is_not_sent_to_enrolment(client_for):
    client = client_for("gd-intake")
    assert client.get("/complaints/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_without_the_requirement_officials_choose(client, settings):
    settings.QINGQIAN_REQUIRE_TWO_FACTOR = False
    official("gd-new")
    signed_in_with_password(client, "gd-new")
    assert client.get("/complaints/").status_code == 200
    assert ask_token(username="gd-new", password=PASSWORD).status_code == 201


# --- the web's second step ----------------------------------------------------------


@pytest.mark.django_db
def test_a_recovery_code_works_once_at_the_second_step(client):
    person = official("gd-2fa")
    _device, codes = enrol(person)
    signed_in = client.post("/accounts/login/", {"username": "gd-2fa", "password": PASSWORD})
    assert signed_in["Location"].startswith("/accounts/login/verify/")
    response = client.post("/accounts/login/verify/", {"token": codes[3].upper()})
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == person.pk
    assert client.get("/complaints/").status_code == 200
    client.post("/accounts/logout/")

    client.post("/accounts/login/", {"username": "gd-2fa", "password": PASSWORD})
    response = client.post("/accounts/login/verify/", {"token": codes[3]})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "验证码错误或已过期" in response.content.decode()


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_ones(client):
    person = official("gd-2fa")
    _device, old_codes = enrol(person)
    client.force_login(person)
    response = client.post("/accounts/two-factor/recovery-codes/")
    new_codes = response.context["codes"]
    assert len(new_codes) == 10
    assert last_event().verb == "user.recovery_codes_generate"
    assert last_event().actor_id == person.pk
    assert services.second_factor_verify(user=person, code=new_codes[0]) is not None
    assert services.second_factor_verify(user=person, code=old_codes[0]) is None


@pytest.mark.django_db
def test_sme_user_may_opt_in(client, client_for, user):
    sme = client_for("sme-demo")
    assert sme.get("/complaints/").status_code == 200  # not required of SME users
    sme.post("/accounts/two-factor/", {"start": "1"})
    device = TOTPDevice.objects.get(user=user("sme-demo"), confirmed=False)
    response = sme.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    assert len(response.context["codes"]) == 10
    signed_in = client.post(
        "/accounts/login/", {"username": "sme-demo", "password": "demo-password"}
    )
    assert signed_in["Location"].startswith("/accounts/login/verify/")
    assert SESSION_KEY not in client.session


# --- an administrator resets a lost device ---------------------------------------------


@pytest.fixture
def gd_admin():
    admin = official("gd-admin", role=Role.ADMIN)
    enrol(admin)
    return admin


@pytest.mark.django_db
def test_administrator_resets_a_lost_device_in_their_jurisdiction(client, gd_admin):
    person = official("gd-2fa")
    enrol(person)
    services.api_token_issue(user=person)
    client.force_login(gd_admin)
    organisation = client.get(f"/organisations/{person.organisation_id}/").content.decode()
    assert f"/accounts/users/{person.pk}/two-factor-reset/" in organisation
    response = client.post(f"/accounts/users/{person.pk}/two-factor-reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    assert not ApiToken.objects.filter(user=person).exists()
    event = last_event()
    assert (event.verb, event.actor_id, event.target_id) == (
        "user.two_factor_reset",
        gd_admin.pk,
        str(person.pk),
    )
    # At the next sign-in: enrolment again.
    other = signed_in_with_password(Client(), "gd-2fa")
    assert other.get("/").url.startswith("/accounts/two-factor/")


@pytest.mark.django_db
def test_a_provincial_administrator_cannot_reset_another_province(client, gd_admin):
    person = official("js-2fa", organisation=JIANGSU)
    enrol(person)
    before = AuditEvent.objects.count()
    client.force_login(gd_admin)
    assert client.post(f"/accounts/users/{person.pk}/two-factor-reset/").status_code == 404
    assert TOTPDevice.objects.filter(user=person, confirmed=True).exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_only_administrators_reset(client_for, user):
    person = official("gd-2fa")
    enrol(person)
    response = client_for("gd-intake").post(f"/accounts/users/{person.pk}/two-factor-reset/")
    assert response.status_code == 404  # nobody else exists for a non-administrator
    assert TOTPDevice.objects.filter(user=person).exists()
    page = client_for("gd-intake").get(f"/organisations/{person.organisation_id}/")
    assert "two-factor-reset" not in page.content.decode()


@pytest.mark.django_db
def test_reset_from_the_command_line(gd_admin, capsys):
    person = official("gd-2fa")
    enrol(person)
    stranger = official("js-2fa", organisation=JIANGSU)
    enrol(stranger)
    assert cli(["accounts", "reset-two-factor", "js-2fa", "--by", "gd-admin"]) == 2
    assert "no such user" in capsys.readouterr().err
    assert TOTPDevice.objects.filter(user=stranger).exists()
    assert cli(["accounts", "reset-two-factor", "gd-2fa", "--by", "gd-admin"]) == 0
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert last_event().verb == "user.two_factor_reset"
    assert cli(["accounts", "reset-two-factor", "gd-admin", "--by", "gd-intake"]) == 2


def test_the_schema_documents_the_second_factor_of_the_token():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert "two-factor sign-in" in operation["description"].lower()
    assert "`otp`" in operation["description"]
    assert {"401", "403"} <= set(operation["responses"])
    assert "otp" in schema["components"]["schemas"]["TokenRequestRequest"]["properties"]
    assert "otp" not in schema["components"]["schemas"]["TokenRequestRequest"]["required"]
