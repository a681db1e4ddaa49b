"""The staff and token API: scoped like the pages (another province's staff
are 404 on every endpoint), acts audited, the CSV import all or nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from qingqian.accounts import services
from qingqian.accounts.models import ApiToken, User
from qingqian.core.models import AuditEvent
from tests.accounts.staff_helpers import (
    GD_FINANCE,
    GUANGZHOU,
    JIANGSU,
    gd_admin,
    immediate_tasks,
    js_admin,
    last_event,
    official,
    org,
)

__all__ = ["gd_admin", "immediate_tasks", "js_admin"]  # fixtures used here


def api_for(person) -> tuple[APIClient, ApiToken]:
    token, key = services.api_token_issue(user=person)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client, token


@pytest.mark.django_db
def test_an_administrator_invites_changes_and_deactivates_over_the_api(gd_admin):
    api, _token = api_for(gd_admin)
    body = {
        "full_name": "张三",
        "email": "zhang@example.cn",
        "organisation": org(GD_FINANCE).pk,
        "role": "handler",
    }
    created = api.post("/api/v1/users/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["invitation_pending"] is True
    assert last_event().verb == "user.invite"
    assert (
        api.post(f"/api/v1/users/{pk}/role/", {"role": "intake"}, format="json").json()["role"]
        == "intake"
    )
    moved = api.post(
        f"/api/v1/users/{pk}/move/", {"organisation": org(GUANGZHOU).pk}, format="json"
    )
    assert moved.status_code == 200 and moved.json()["organisation"] == org(GUANGZHOU).pk
    outside = api.post(
        f"/api/v1/users/{pk}/move/", {"organisation": org(JIANGSU).pk}, format="json"
    )
    assert outside.status_code == 400 and "organisation" in outside.json()["fields"]
    assert api.post(f"/api/v1/users/{pk}/deactivate/").json()["is_active"] is False
    again = api.post(f"/api/v1/users/{pk}/deactivate/")
    assert again.status_code == 409
    assert api.post(f"/api/v1/users/{pk}/reactivate/").status_code == 200
    assert [e.verb for e in AuditEvent.objects.order_by("-seq")[:5]][::-1] == [
        "user.invite",
        "user.role_change",
        "user.move",
        "user.deactivate",
        "user.reactivate",
    ]
    listed = api.get("/api/v1/users/", {"role": "intake", "organisation": org(GUANGZHOU).pk}).json()
    assert [p["email"] for p in listed["results"]] == ["zhang@example.cn"]


@pytest.mark.django_db
def test_another_provinces_staff_are_404_on_every_endpoint(gd_admin):
    stranger = official("js-person", organisation=JIANGSU, enrolled=True)
    _api, stranger_token = api_for(stranger)
    api, _token = api_for(gd_admin)
    before = AuditEvent.objects.count()
    assert api.get(f"/api/v1/users/{stranger.pk}/").status_code == 404
    for act, body in [
        ("role", {"role": "handler"}),
        ("move", {"organisation": org(GUANGZHOU).pk}),
        ("deactivate", {}),
        ("reactivate", {}),
        ("invitation", {}),
    ]:
        assert (
            api.post(f"/api/v1/users/{stranger.pk}/{act}/", body, format="json").status_code == 404
        )
    assert api.delete(f"/api/v1/auth/tokens/{stranger_token.pk}/").status_code == 404
    assert stranger.pk not in [p["id"] for p in api.get("/api/v1/users/").json()["results"]]
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_non_administrators_may_not_manage_staff(api_client_for):
    api = api_client_for("gd-intake")
    assert api.get("/api/v1/users/").status_code == 403
    body = {"full_name": "x", "email": "x@example.cn", "organisation": 1, "role": "intake"}
    assert api.post("/api/v1/users/", body, format="json").status_code == 403


@pytest.mark.django_db
def test_tokens_listed_by_the_owner_and_revoked_by_owner_or_administrator(gd_admin, js_admin):
    person = official("gd-person", enrolled=True)
    api, own = api_for(person)
    _other_api, other = api_for(person)
    listed = api.get("/api/v1/auth/tokens/").json()
    assert {t["prefix"] for t in listed} == {own.prefix, other.prefix}
    outsider, _t = api_for(js_admin)
    assert outsider.delete(f"/api/v1/auth/tokens/{other.pk}/").status_code == 404
    admin, _t = api_for(gd_admin)
    assert admin.delete(f"/api/v1/auth/tokens/{other.pk}/").status_code == 204
    assert last_event().verb == "auth.token_revoke"
    assert api.delete(f"/api/v1/auth/tokens/{own.pk}/").status_code == 204
    assert api.get("/api/v1/auth/tokens/").status_code == 401  # it revoked itself


@pytest.mark.django_db
def test_the_csv_import_over_the_api_is_all_or_nothing(gd_admin):
    api, _token = api_for(gd_admin)
    good = (
        f"name,email,organisation_id,role\r\n张三,zhang@example.cn,{org(GUANGZHOU).pk},intake\r\n"
    )
    bad = good + f"李四,li@example.cn,{org(JIANGSU).pk},intake\r\n"
    users = User.objects.count()
    refused = api.post(
        "/api/v1/users/import/",
        {"file": SimpleUploadedFile("s.csv", bad.encode("gbk"))},
        format="multipart",
    )
    assert refused.status_code == 400 and len(refused.json()["fields"]["file"]) == 1
    assert User.objects.count() == users
    done = api.post(
        "/api/v1/users/import/",
        {"file": SimpleUploadedFile("s.csv", good.encode("utf-8-sig"))},
        format="multipart",
    )
    assert done.status_code == 201
    assert [p["email"] for p in done.json()["invited"]] == ["zhang@example.cn"]
