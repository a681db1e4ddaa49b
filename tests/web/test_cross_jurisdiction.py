"""For each role, a record of another jurisdiction is invisible: in the HTML
list, the HTML detail, the CSV export, the API list and the API detail."""

import pytest

from qingqian.accounts.models import Organisation
from qingqian.parties.models import Enterprise

GD_SME = "广州市明达机电设备有限公司"
GD_SME_2 = "深圳市青禾软件技术有限公司"
JS_SME = "南京恒信建筑劳务有限公司"
GD_LARGE = "广东粤海城建集团有限公司"
JS_SOE = "江苏苏源交通投资集团有限公司"

# username → (enterprises it must see, enterprises it must not see)
VISIBILITY = {
    "gd-intake": ({GD_SME, GD_SME_2, GD_LARGE}, {JS_SME, JS_SOE}),
    "gd-handler": ({GD_SME, GD_LARGE}, {JS_SME, JS_SOE}),
    "js-intake": ({JS_SME, JS_SOE}, {GD_SME, GD_LARGE}),
    "js-handler": ({JS_SME}, {GD_SME_2}),
    "sme-demo": ({GD_SME}, {GD_SME_2, JS_SME, GD_LARGE}),
    "sme-demo-2": ({GD_SME_2}, {GD_SME, JS_SME}),
    "sme-js": ({JS_SME}, {GD_SME, JS_SOE}),
    "debtor-demo": ({GD_LARGE}, {GD_SME, JS_SME, JS_SOE}),
    "supervisor": ({GD_SME, JS_SME, GD_LARGE, JS_SOE}, set()),
    "miit-intake": ({GD_SME, JS_SME}, set()),
    "admin": ({GD_SME, JS_SME}, set()),
}


def enterprise(name):
    return Enterprise.objects.get(name=name)


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(VISIBILITY))
def test_enterprise_visibility_html(client_for, username):
    visible, hidden = VISIBILITY[username]
    client = client_for(username)
    listing = client.get("/enterprises/?page=1").content.decode()
    export = b"".join(client.get("/enterprises/?format=csv").streaming_content).decode()
    for name in visible:
        assert name in listing and name in export
        assert client.get(f"/enterprises/{enterprise(name).pk}/").status_code == 200
    for name in hidden:
        assert name not in listing and name not in export
        assert client.get(f"/enterprises/{enterprise(name).pk}/").status_code == 404
        assert client.get(f"/enterprises/{enterprise(name).pk}/edit/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(VISIBILITY))
def test_enterprise_visibility_api(api_client_for, username):
    visible, hidden = VISIBILITY[username]
    client = api_client_for(username)
    listed = {
        row["name"] for row in client.get("/api/v1/enterprises/?page_size=500").json()["results"]
    }
    assert visible <= listed
    assert not hidden & listed
    for name in hidden:
        response = client.get(f"/api/v1/enterprises/{enterprise(name).pk}/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert (
            client.patch(
                f"/api/v1/enterprises/{enterprise(name).pk}/", {"contact_name": "x"}
            ).status_code
            == 404
        )


@pytest.mark.django_db
def test_search_does_not_reach_outside_scope(client_for, api_client_for):
    uscc = enterprise(JS_SME).uscc
    assert JS_SME not in client_for("gd-intake").get(f"/enterprises/?q={uscc}").content.decode()
    assert api_client_for("gd-intake").get(f"/api/v1/enterprises/?q={uscc}").json()["count"] == 0


ORG_VISIBILITY = {
    "gd-intake": ("广州市中小企业主管部门", "江苏省中小企业主管部门"),
    "js-handler": ("南京市中小企业主管部门", "广东省财政厅"),
    "gd-handler": ("广东省中小企业主管部门", "苏州市中小企业主管部门"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(ORG_VISIBILITY))
def test_organisation_visibility(client_for, api_client_for, username):
    own, other = (Organisation.objects.get(name=n) for n in ORG_VISIBILITY[username])
    html, api = client_for(username), api_client_for(username)
    listing = html.get("/organisations/").content.decode()
    assert own.name in listing and other.name not in listing
    assert html.get(f"/organisations/{own.pk}/").status_code == 200
    assert html.get(f"/organisations/{other.pk}/").status_code == 404
    listed = {
        row["id"] for row in api.get("/api/v1/organisations/?page_size=500").json()["results"]
    }
    assert own.pk in listed and other.pk not in listed
    assert api.get(f"/api/v1/organisations/{other.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["sme-demo", "debtor-demo"])
def test_enterprise_users_see_no_organisations(client_for, api_client_for, username):
    national = Organisation.objects.get(kind="national")
    assert client_for(username).get(f"/organisations/{national.pk}/").status_code == 404
    assert api_client_for(username).get("/api/v1/organisations/").json()["count"] == 0
