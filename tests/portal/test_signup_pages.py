"""The sign-up's pages: the public form (field-named errors, nothing written), the
account's own page, the province's queue, and what an unbound account may open."""

from __future__ import annotations

import pytest
from django.core import mail

from qingqian.accounts.models import User
from qingqian.portal.models import Registration, State
from tests.portal.signups import particulars, registration_in_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def form_data(**overrides) -> dict:
    data = particulars(**overrides)
    return {name: "" if value is None else str(value) for name, value in data.items()}


def test_the_form_signs_the_new_account_in_and_shows_its_steps(
    client, settings, django_capture_on_commit_callbacks, immediate_tasks, tmp_path
):
    settings.QINGQIAN_SMS_BACKEND = "qingqian.notifications.sms.FileBackend"
    settings.QINGQIAN_SMS_FILE_PATH = str(tmp_path)
    assert client.get("/public/signup/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/public/signup/", form_data())
    assert response.status_code == 302 and response["Location"] == "/signup/"
    page = client.get("/signup/").content.decode()
    assert "广州新禾包装有限公司" in page and "小型企业" in page
    assert mail.outbox[-1].to == ["zhou.min@example.cn"]
    # The unbound account: the complaint form offers a draft only; no enterprise data.
    form = client.get("/complaints/new/").content.decode()
    assert 'data-testid="unbound-note"' in form and 'data-testid="submit"' not in form
    assert client.get("/registrations/").status_code == 403
    assert client.get("/colleagues/").status_code == 403


def test_a_refused_form_names_each_field_and_writes_nothing(client):
    response = client.post("/public/signup/", form_data(phone="12", uscc="X", staff=None))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"phone", "uscc", "staff"} <= set(errors)
    assert not User.objects.filter(email="zhou.min@example.cn").exists()
    assert not Registration.objects.exists()


def test_the_province_binds_from_its_queue(settings, tmp_path, client_for, user):
    registration = registration_in_review(settings, tmp_path)
    intake = client_for("gd-intake")
    listed = intake.get("/registrations/").content.decode()
    assert "广州新禾包装有限公司" in listed
    detail = intake.get(f"/registrations/{registration.pk}/").content.decode()
    assert 'data-testid="licence-link"' in detail
    licence = intake.get(f"/registrations/{registration.pk}/licence/")
    assert licence.status_code == 200 and licence["Content-Type"] == "application/pdf"
    # Another province's officer: the sign-up does not exist for them.
    assert client_for("js-intake").get(f"/registrations/{registration.pk}/").status_code == 404
    refused = intake.post(f"/registrations/{registration.pk}/refuse/", {"reason": ""})
    assert refused.status_code == 400 and "reason" in refused.context["refuse_form"].errors
    intake.post(f"/registrations/{registration.pk}/approve/")
    registration.refresh_from_db()
    assert registration.state == State.BOUND
    assert User.objects.get(pk=registration.user_id).enterprise_id == registration.enterprise_id


def test_signed_in_accounts_are_sent_to_their_sign_up_page(client_for):
    response = client_for("sme-demo").get("/public/signup/")
    assert response.status_code == 302


def test_an_unbound_account_starts_on_its_sign_up_page(settings, tmp_path, client):
    registration = registration_in_review(settings, tmp_path)
    client.force_login(registration.user)
    assert client.get("/")["Location"] == "/signup/"
    account = client.get("/accounts/me/").content.decode()
    assert 'data-testid="account-close-link"' in account
