"""The organisation pages of an administrator: scoped to their jurisdiction,
each act a form that names the field it refuses and writes nothing then."""

import pytest
from django.test import Client

from qingqian.accounts import selectors
from qingqian.accounts.models import Organisation, User
from qingqian.core.models import AuditEvent
from tests.organisations import admin_of, org
from tests.web.test_every_write_is_audited import assert_audited

GD = "广东省中小企业主管部门"
GZ = "广州市中小企业主管部门"
NANJING = "南京市中小企业主管部门"
ACTS = ["add", "rename", "move", "transfer", "deactivate", "reactivate"]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_another_provinces_units_are_404_on_every_page_and_act():
    client = signed_in(admin_of(GD))
    nanjing = org(NANJING)
    assert client.get(f"/organisations/{nanjing.pk}/").status_code == 404
    for act in ACTS:
        response = client.post(f"/organisations/{nanjing.pk}/{act}/", {"rename-name": "x"})
        assert response.status_code == 404, act
    assert org(NANJING).name == NANJING and org(NANJING).is_active


@pytest.mark.django_db
def test_a_city_administrator_may_see_but_not_change_its_province():
    client = signed_in(admin_of(GZ))
    guangdong = org(GD)
    for act in ["rename", "move", "transfer", "deactivate", "reactivate"]:
        assert client.post(f"/organisations/{guangdong.pk}/{act}/").status_code == 404, act
    # Its own unit: it may add below it, not rename it.
    own = org(GZ)
    page = client.get(f"/organisations/{own.pk}/")
    assert 'data-testid="action-add"' in page.text
    assert 'data-testid="action-rename"' not in page.text
    assert client.post(f"/organisations/{own.pk}/rename/", {"rename-name": "x"}).status_code == 404


@pytest.mark.django_db
def test_the_provincial_administrator_adds_renames_and_deactivates_a_unit():
    client = signed_in(admin_of(GD))
    guangdong = org(GD)
    page = client.get(f"/organisations/{guangdong.pk}/")
    assert page.status_code == 200
    assert '<option value="440600">' in page.text  # 佛山市, from the shipped regions
    assert "/complaints/routing/" in page.text
    response = client.post(
        f"/organisations/{guangdong.pk}/add/",
        {"add-name": "佛山市中小企业主管部门", "add-kind": "city", "add-region_code": "440600"},
    )
    foshan = Organisation.objects.get(name="佛山市中小企业主管部门")
    assert response.status_code == 302 and foshan.parent == guangdong
    response = client.post(
        f"/organisations/{foshan.pk}/rename/", {"rename-name": "佛山市工业和信息化局"}
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=foshan.pk).name == "佛山市工业和信息化局"
    response = client.post(f"/organisations/{foshan.pk}/deactivate/")
    assert response.status_code == 302
    page = client.get(f"/organisations/{foshan.pk}/")
    assert 'data-testid="deactivated"' in page.text
    assert 'data-testid="action-reactivate"' in page.text
    listing = client.get("/organisations/")
    assert "佛山市工业和信息化局" in listing.text


@pytest.mark.django_db
def test_a_refused_act_names_the_field_and_writes_nothing():
    client = signed_in(admin_of(GD))
    guangdong = org(GD)
    before = (Organisation.objects.count(), AuditEvent.objects.count())
    response = client.post(
        f"/organisations/{guangdong.pk}/add/",
        {"add-name": "苏州某局", "add-kind": "city", "add-region_code": "320500"},
    )
    assert response.status_code == 400
    assert response.context["add_form"].errors.keys() == {"region_code"}
    # gd-handler still works at the finance department.
    finance = org("广东省财政厅")
    response = client.post(f"/organisations/{finance.pk}/deactivate/")
    assert response.status_code == 400
    assert any("1" in message for message in response.context["state_errors"])
    assert (Organisation.objects.count(), AuditEvent.objects.count()) == before
    assert org("广东省财政厅").is_active
    assert User.objects.get(username="gd-handler").organisation == finance


@pytest.mark.django_db
def test_the_transfer_form_moves_the_work_and_its_event_accounts_for_it(make_item):
    client = signed_in(admin_of(GD))
    guangzhou = org(GZ)
    item = make_item(owner=guangzhou)
    page = client.get(f"/organisations/{guangzhou.pk}/")
    assert 'data-testid="action-transfer"' in page.text
    response, _written = assert_audited(
        lambda: client.post(
            f"/organisations/{guangzhou.pk}/transfer/", {"transfer-target": org(GD).pk}
        )
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.owner == org(GD)


@pytest.mark.django_db
def test_the_national_level_creates_the_authorities_from_the_list_page(user):
    """The page offers `orgs bootstrap` to the national administrator and runs it
    (idempotent over the demo's authorities: nothing new, said so)."""
    national = signed_in(user("admin"))
    page = national.get("/organisations/").content.decode()
    assert 'action="/organisations/bootstrap/"' in page
    response = national.post("/organisations/bootstrap/", {"planning_cities": "on"}, follow=True)
    # The demo has Shenzhen already: the other four planning cities are new.
    assert "已创建 4 个主管部门" in response.content.decode()
    assert set(
        Organisation.objects.filter(
            region_code__in=["210200", "330200", "350200", "370200"]
        ).values_list("parent__region_code", flat=True)
    ) == {"210000", "330000", "350000", "370000"}


@pytest.mark.django_db
def test_a_provincial_administrator_may_not_create_the_authorities():
    client = signed_in(admin_of(GD))
    page = client.get("/organisations/").content.decode()
    assert 'action="/organisations/bootstrap/"' not in page
    count = Organisation.objects.count()
    assert client.post("/organisations/bootstrap/", {"prefectures": "on"}).status_code == 403
    assert Organisation.objects.count() == count


@pytest.mark.django_db
def test_the_operators_superuser_may_start_the_tree():
    """On a fresh installation the superuser has no organisation (the browser
    test from an empty database walks it through the page, after enrolling)."""
    root = User.objects.create_superuser("root", "root@example.gov.cn", "x")
    assert selectors.may_bootstrap(actor=root)
    assert selectors.may_bootstrap(actor=None)
    assert not selectors.may_bootstrap(actor=admin_of(GZ))
