"""Who edits which routing rules, and routing around deactivated authorities."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client

from qingqian.accounts.models import Organisation
from qingqian.complaints import routing
from qingqian.complaints.models import RoutingRule
from qingqian.parties.models import Enterprise
from tests.organisations import admin_of, org

GD = "广东省中小企业主管部门"
JS = "江苏省中小企业主管部门"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def js_rule(user):
    return routing.routing_rule_set(
        actor=user("admin"),
        priority=50,
        description="江苏：示例",
        debtor_province_code="320000",
        authority=org(JS),
    )


@pytest.mark.django_db
def test_a_provincial_administrator_sets_rules_for_its_own_province_only(js_rule):
    gd_admin = admin_of(GD)
    rule = routing.routing_rule_set(
        actor=gd_admin, priority=40, description="广东：示例", debtor_province_code="440000"
    )
    assert rule.debtor_province_code == "440000"
    assert set(routing.routing_rules_visible(actor=gd_admin)) == {rule}
    cases = [
        ({"debtor_province_code": "320000"}, "debtor_province_code"),
        ({"debtor_province_code": ""}, "debtor_province_code"),
        ({"debtor_central": True}, "debtor_central"),
        ({"cross_province": True}, "cross_province"),
        ({"authority": org(JS)}, "authority"),
        ({"priority": js_rule.priority}, "priority"),  # replacing Jiangsu's rule
        ({"priority": 5}, "priority"),  # ahead of the national rules
    ]
    before = list(RoutingRule.objects.values_list("pk", "priority", "debtor_province_code"))
    for fields, field in cases:
        kwargs = {
            "priority": 41,
            "description": "x",
            "debtor_province_code": "440000",
            **fields,
        }
        with pytest.raises(ValidationError) as excinfo:
            routing.routing_rule_set(actor=gd_admin, **kwargs)
        assert field in excinfo.value.message_dict, fields
    after = list(RoutingRule.objects.values_list("pk", "priority", "debtor_province_code"))
    assert after == before


@pytest.mark.django_db
def test_a_provincial_administrator_cannot_delete_another_provinces_rule(js_rule):
    gd_admin = admin_of(GD)
    with pytest.raises(Http404):
        routing.routing_rule_delete(actor=gd_admin, rule=js_rule)
    client = signed_in(gd_admin)
    response = client.post("/complaints/routing/", {"action": "delete", "rule": js_rule.pk})
    assert response.status_code == 404
    assert RoutingRule.objects.filter(pk=js_rule.pk).exists()
    page = client.get("/complaints/routing/")
    assert page.status_code == 200 and "江苏：示例" not in page.text


@pytest.mark.django_db
def test_a_city_administrator_does_not_edit_routing():
    gz_admin = admin_of("广州市中小企业主管部门")
    with pytest.raises(PermissionDenied):
        routing.routing_rule_set(
            actor=gz_admin, priority=40, description="x", debtor_province_code="440000"
        )
    assert signed_in(gz_admin).get("/complaints/routing/").status_code == 403


@pytest.mark.django_db
def test_routing_skips_deactivated_authorities(user, js_rule):
    gd_sme = Enterprise.objects.get(name="广州市明达机电设备有限公司")
    gd_debtor = Enterprise.objects.get(name="广东粤海城建集团有限公司")
    routing.routing_rule_set(
        actor=user("admin"),
        priority=30,
        description="广东欠款方由江苏受理",
        debtor_province_code="440000",
        authority=org(JS),
    )
    assert routing.accepting_authority(gd_sme, gd_debtor) == org(JS)
    Organisation.objects.filter(name=JS).update(is_active=False)
    assert routing.accepting_authority(gd_sme, gd_debtor) == org(GD)
    Organisation.objects.filter(name=GD).update(is_active=False)
    assert routing.accepting_authority(gd_sme, gd_debtor) is None
