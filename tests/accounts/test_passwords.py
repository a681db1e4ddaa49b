"""Passwords: change (this session stays, the others end), and reset by e-mail
without telling whether an account has the address, rate-limited; the link
works once and ends every session."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from qingqian.accounts.models import User
from qingqian.core.models import AuditEvent
from tests.accounts.staff_helpers import (
    NEW_PASSWORD,
    PASSWORD,
    last_event,
    link_in_last_mail,
    official,
)


def signed_in(username) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.django_db
def test_password_change_keeps_this_session_and_ends_the_others():
    official("gd-person", enrolled=True)
    here, elsewhere = signed_in("gd-person"), signed_in("gd-person")
    wrong = here.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
    )
    assert wrong.status_code == 200 and wrong.context["form"].errors["old_password"]
    weak = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "password", "new_password_again": "password"},
    )
    assert weak.context["form"].errors["new_password"]
    done = here.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert done.status_code == 302
    event = last_event()
    assert (event.verb, event.payload) == ("user.password_change", {"sessions_ended": 1})
    assert here.get("/complaints/").status_code == 200
    assert "/accounts/login/" in elsewhere.get("/complaints/")["Location"]
    assert User.objects.get(username="gd-person").check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_change_is_for_the_signed_in():
    response = Client().get("/accounts/password/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def main_text(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


@pytest.mark.django_db
def test_reset_by_email_same_answer_link_works_once_and_ends_sessions(
    immediate_tasks, django_capture_on_commit_callbacks
):
    cache.clear()
    official("gd-person", enrolled=True)
    elsewhere = signed_in("gd-person")
    login_page = Client().get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in login_page
    visitor = Client()
    with django_capture_on_commit_callbacks(execute=True):
        unknown = visitor.post("/accounts/password/reset/", {"email": "nobody@example.cn"})
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        known = visitor.post("/accounts/password/reset/", {"email": "GD-Person@example.cn"})
    assert known.status_code == unknown.status_code == 200
    # Nothing tells whether the account exists (the page's nonce and CSRF token aside).
    assert main_text(known) == main_text(unknown)
    assert mail.outbox[-1].to == ["gd-person@example.cn"]
    assert last_event().verb == "user.password_reset_request"
    link = link_in_last_mail("/accounts/password/reset/")
    weak = visitor.post(link, {"password": "12345678", "password_again": "12345678"})
    assert weak.context["form"].errors["password"]
    done = visitor.post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    event = last_event()
    assert (event.verb, event.payload) == ("user.password_reset", {"sessions_ended": 1})
    assert "/accounts/login/" in elsewhere.get("/complaints/")["Location"]
    assert Client().get(link).status_code == 410  # spent
    assert User.objects.get(username="gd-person").check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_reset_requests_are_rate_limited(immediate_tasks, django_capture_on_commit_callbacks):
    cache.clear()
    official("gd-person")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(8):
            client.post("/accounts/password/reset/", {"email": "gd-person@example.cn"})
    assert len(mail.outbox) == 5
    assert AuditEvent.objects.filter(verb="user.password_reset_request").count() == 5


@pytest.mark.django_db
def test_a_forged_reset_link_is_refused():
    person = official("gd-person")
    response = Client().get("/accounts/password/reset/MQ/abc-123/")
    assert response.status_code == 410
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
