"""Who manages which organisations, and renaming, moving, deactivating and
transferring the open work of a unit."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from qingqian.accounts import selectors
from qingqian.accounts.models import Organisation, User
from qingqian.accounts.services import (
    organisation_create,
    organisation_deactivate,
    organisation_move,
    organisation_reactivate,
    organisation_rename,
    organisation_work_transfer,
)
from qingqian.complaints import services as complaint_services
from qingqian.complaints.models import OPEN_STATES, Complaint, ComplaintEvent
from qingqian.core.models import AuditEvent
from qingqian.ledger.models import LedgerItem, Status
from tests.organisations import admin_of, org

Kind = Organisation.Kind
GD = "广东省中小企业主管部门"
JS = "江苏省中小企业主管部门"
GZ = "广州市中小企业主管部门"
FINANCE = "广东省财政厅"


def department(parent, name="广东省工业和信息化厅", actor=None):
    return organisation_create(
        actor=actor,
        name=name,
        kind=Kind.HANDLING_DEPARTMENT,
        region_code=org(parent).region_code,
        parent=org(parent),
    )


def last_audit():
    return AuditEvent.objects.order_by("-seq").first()


# --- who manages what --------------------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_manages_strictly_below_their_own_organisation(user):
    gd_admin = admin_of(GD)
    managed = set(selectors.organisations_managed(actor=gd_admin))
    assert managed == set(selectors.organisation_subtree(org(GD)).exclude(pk=org(GD).pk))
    assert org(GZ) in managed and org(FINANCE) in managed
    assert org(GD) not in managed and org(JS) not in managed
    national = Organisation.objects.get(kind=Kind.NATIONAL_AUTHORITY)
    assert national not in set(selectors.organisations_managed(actor=user("admin")))
    assert org(JS) in set(selectors.organisations_managed(actor=user("admin")))
    assert national in set(selectors.organisations_managed(actor=None))
    assert not selectors.organisations_managed(actor=user("gd-intake")).exists()


@pytest.mark.django_db
def test_a_city_administrator_cannot_touch_its_province(user):
    gz_admin = admin_of(GZ)
    for act, kwargs in [
        (organisation_rename, {"name": "改名"}),
        (organisation_deactivate, {}),
        (organisation_reactivate, {}),
    ]:
        with pytest.raises(Http404):
            act(actor=gz_admin, organisation=org(GD), **kwargs)
    with pytest.raises(ValidationError) as excinfo:
        department(GD, actor=gz_admin)
    assert "parent" in excinfo.value.message_dict
    assert org(GD).name == GD and org(GD).is_active


@pytest.mark.django_db
def test_a_provincial_administrator_cannot_act_on_or_create_in_another_province():
    gd_admin = admin_of(GD)
    with pytest.raises(Http404):
        organisation_rename(actor=gd_admin, organisation=org("南京市中小企业主管部门"), name="x")
    with pytest.raises(Http404):
        organisation_work_transfer(actor=gd_admin, source=org(JS), target=org(FINANCE))
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        department(JS, name="江苏省某厅", actor=gd_admin)
    assert "parent" in excinfo.value.message_dict
    assert Organisation.objects.count() == before
    # Under its own organisation it may add units.
    created = department(GD, actor=gd_admin)
    assert created.parent == org(GD)


# --- rename and move ---------------------------------------------------------------


@pytest.mark.django_db
def test_rename_is_audited_and_refuses_a_sibling_name():
    gd_admin = admin_of(GD)
    organisation_rename(actor=gd_admin, organisation=org(GZ), name=" 广州市工业和信息化局 ")
    assert Organisation.objects.filter(name="广州市工业和信息化局").exists()
    assert last_audit().verb == "organisation.rename"
    assert last_audit().payload == {"from": GZ, "to": "广州市工业和信息化局"}
    for name in ["", "深圳市中小企业主管部门"]:
        with pytest.raises(ValidationError) as excinfo:
            organisation_rename(actor=gd_admin, organisation=org(FINANCE), name=name)
        assert "name" in excinfo.value.message_dict
    assert org(FINANCE).name == FINANCE


@pytest.mark.django_db
def test_moving_a_unit_rewrites_the_path_of_its_whole_subtree():
    gd_admin = admin_of(GD)
    county = organisation_create(
        actor=gd_admin,
        name="荔湾区中小企业主管部门",
        kind=Kind.COUNTY_AUTHORITY,
        region_code="440103",
        parent=org(GZ),
    )
    below = organisation_create(
        actor=gd_admin,
        name="荔湾区财政局",
        kind=Kind.HANDLING_DEPARTMENT,
        region_code="440103",
        parent=county,
    )
    other_city = organisation_create(
        actor=gd_admin,
        name="广州市工业和信息化局",
        kind=Kind.CITY_AUTHORITY,
        region_code="440100",
        parent=org(GD),
    )
    organisation_move(actor=gd_admin, organisation=county, parent=other_city)
    county.refresh_from_db()
    below.refresh_from_db()
    assert county.parent == other_city
    assert county.path == f"{other_city.path}{county.pk}/"
    assert below.path == f"{other_city.path}{county.pk}/{below.pk}/"
    assert set(selectors.organisation_subtree(other_city)) == {other_city, county, below}
    assert below not in set(selectors.organisation_subtree(org(GZ)))
    event = last_audit()
    assert (event.verb, event.payload["units_moved"]) == ("organisation.move", 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("unit", "parent"),
    [
        (GZ, "深圳市中小企业主管部门"),  # a city cannot sit under a city
        ("深圳市中小企业主管部门", GZ),
        (FINANCE, GZ),  # region 440000 does not lie within 440100
    ],
)
def test_move_refuses_what_the_tree_rules_forbid(unit, parent):
    gd_admin = admin_of(GD)
    path = org(unit).path
    with pytest.raises(ValidationError) as excinfo:
        organisation_move(actor=gd_admin, organisation=org(unit), parent=org(parent))
    assert "parent" in excinfo.value.message_dict
    assert org(unit).path == path


@pytest.mark.django_db
def test_move_refuses_its_own_subtree_and_parents_outside_the_jurisdiction(user):
    gd_admin = admin_of(GD)
    dept = department(GZ, name="广州市财政局", actor=gd_admin)
    with pytest.raises(ValidationError) as excinfo:
        organisation_move(actor=user("admin"), organisation=org(GZ), parent=dept)
    assert "parent" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        organisation_move(actor=gd_admin, organisation=dept, parent=org(JS))
    assert "parent" in excinfo.value.message_dict
    assert Organisation.objects.get(pk=dept.pk).parent == org(GZ)


# --- deactivation and the transfer of open work --------------------------------------


@pytest.fixture
def transferred_complaint(draft, user):
    """A complaint accepted by Guangdong and transferred to its finance department."""
    complaint = complaint_services.complaint_submit(actor=user("sme-demo"), complaint=draft())
    complaint = complaint_services.complaint_accept(actor=user("gd-intake"), complaint=complaint)
    return complaint_services.complaint_transfer(
        actor=user("gd-intake"), complaint=complaint, department=org(FINANCE)
    )


@pytest.mark.django_db
def test_deactivation_is_refused_while_staff_remain_and_says_so():
    gd_admin = admin_of(GD)
    with pytest.raises(ValidationError) as excinfo:
        organisation_deactivate(actor=gd_admin, organisation=org(FINANCE))
    # gd-handler works at the finance department.
    assert "1" in excinfo.value.message_dict["staff"][0]
    assert org(FINANCE).is_active


@pytest.mark.django_db
def test_deactivation_refused_with_open_complaints_allowed_after_transfer(
    transferred_complaint, user
):
    gd_admin = admin_of(GD)
    User.objects.filter(username="gd-handler").update(is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        organisation_deactivate(actor=gd_admin, organisation=org(FINANCE))
    assert list(excinfo.value.message_dict) == ["open_work"]
    assert "1" in excinfo.value.message_dict["open_work"][0]
    assert org(FINANCE).is_active

    target = department(GD, actor=gd_admin)
    moved = organisation_work_transfer(actor=gd_admin, source=org(FINANCE), target=target)
    assert moved == {"complaints_handling": 1}
    complaint = Complaint.objects.get(pk=transferred_complaint.pk)
    assert complaint.handling_department == target
    assert complaint.version == transferred_complaint.version + 1
    history = ComplaintEvent.objects.filter(complaint=complaint).last()
    assert (history.action, history.department) == ("reassign", target)
    assert history.details["from"] == org(FINANCE).pk
    running = complaint.deadlines.get(stage="handling")
    assert running.organisation == target
    event = last_audit()
    assert event.verb == "organisation.work_transfer"
    assert event.payload["moved"] == {"complaints_handling": 1}

    organisation_deactivate(actor=gd_admin, organisation=org(FINANCE))
    assert not org(FINANCE).is_active
    assert last_audit().verb == "organisation.deactivate"


@pytest.mark.django_db
def test_transfer_refuses_a_target_that_cannot_hold_the_work(transferred_complaint):
    gd_admin = admin_of(GD)
    for target in [org(GZ), org(FINANCE)]:  # a city authority; the source itself
        with pytest.raises(ValidationError) as excinfo:
            organisation_work_transfer(actor=gd_admin, source=org(FINANCE), target=target)
        assert "target" in excinfo.value.message_dict
    assert Complaint.objects.get(pk=transferred_complaint.pk).handling_department == org(FINANCE)


@pytest.mark.django_db
def test_open_ledger_items_block_deactivation_and_move_in_bulk(make_item, user):
    gd_admin = admin_of(GD)
    gz = org(GZ)
    open_items = [make_item(owner=gz), make_item(owner=gz)]
    cleared = make_item(owner=gz)
    LedgerItem.objects.filter(pk=cleared.pk).update(status=Status.CLEARED)
    with pytest.raises(ValidationError) as excinfo:
        organisation_deactivate(actor=gd_admin, organisation=gz)
    assert "2" in excinfo.value.message_dict["open_work"][0]
    # Shenzhen cannot keep Guangzhou's items (outside its region); the province can.
    with pytest.raises(ValidationError) as excinfo:
        organisation_work_transfer(actor=gd_admin, source=gz, target=org("深圳市中小企业主管部门"))
    assert "target" in excinfo.value.message_dict
    moved = organisation_work_transfer(actor=gd_admin, source=gz, target=org(GD))
    assert moved == {"ledger_items": 2}
    assert set(LedgerItem.objects.filter(owner=org(GD))) >= set(open_items)
    assert LedgerItem.objects.get(pk=cleared.pk).owner == gz
    organisation_deactivate(actor=gd_admin, organisation=gz)
    assert not org(GZ).is_active


@pytest.mark.django_db
def test_open_work_of_an_active_unit_below_blocks_its_parent(make_item):
    gd_admin = admin_of(GD)
    dept = department(GZ, name="广州市财政局", actor=gd_admin)
    make_item(owner=dept)
    with pytest.raises(ValidationError) as excinfo:
        organisation_deactivate(actor=gd_admin, organisation=org(GZ))
    assert "open_work" in excinfo.value.message_dict
    assert org(GZ).is_active and Organisation.objects.get(pk=dept.pk).is_active


@pytest.mark.django_db
def test_deactivation_closes_the_subtree_and_reactivation_reopens_one_unit():
    gd_admin = admin_of(GD)
    dept = department(GZ, name="广州市财政局", actor=gd_admin)
    organisation_deactivate(actor=gd_admin, organisation=org(GZ))
    assert not org(GZ).is_active and not Organisation.objects.get(pk=dept.pk).is_active
    assert sorted(last_audit().payload["deactivated"]) == sorted([org(GZ).pk, dept.pk])
    with pytest.raises(ValidationError) as excinfo:
        organisation_deactivate(actor=gd_admin, organisation=org(GZ))
    assert "is_active" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        organisation_reactivate(actor=gd_admin, organisation=dept)
    assert "parent" in excinfo.value.message_dict
    # A deactivated unit receives no new units.
    with pytest.raises(ValidationError) as excinfo:
        department(GZ, name="广州市另一局", actor=gd_admin)
    assert "parent" in excinfo.value.message_dict
    organisation_reactivate(actor=gd_admin, organisation=org(GZ))
    assert org(GZ).is_active and not Organisation.objects.get(pk=dept.pk).is_active
    assert last_audit().verb == "organisation.reactivate"


@pytest.mark.django_db
def test_a_deactivated_department_receives_no_complaints(draft, user):
    gd_admin = admin_of(GD)
    User.objects.filter(username="gd-handler").update(is_active=False)
    organisation_deactivate(actor=gd_admin, organisation=org(FINANCE))
    complaint = complaint_services.complaint_submit(actor=user("sme-demo"), complaint=draft())
    complaint = complaint_services.complaint_accept(actor=user("gd-intake"), complaint=complaint)
    with pytest.raises(ValidationError) as excinfo:
        complaint_services.complaint_transfer(
            actor=user("gd-intake"), complaint=complaint, department=org(FINANCE)
        )
    assert "department" in excinfo.value.message_dict


@pytest.mark.django_db
def test_transfer_of_accepting_authority_moves_the_scope_key(draft, user):
    """The national administrator hands Guangdong's complaints to the national
    authority (say, Guangdong's authority is being merged)."""
    complaint = complaint_services.complaint_submit(actor=user("sme-demo"), complaint=draft())
    national = Organisation.objects.get(kind=Kind.NATIONAL_AUTHORITY)
    open_before = Complaint.objects.filter(accepting_authority=org(GD), state__in=OPEN_STATES)
    expected = open_before.count()
    closed = Complaint.objects.filter(accepting_authority=org(GD)).exclude(state__in=OPEN_STATES)
    closed_ids = set(closed.values_list("pk", flat=True))
    assert expected >= 1
    moved = organisation_work_transfer(actor=user("admin"), source=org(GD), target=national)
    assert moved["complaints_accepting"] == expected
    assert not Complaint.objects.filter(accepting_authority=org(GD), state__in=OPEN_STATES).exists()
    assert (
        set(Complaint.objects.filter(accepting_authority=org(GD)).values_list("pk", flat=True))
        == closed_ids
    )
    complaint.refresh_from_db()
    assert complaint.accepting_authority == national
    assert complaint.province_code == "000000"
