"""`qingqian orgs bootstrap`: the national and reporting units' SME authorities."""

import json
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from qingqian.accounts import verbs
from qingqian.accounts.models import Organisation, Role
from qingqian.accounts.services import organisations_bootstrap, user_create
from qingqian.cli import main
from qingqian.complaints.models import RoutingRule
from qingqian.complaints.routing import accepting_authority
from qingqian.core.models import AuditEvent

Kind = Organisation.Kind
# GB/T 2260: the 31 mainland provincial-level units.
PROVINCE_CODES = [
    "110000", "120000", "130000", "140000", "150000",
    "210000", "220000", "230000",
    "310000", "320000", "330000", "340000", "350000", "360000", "370000",
    "410000", "420000", "430000", "440000", "450000", "460000",
    "500000", "510000", "520000", "530000", "540000",
    "610000", "620000", "630000", "640000", "650000",
]  # fmt: skip
PLANNING_CITIES = {
    "210200": "大连市中小企业主管部门",
    "370200": "青岛市中小企业主管部门",
    "330200": "宁波市中小企业主管部门",
    "350200": "厦门市中小企业主管部门",
    "440300": "深圳市中小企业主管部门",
}
PREFECTURE_COUNT = 333  # the shipped list; Taiwan, Hong Kong and Macao have none


@pytest.fixture
def no_organisations(db):
    """An empty organisation table while the test runs. The seeded demo's rows go
    inside a savepoint (foreign keys are checked only at commit, and the people
    who belong to them stay) and come back when it is rolled back."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_organisation")
        yield
        transaction.set_rollback(True)


def bootstrap(*options):
    return main(["orgs", "bootstrap", *options])


def codes(kind):
    return sorted(Organisation.objects.filter(kind=kind).values_list("region_code", flat=True))


def bootstrap_events():
    return AuditEvent.objects.filter(verb=verbs.ORGANISATIONS_BOOTSTRAP)


def test_default_run_creates_the_national_and_31_provincial_authorities(no_organisations, capsys):
    assert bootstrap() == 0
    assert "created 32 organisations (1 national, 31 provincial)" in capsys.readouterr().out
    national = Organisation.objects.get(kind=Kind.NATIONAL_AUTHORITY)
    assert (national.name, national.region_code, national.parent) == (
        "工业和信息化部中小企业局",
        "000000",
        None,
    )
    assert codes(Kind.PROVINCIAL_AUTHORITY) == PROVINCE_CODES
    assert not Organisation.objects.filter(region_code__in=["710000", "810000", "820000"])
    guangdong = Organisation.objects.get(region_code="440000")
    assert guangdong.name == "广东省中小企业主管部门"
    assert guangdong.parent == national
    assert guangdong.path == f"/{national.pk}/{guangdong.pk}/"
    assert codes(Kind.CITY_AUTHORITY) == []


def test_a_second_run_creates_nothing_and_says_so(no_organisations, capsys):
    assert bootstrap() == 0
    capsys.readouterr()
    events = bootstrap_events().count()
    assert bootstrap("--json") == 0
    assert json.loads(capsys.readouterr().out) == {"created": {}, "already_present": 32}
    assert bootstrap() == 0
    assert capsys.readouterr().out == "created nothing: all 32 organisations already present\n"
    assert Organisation.objects.count() == 32
    assert bootstrap_events().count() == events


def test_planning_cities_sit_under_their_provinces(no_organisations, capsys):
    assert bootstrap("--planning-cities") == 0
    assert "created 37 organisations (1 national, 31 provincial, 5 city)" in (
        capsys.readouterr().out
    )
    cities = Organisation.objects.filter(kind=Kind.CITY_AUTHORITY)
    assert {city.region_code: city.name for city in cities} == PLANNING_CITIES
    assert {city.region_code: city.parent.region_code for city in cities} == {
        code: code[:2] + "0000" for code in PLANNING_CITIES
    }


def test_prefectures_add_every_shipped_prefecture_authority(no_organisations, capsys):
    assert bootstrap("--planning-cities") == 0
    capsys.readouterr()
    assert bootstrap("--prefectures", "--json") == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == {"created": {"city": PREFECTURE_COUNT - 5}, "already_present": 37}
    cities = Organisation.objects.filter(kind=Kind.CITY_AUTHORITY)
    assert cities.count() == PREFECTURE_COUNT
    assert not cities.filter(region_code__endswith="0000")
    assert all(city.parent.region_code == city.region_code[:2] + "0000" for city in cities)


def test_one_audit_event_per_run_that_creates_and_the_chain_verifies(no_organisations, capsys):
    before = bootstrap_events().count()
    assert bootstrap() == 0
    assert bootstrap("--planning-cities") == 0
    events = list(bootstrap_events().order_by("seq"))[before:]
    assert len(events) == 2
    created = [event.payload["created"]["accounts.organisation"] for event in events]
    assert len(created[0]) == 32
    assert sorted(o["region_code"] for o in created[1]) == sorted(PLANNING_CITIES)
    assert all(event.actor_id is None for event in events)
    capsys.readouterr()
    assert main(["audit", "verify"]) == 0


def test_it_completes_the_demo_set_without_duplicates(db):
    before = Organisation.objects.count()
    assert bootstrap("--planning-cities") == 0
    # The demo already has Shenzhen; Hong Kong, Macao and Taiwan keep the demo's rows.
    assert Organisation.objects.count() == before + 4


def test_only_a_national_administrator_may_bootstrap(db, user):
    provincial_admin = user_create(
        actor=None,
        username="gd-admin",
        password="x",
        role=Role.ADMIN,
        organisation=Organisation.objects.get(region_code="440000", kind=Kind.PROVINCIAL_AUTHORITY),
        validate=False,
    )
    for actor in (provincial_admin, user("gd-intake")):
        with pytest.raises(PermissionDenied):
            organisations_bootstrap(actor=actor, planning_cities=True)
    created, _present = organisations_bootstrap(actor=user("admin"), planning_cities=True)
    assert [organisation.region_code for organisation in created] == [
        "210200",
        "330200",
        "350200",
        "370200",
    ]


def test_a_fresh_installation_gets_the_default_routing_table(no_organisations):
    """Central debtors and cross-province cases go to the national authority
    (DOMAIN: 由国务院负责中小企业促进工作综合管理的部门 for central units), the
    rest to the debtor's provincial authority, from the first bootstrap on."""
    RoutingRule.objects.all().delete()
    assert bootstrap() == 0
    national = Organisation.objects.get(kind=Kind.NATIONAL_AUTHORITY)
    table = RoutingRule.objects.values_list(
        "priority", "debtor_central", "cross_province", "authority"
    )
    assert list(table) == [(10, True, None, national.pk), (20, None, True, national.pk)] + [
        (100, None, None, None)
    ]
    sme = SimpleNamespace(region_code="440100")
    central = SimpleNamespace(region_code="110000", is_central=True)
    local = SimpleNamespace(region_code="440300", is_central=False)
    assert accepting_authority(sme, central) == national
    assert accepting_authority(sme, local).region_code == "440000"
    assert bootstrap() == 0 and RoutingRule.objects.count() == 3  # idempotent
