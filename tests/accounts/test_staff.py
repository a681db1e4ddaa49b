"""Staff management: role, organisation, deactivation and reactivation, all
audited and scoped to the administrator's subtree; a deactivated account's
sessions and API tokens end at once; tokens revoked by owner or administrator."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from qingqian.accounts import services
from qingqian.accounts.models import ApiToken, Role, User
from qingqian.core.models import AuditEvent
from tests.accounts.staff_helpers import (
    GD_FINANCE,
    GUANGZHOU,
    JIANGSU,
    PASSWORD,
    last_event,
    official,
    org,
)


def signed_in(username) -> Client:
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client


@pytest.mark.django_db
def test_role_change_and_move_on_the_persons_page_are_audited(client, gd_admin):
    person = official("gd-person", enrolled=True)
    client.force_login(gd_admin)
    page = client.get(f"/accounts/staff/{person.pk}/")
    assert page.status_code == 200 and "gd-person@example.cn" in page.content.decode()
    assert (
        client.post(f"/accounts/staff/{person.pk}/role/", {"role": "supervisor"}).status_code == 302
    )
    event = last_event()
    assert (event.verb, event.actor_id, event.payload) == (
        "user.role_change",
        gd_admin.pk,
        {"from": "intake", "to": "supervisor"},
    )
    target = org(GUANGZHOU)
    assert (
        client.post(f"/accounts/staff/{person.pk}/move/", {"organisation": target.pk}).status_code
        == 302
    )
    person.refresh_from_db()
    assert (person.role, person.organisation) == (Role.SUPERVISOR, target)
    assert last_event().verb == "user.move" and last_event().payload["to"] == target.pk


@pytest.mark.django_db
def test_refused_changes_name_the_field_and_change_nothing(client, gd_admin):
    person = official("gd-person")
    client.force_login(gd_admin)
    before = AuditEvent.objects.count()
    refused = client.post(f"/accounts/staff/{person.pk}/role/", {"role": "sme"})
    assert refused.status_code == 400 and refused.context["role_form"].errors["role"]
    with pytest.raises(ValidationError) as outside:
        services.user_move(actor=gd_admin, user=person, organisation=org(JIANGSU))
    assert "organisation" in outside.value.message_dict
    with pytest.raises(ValidationError) as self_act:
        services.user_deactivate(actor=gd_admin, user=gd_admin)
    assert "is_active" in self_act.value.message_dict
    with pytest.raises(ValidationError):
        services.user_role_change(actor=gd_admin, user=gd_admin, role=Role.INTAKE)
    assert AuditEvent.objects.count() == before
    person.refresh_from_db()
    assert (person.role, person.organisation.name, person.is_active) == (
        Role.INTAKE,
        "广东省中小企业主管部门",
        True,
    )


@pytest.mark.django_db
def test_deactivation_ends_sessions_and_tokens_at_once(client, gd_admin):
    person = official("gd-person", organisation=GD_FINANCE, role=Role.HANDLER, enrolled=True)
    browser = Client()
    browser.force_login(person)
    assert browser.get("/complaints/").status_code == 200
    _token, key = services.api_token_issue(user=person)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/me/").status_code == 200

    client.force_login(gd_admin)
    assert client.post(f"/accounts/staff/{person.pk}/deactivate/").status_code == 302
    event = last_event()
    assert (event.verb, event.payload) == (
        "user.deactivate",
        {"tokens_revoked": 1, "sessions_ended": 1},
    )
    response = browser.get("/complaints/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert api.get("/api/v1/me/").status_code == 401
    assert User.objects.filter(pk=person.pk, is_active=False).exists()  # never deleted
    assert signed_in_refused(person.username)

    assert client.post(f"/accounts/staff/{person.pk}/reactivate/").status_code == 302
    assert last_event().verb == "user.reactivate"
    assert User.objects.get(pk=person.pk).is_active


def signed_in_refused(username) -> bool:
    response = Client().post("/accounts/login/", {"username": username, "password": PASSWORD})
    return response.status_code == 200  # the form again, with its error


@pytest.mark.django_db
def test_a_provincial_administrator_gets_404_for_another_provinces_staff(
    client, gd_admin, js_admin
):
    stranger = official("js-person", organisation=JIANGSU, enrolled=True)
    token, _key = services.api_token_issue(user=stranger)
    client.force_login(gd_admin)
    before = AuditEvent.objects.count()
    assert client.get(f"/accounts/staff/{stranger.pk}/").status_code == 404
    assert client.get(f"/accounts/staff/{js_admin.pk}/").status_code == 404
    for act, data in [
        ("role", {"role": "handler"}),
        ("move", {"organisation": org(GUANGZHOU).pk}),
        ("deactivate", {}),
        ("reactivate", {}),
        ("invitation", {}),
    ]:
        assert client.post(f"/accounts/staff/{stranger.pk}/{act}/", data).status_code == 404, act
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert AuditEvent.objects.count() == before
    listed = client.get("/accounts/staff/").context["page"].object_list
    assert stranger not in listed and gd_admin in listed


@pytest.mark.django_db
def test_the_national_administrator_manages_every_province(client_for, js_admin):
    client = client_for("admin")
    assert client.get(f"/accounts/staff/{js_admin.pk}/").status_code == 200


@pytest.mark.django_db
def test_staff_list_filters_and_pages(client, gd_admin):
    for n in range(55):
        official(f"gd-many-{n:02d}", organisation=GUANGZHOU, role=Role.HANDLER)
    User.objects.filter(pk=official("gd-off").pk).update(is_active=False)
    client.force_login(gd_admin)
    first = client.get("/accounts/staff/", {"organisation": org(GUANGZHOU).pk})
    page = first.context["page"]
    assert page.paginator.count == 55 and len(page.object_list) == 50
    assert (
        client.get("/accounts/staff/", {"organisation": org(GUANGZHOU).pk, "page": 2})
        .context["page"]
        .object_list.__len__()
        == 5
    )
    inactive = client.get("/accounts/staff/", {"active": "no"}).context["page"].object_list
    assert [p.username for p in inactive] == ["gd-off"]
    admins = client.get("/accounts/staff/", {"role": "admin"}).context["page"].object_list
    assert [p.username for p in admins] == ["gd-admin"]
    assert client.get("/accounts/staff/", {"active": "no"}).status_code == 200


@pytest.mark.django_db
def test_tokens_listed_and_revoked_by_owner_and_by_administrator(client, gd_admin, js_admin):
    person = official("gd-person", enrolled=True)
    own, _ = services.api_token_issue(user=person)
    other, _ = services.api_token_issue(user=person)
    owner = Client()
    owner.force_login(person)
    page = owner.get("/accounts/me/").content.decode()
    assert own.prefix in page and other.prefix in page
    assert owner.post(f"/accounts/tokens/{own.pk}/revoke/").status_code == 302
    assert not ApiToken.objects.filter(pk=own.pk).exists()
    assert last_event().verb == "auth.token_revoke"

    outsider = Client()
    outsider.force_login(js_admin)
    assert outsider.post(f"/accounts/tokens/{other.pk}/revoke/").status_code == 404
    colleague = Client()
    colleague.force_login(official("gd-colleague", enrolled=True))
    assert colleague.post(f"/accounts/tokens/{other.pk}/revoke/").status_code == 404

    client.force_login(gd_admin)
    assert other.prefix in client.get(f"/accounts/staff/{person.pk}/").content.decode()
    response = client.post(f"/accounts/tokens/{other.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == f"/accounts/staff/{person.pk}/"
    assert not ApiToken.objects.filter(user=person).exists()
    event = last_event()
    assert (event.verb, event.actor_id, event.payload["owner"]) == (
        "auth.token_revoke",
        gd_admin.pk,
        person.pk,
    )


@pytest.mark.django_db
def test_only_administrators_reach_the_staff_pages(client_for, user):
    client = client_for("gd-intake")
    assert client.get("/accounts/staff/").status_code == 403
    assert client.get(f"/accounts/staff/{user('gd-handler').pk}/").status_code == 404
