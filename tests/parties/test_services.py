from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingqian.core.models import AuditEvent
from qingqian.demo import demo_uscc
from qingqian.parties.models import Enterprise
from qingqian.parties.services import enterprise_create, enterprise_update

HUAWEI = "914403001922038216"  # 华为技术有限公司, Shenzhen


def create(actor, **overrides):
    fields = {
        "uscc": HUAWEI,
        "name": "华为技术有限公司",
        "type": Enterprise.Type.LARGE,
        "region_code": "440300",
    }
    return enterprise_create(actor=actor, **{**fields, **overrides})


def error_fields(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


@pytest.mark.django_db
def test_intake_officer_registers_an_enterprise_with_an_audit_event(user):
    before = AuditEvent.objects.count()
    created = create(user("gd-intake"), uscc=" 9144 0300-1922 0382 16 ")
    assert created.uscc == HUAWEI
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.verb == "enterprise.create" and event.target_id == str(created.pk)
    assert event.actor == user("gd-intake")
    assert event.payload["uscc"] == HUAWEI


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"uscc": "91440300192203821X"}, "uscc"),  # wrong check digit
        ({"uscc": "9144030019220382"}, "uscc"),  # too short
        ({"uscc": ""}, "uscc"),
        ({"name": "   "}, "name"),
        ({"name": "长" * 201}, "name"),
        ({"type": "bank"}, "type"),
        ({"region_code": "99000"}, "region_code"),
        ({"region_code": "990000"}, "region_code"),  # no such province
        ({"industry": "mining"}, "industry"),
        ({"staff": -1}, "staff"),
        ({"revenue_wan": Decimal("-0.01")}, "revenue_wan"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(user, overrides, field):
    enterprises, events = Enterprise.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        create(user("gd-intake"), **overrides)
    assert field in error_fields(excinfo)
    assert Enterprise.objects.count() == enterprises
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_duplicate_credit_code_is_refused(user):
    existing = Enterprise.objects.get(name="广州市明达机电设备有限公司")
    with pytest.raises(ValidationError) as excinfo:
        create(user("gd-intake"), uscc=existing.uscc.lower())
    assert error_fields(excinfo) == {"uscc"}


@pytest.mark.django_db
def test_region_outside_jurisdiction_is_refused(user):
    with pytest.raises(ValidationError) as excinfo:
        create(user("gd-intake"), uscc=demo_uscc("320100", 99), region_code="320100")
    assert error_fields(excinfo) == {"region_code"}


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["sme-demo", "gd-handler", "supervisor", "debtor-demo"])
def test_roles_without_the_permission_cannot_register(user, username):
    with pytest.raises(PermissionDenied):
        create(user(username))


@pytest.mark.django_db
def test_sme_updates_its_own_size_facts_and_the_change_is_audited(user):
    own = user("sme-demo").enterprise
    enterprise_update(actor=user("sme-demo"), enterprise=own, staff=90, contact_phone="020-1234")
    own.refresh_from_db()
    assert own.staff == 90
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.verb == "enterprise.update"
    assert event.payload["changed"]["staff"] == [85, 90]


@pytest.mark.django_db
def test_sme_cannot_rename_itself_or_touch_another(user):
    own = user("sme-demo").enterprise
    with pytest.raises(PermissionDenied):
        enterprise_update(actor=user("sme-demo"), enterprise=own, name="新名字")
    other = user("sme-demo-2").enterprise
    with pytest.raises(PermissionDenied):
        enterprise_update(actor=user("sme-demo"), enterprise=other, staff=1)


@pytest.mark.django_db
def test_update_without_change_writes_no_event(user):
    own = user("sme-demo").enterprise
    before = AuditEvent.objects.count()
    enterprise_update(actor=user("sme-demo"), enterprise=own, staff=own.staff)
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_the_credit_code_cannot_be_changed(user):
    own = user("sme-demo").enterprise
    with pytest.raises(ValidationError) as excinfo:
        enterprise_update(actor=user("admin"), enterprise=own, uscc=HUAWEI)
    assert error_fields(excinfo) == {"uscc"}


@pytest.mark.django_db
def test_official_cannot_move_an_enterprise_out_of_jurisdiction(user):
    own = user("sme-demo").enterprise
    with pytest.raises(ValidationError) as excinfo:
        enterprise_update(actor=user("gd-intake"), enterprise=own, region_code="320100")
    assert error_fields(excinfo) == {"region_code"}
    own.refresh_from_db()
    assert own.region_code == "440106"


def test_demo_credit_codes_are_valid():
    from qingqian.core.uscc import check_uscc

    for serial, region in enumerate(["440106", "440305", "320104", "110105"], start=1):
        assert check_uscc(demo_uscc(region, serial)).valid
