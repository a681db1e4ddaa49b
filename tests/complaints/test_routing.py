import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingqian.accounts.models import Organisation
from qingqian.complaints import routing, services
from qingqian.complaints.models import RoutingRule
from qingqian.core.models import AuditEvent
from qingqian.parties.models import Enterprise


def org(name):
    return Organisation.objects.get(name=name)


@pytest.mark.django_db
def test_default_table_routes_by_province_central_and_cross_province():
    gd_sme = Enterprise.objects.get(name="广州市明达机电设备有限公司")
    js_sme = Enterprise.objects.get(name="南京恒信建筑劳务有限公司")
    gd_debtor = Enterprise.objects.get(name="广东粤海城建集团有限公司")
    js_soe = Enterprise.objects.get(name="江苏苏源交通投资集团有限公司")
    national = Organisation.objects.get(kind="national")
    assert routing.accepting_authority(gd_sme, gd_debtor) == org("广东省中小企业主管部门")
    assert routing.accepting_authority(js_sme, js_soe) == org("江苏省中小企业主管部门")
    assert routing.accepting_authority(gd_sme, js_soe) == national  # cross-province
    gd_debtor.is_central = True
    assert routing.accepting_authority(gd_sme, gd_debtor) == national


@pytest.mark.django_db
def test_administrator_changes_the_table_and_routing_follows(draft, user):
    jiangsu = org("江苏省中小企业主管部门")
    routing.routing_rule_set(
        actor=user("admin"),
        priority=5,
        description="示例：广东欠款方由江苏受理",
        debtor_province_code="440000",
        authority=jiangsu,
    )
    assert AuditEvent.objects.order_by("-seq").first().verb == "routing.set"
    complaint = services.complaint_submit(actor=user("sme-demo"), complaint=draft())
    assert complaint.accepting_authority == jiangsu
    assert complaint.tracking_number.startswith("QQ-") and "-320000-" in complaint.tracking_number


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"priority": 0}, "priority"),
        ({"description": " "}, "description"),
        ({"debtor_province_code": "440300"}, "debtor_province_code"),
        ({"authority_name": "广东省财政厅"}, "authority"),
    ],
)
def test_bad_rules_name_the_field_and_write_nothing(user, fields, field):
    kwargs = {"priority": 7, "description": "x", **fields}
    if "authority_name" in kwargs:
        kwargs["authority"] = org(kwargs.pop("authority_name"))
    before = RoutingRule.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        routing.routing_rule_set(actor=user("admin"), **kwargs)
    assert field in excinfo.value.message_dict
    assert RoutingRule.objects.count() == before


@pytest.mark.django_db
def test_only_administrators_edit_routing(user, client_for):
    with pytest.raises(PermissionDenied):
        routing.routing_rule_set(actor=user("supervisor"), priority=7, description="x")
    assert client_for("gd-intake").get("/complaints/routing/").status_code == 403
    admin = client_for("admin")
    assert admin.get("/complaints/routing/").status_code == 200
    response = admin.post(
        "/complaints/routing/",
        {"priority": "7", "description": "央企一律国家受理", "debtor_central": "yes"},
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get(priority=7)
    assert rule.debtor_central is True and rule.cross_province is None
    admin.post("/complaints/routing/", {"action": "delete", "rule": rule.pk})
    assert not RoutingRule.objects.filter(priority=7).exists()
