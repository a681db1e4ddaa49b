"""What an API request with a bearer token does and does not do: it is
authenticated by its token alone, read in one query, refused at once once
the token is revoked, expired or its account deactivated, and it touches no
session; a request without a token keeps every rule of the session."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from qingqian.accounts.models import ApiToken, User
from qingqian.accounts.services import api_token_issue
from qingqian.accounts.tokens import hash_key
from qingqian.api.token_read import token_by_hash

SESSION_TABLE = "django_session"


def bearer_client(key: str, client=None) -> Client:
    client = client or APIClient()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


@pytest.mark.django_db
def test_the_token_its_person_organisation_and_enterprise_are_one_read(django_assert_num_queries):
    official = User.objects.get(username="gd-intake")
    sme = User.objects.get(username="sme-demo")
    (_token, official_key), (_other, sme_key) = (
        api_token_issue(user=official),
        api_token_issue(user=sme),
    )
    with django_assert_num_queries(1):
        token = token_by_hash(hash_key(official_key))
        assert token.user == official and token.user.organisation.pk == official.organisation_id
        assert token.user.enterprise is None
        assert token.expires_at > timezone.now()  # an aware datetime, as the ORM reads it
    with django_assert_num_queries(1):
        token = token_by_hash(hash_key(sme_key))
        assert token.user.enterprise.pk == sme.enterprise_id and token.user.organisation is None
    with django_assert_num_queries(1):
        assert token_by_hash(hash_key("no such key")) is None


@pytest.mark.django_db
def test_a_bearer_request_reads_no_session_and_sets_no_cookie():
    """Even with the session cookie of someone signed in, the token decides,
    and the session is neither read nor written."""
    client = Client()
    client.force_login(User.objects.get(username="gd-intake"))
    sessions = client.session.model.objects
    saved = sessions.values_list("session_key", "session_data", "expire_date").get()
    _token, key = api_token_issue(user=User.objects.get(username="sme-demo"))
    with CaptureQueriesContext(connection) as queries:
        response = bearer_client(key, client).get("/api/v1/me/")
    assert response.status_code == 200 and response.json()["username"] == "sme-demo"
    assert not [query for query in queries if SESSION_TABLE in query["sql"]]
    assert not response.cookies
    assert sessions.values_list("session_key", "session_data", "expire_date").get() == saved


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v1/enterprises/999999/"])
def test_a_bearer_request_for_nothing_is_a_plain_404(api_client_for, path):
    response = api_client_for("gd-intake").get(path)
    assert response.status_code == 404


def revoke(token: ApiToken) -> None:
    token.delete()


def expire(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def deactivate(token: ApiToken) -> None:
    User.objects.filter(pk=token.user_id).update(is_active=False)


@pytest.mark.django_db
@pytest.mark.parametrize("change", [revoke, expire, deactivate])
def test_a_token_is_refused_on_the_very_next_request(change):
    token, key = api_token_issue(user=User.objects.get(username="gd-intake"))
    client = bearer_client(key)
    assert client.get("/api/v1/me/").status_code == 200
    change(token)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.django_db
def test_a_session_api_write_still_needs_the_csrf_token():
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="gd-intake"))
    body = {"uscc": "91440300192203821X", "name": "", "type": "large", "region_code": "440300"}
    refused = client.post("/api/v1/enterprises/", body, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["message"]
    # The same write with a token is the token's (invalid here: no name), not the session's.
    _token, key = api_token_issue(user=User.objects.get(username="gd-intake"))
    answered = bearer_client(key, client).post("/api/v1/enterprises/", body, format="json")
    assert answered.status_code == 400 and "name" in answered.json()["fields"]
