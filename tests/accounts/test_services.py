import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingqian.accounts.models import Organisation, Role, User
from qingqian.accounts.selectors import organisation_subtree
from qingqian.accounts.services import organisation_create, user_create
from qingqian.core.models import AuditEvent

Kind = Organisation.Kind


def org(name):
    return Organisation.objects.get(name=name)


@pytest.mark.django_db
def test_demo_tree_has_national_31_provinces_and_local_units():
    """The 31 mainland provincial-level units report (DOMAIN §7a)."""
    national = Organisation.objects.get(kind=Kind.NATIONAL_AUTHORITY)
    provincial = Organisation.objects.filter(kind=Kind.PROVINCIAL_AUTHORITY, parent=national)
    assert provincial.count() == 31
    guangdong = org("广东省中小企业主管部门")
    subtree = {o.name for o in organisation_subtree(guangdong)}
    assert {"广州市中小企业主管部门", "广东省财政厅", "广东省中小企业主管部门"} <= subtree
    assert "南京市中小企业主管部门" not in subtree
    assert guangdong.accepts_complaints and national.accepts_complaints
    assert not org("广州市中小企业主管部门").accepts_complaints


@pytest.mark.django_db
def test_administrator_adds_a_city_under_a_province_with_audit(user):
    guangdong = org("广东省中小企业主管部门")
    city = organisation_create(
        actor=user("admin"),
        name="佛山市中小企业主管部门",
        kind=Kind.CITY_AUTHORITY,
        region_code="440600",
        parent=guangdong,
    )
    assert city.path == f"{guangdong.path}{city.pk}/"
    assert city in organisation_subtree(guangdong)
    assert AuditEvent.objects.order_by("-seq").first().verb == "organisation.create"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "region", "parent_name", "field"),
    [
        (
            Kind.CITY_AUTHORITY,
            "320200",
            "广东省中小企业主管部门",
            "region_code",
        ),  # not within parent
        (
            Kind.CITY_AUTHORITY,
            "440600",
            "工业和信息化部中小企业局",
            "parent",
        ),  # city under national
        (Kind.PROVINCIAL_AUTHORITY, "440000", "广州市中小企业主管部门", "parent"),
        (Kind.CITY_AUTHORITY, "4406", "广东省中小企业主管部门", "region_code"),
        ("ministry", "440600", "广东省中小企业主管部门", "kind"),
    ],
)
def test_organisation_tree_rules(user, kind, region, parent_name, field):
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        organisation_create(
            actor=user("admin"),
            name="新单位",
            kind=kind,
            region_code=region,
            parent=org(parent_name),
        )
    assert field in excinfo.value.message_dict
    assert Organisation.objects.count() == before


@pytest.mark.django_db
def test_only_administrators_manage_organisations_and_users(user):
    with pytest.raises(PermissionDenied):
        organisation_create(
            actor=user("supervisor"),
            name="x",
            kind=Kind.CITY_AUTHORITY,
            region_code="440600",
            parent=org("广东省中小企业主管部门"),
        )
    with pytest.raises(PermissionDenied):
        user_create(actor=user("gd-intake"), username="new", password="x", role=Role.INTAKE)


@pytest.mark.django_db
def test_user_rules_name_the_field(user):
    admin = user("admin")
    guangdong = org("广东省中小企业主管部门")
    cases = [
        ({"username": "GD-INTAKE", "role": Role.INTAKE, "organisation": guangdong}, "username"),
        ({"username": "a1", "role": "boss", "organisation": guangdong}, "role"),
        ({"username": "a2", "role": Role.SME, "organisation": guangdong}, "enterprise"),
        ({"username": "a3", "role": Role.INTAKE}, "organisation"),
        (
            {"username": "a4", "role": Role.INTAKE, "organisation": guangdong, "password": "123"},
            "password",
        ),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as excinfo:
            user_create(actor=admin, **{"password": "a-Long-passphrase-9", **fields})
        assert field in excinfo.value.message_dict, fields
    created = user_create(
        actor=admin,
        username="gd-intake-2",
        password="a-Long-passphrase-9",
        role=Role.INTAKE,
        organisation=guangdong,
    )
    assert created.password.startswith("argon2")
    assert AuditEvent.objects.order_by("-seq").first().verb == "user.create"


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2():
    assert all(u.password.startswith("argon2$") for u in User.objects.all())
