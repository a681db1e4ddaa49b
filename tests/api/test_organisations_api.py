"""The organisation endpoints: scoped reads, and the administrator's acts on
the units they manage (any other unit is a 404)."""

import pytest
from rest_framework.test import APIClient

from qingqian.accounts.models import Organisation
from qingqian.accounts.services import api_token_issue
from qingqian.core.models import AuditEvent
from qingqian.ledger.models import LedgerItem
from tests.organisations import admin_of, org

GD = "广东省中小企业主管部门"
GZ = "广州市中小企业主管部门"
NANJING = "南京市中小企业主管部门"


def api_as(user) -> APIClient:
    _token, key = api_token_issue(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.mark.django_db
def test_another_provinces_units_are_404_on_every_endpoint():
    api = api_as(admin_of(GD))
    nanjing = org(NANJING)
    base = f"/api/v1/organisations/{nanjing.pk}/"
    assert api.get(base).status_code == 404
    assert api.patch(base, {"name": "x"}, format="json").status_code == 404
    for act in ["deactivate", "reactivate"]:
        assert api.post(f"{base}{act}/", {}, format="json").status_code == 404, act
    response = api.post(f"{base}transfer/", {"target": org(GD).pk}, format="json")
    assert response.status_code == 404
    ids = {row["id"] for row in api.get("/api/v1/organisations/?page_size=500").json()["results"]}
    assert nanjing.pk not in ids and org(GZ).pk in ids
    # Its own authority it sees, but does not manage.
    assert api.get(f"/api/v1/organisations/{org(GD).pk}/").json()["open_work"] is None
    # Nor may it create under them.
    before = Organisation.objects.count()
    response = api.post(
        "/api/v1/organisations/",
        {"name": "南京某局", "kind": "department", "region_code": "320100", "parent": nanjing.pk},
        format="json",
    )
    assert response.status_code == 400 and "parent" in response.json()["fields"]
    assert Organisation.objects.count() == before
    assert org(NANJING).name == NANJING


@pytest.mark.django_db
def test_a_city_administrator_cannot_change_its_province():
    api = api_as(admin_of(GZ))
    base = f"/api/v1/organisations/{org(GD).pk}/"
    assert api.get(base).status_code == 404  # outside its city's region
    assert api.patch(base, {"name": "x"}, format="json").status_code == 404
    assert api.post(f"{base}deactivate/", {}, format="json").status_code == 404


@pytest.mark.django_db
def test_create_rename_move_and_deactivate_through_the_api():
    api = api_as(admin_of(GD))
    response = api.post(
        "/api/v1/organisations/",
        {
            "name": "佛山市中小企业主管部门",
            "kind": "city",
            "region_code": "440600",
            "parent": org(GD).pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["parent"], created["is_active"]) == (org(GD).pk, True)
    assert created["open_work"] == {
        "complaints_accepting": 0,
        "complaints_handling": 0,
        "ledger_items": 0,
        "supervision_cases": 0,
    }
    base = f"/api/v1/organisations/{created['id']}/"
    response = api.patch(base, {"name": "佛山市工业和信息化局"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "佛山市工业和信息化局"
    response = api.patch(base, {"region_code": "440700"}, format="json")
    assert response.status_code == 400 and "region_code" in response.json()["fields"]
    dept = api.post(
        "/api/v1/organisations/",
        {"name": "某局", "kind": "department", "region_code": "440600", "parent": created["id"]},
        format="json",
    ).json()
    moved = api.patch(f"/api/v1/organisations/{dept['id']}/", {"parent": org(GD).pk}, format="json")
    assert moved.status_code == 200 and moved.json()["parent"] == org(GD).pk
    assert Organisation.objects.get(pk=dept["id"]).path == f"{org(GD).path}{dept['id']}/"
    response = api.post(f"{base}deactivate/", {}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    response = api.post(f"{base}deactivate/", {}, format="json")
    assert response.status_code == 409
    response = api.post(f"{base}reactivate/", {}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is True


@pytest.mark.django_db
def test_deactivation_refused_with_open_ledger_items_until_transferred(make_item):
    api = api_as(admin_of(GD))
    guangzhou = org(GZ)
    items = [make_item(owner=guangzhou) for _ in range(3)]
    base = f"/api/v1/organisations/{guangzhou.pk}/"
    assert api.get(base).json()["open_work"]["ledger_items"] == 3
    response = api.post(f"{base}deactivate/", {}, format="json")
    assert response.status_code == 400 and "open_work" in response.json()["fields"]
    response = api.post(f"{base}transfer/", {"target": org(NANJING).pk}, format="json")
    assert response.status_code == 400 and "target" in response.json()["fields"]
    response = api.post(f"{base}transfer/", {"target": org(GD).pk}, format="json")
    assert response.status_code == 200
    assert response.json() == {"moved": {"ledger_items": 3}}
    assert LedgerItem.objects.filter(pk__in=[i.pk for i in items], owner=org(GD)).count() == 3
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.verb == "organisation.work_transfer"
    assert event.payload["updated"] == {"ledger.ledgeritem": 3}
    response = api.post(f"{base}deactivate/", {}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
