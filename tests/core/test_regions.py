"""Region codes: the shipped tables, the shape rules, and the county import."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingqian.core import regions
from qingqian.core.regions import (
    CountyRow,
    CountyRowsError,
    Region,
    RegionError,
    county_row_problems,
    is_valid_region_code,
    level_of_code,
    lookup,
    prefectures,
    province_of,
    provinces,
    read_county_csv,
)

# MCA county list as of 2024-12-31 (see src/qingqian/core/data/REGIONS_SOURCE.md).
SHARED_COUNTIES = Path(__file__).resolve().parents[1] / "fixtures" / "counties_2024.csv"

# Prefecture counts per province in the MCA 2024 list (293 cities, 30
# autonomous prefectures, 7 地区, 3 盟 = 333), tallied from prefectures.csv.
PREFECTURE_COUNTS = {
    "130000": 11, "140000": 11, "150000": 12, "210000": 14, "220000": 9, "230000": 13,
    "320000": 13, "330000": 11, "340000": 16, "350000": 9, "360000": 11, "370000": 16,
    "410000": 17, "420000": 13, "430000": 14, "440000": 21, "450000": 14, "460000": 4,
    "510000": 21, "520000": 9, "530000": 16, "540000": 7, "610000": 10, "620000": 14,
    "630000": 8, "640000": 5, "650000": 14,
}  # fmt: skip


# --- the shipped tables ---


def test_34_provinces():
    all_provinces = provinces()
    assert len(all_provinces) == 34
    assert [p.code for p in all_provinces] == sorted(p.code for p in all_provinces)
    assert all(p.level == "province" and p.province_code == p.code for p in all_provinces)
    names = {p.code: p.name for p in all_provinces}
    assert names["110000"] == "北京市"
    assert names["440000"] == "广东省"
    assert names["650000"] == "新疆维吾尔自治区"
    assert names["710000"] == "台湾省"
    assert names["810000"] == "香港特别行政区"
    assert names["820000"] == "澳门特别行政区"


def test_333_prefectures():
    total = sum(len(prefectures(p.code)) for p in provinces())
    assert total == 333
    counts = {p.code: len(prefectures(p.code)) for p in provinces() if prefectures(p.code)}
    assert counts == PREFECTURE_COUNTS


@pytest.mark.parametrize("municipality", ["110000", "120000", "310000", "500000"])
def test_municipalities_have_no_prefectures(municipality):
    assert prefectures(municipality) == ()
    assert regions.is_municipality(municipality)
    assert regions.is_municipality(municipality[:2] + "0105")


@pytest.mark.parametrize("province", ["710000", "810000", "820000"])
def test_taiwan_hong_kong_macao_have_no_prefectures(province):
    assert prefectures(province) == ()


def test_prefectures_of_a_province():
    guangdong = prefectures("440000")
    assert guangdong[0] == Region("440100", "广州市", "prefecture", "440000")
    assert Region("440300", "深圳市", "prefecture", "440000") in guangdong
    assert all(p.province_code == "440000" for p in guangdong)


@pytest.mark.parametrize("code", ["440300", "999999", "abc", "44000"])
def test_prefectures_needs_a_province_code(code):
    with pytest.raises(RegionError) as caught:
        prefectures(code)
    assert caught.value.code == "not_a_province"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("110000", Region("110000", "北京市", "province", "110000")),
        ("440300", Region("440300", "深圳市", "prefecture", "440000")),
        ("441900", Region("441900", "东莞市", "prefecture", "440000")),  # no counties
        ("152900", Region("152900", "阿拉善盟", "prefecture", "150000")),
        ("653200", Region("653200", "和田地区", "prefecture", "650000")),
    ],
)
def test_lookup_shipped(code, expected):
    assert lookup(code) == expected


@pytest.mark.parametrize(
    "code", ["440305", "110101", "110100", "999999", "", "44030", None, 440300]
)
def test_lookup_none_for_unshipped(code):
    assert lookup(code) is None


# --- province_of: any code, shipped or not ---


@pytest.mark.parametrize(
    ("code", "province"),
    [
        ("440305", "440000"),  # 南山区, a county not shipped
        ("110105", "110000"),  # 朝阳区 under a municipality
        ("500157", "500000"),  # 两江新区 (2025), in no shipped or shared file
        ("653132", "650000"),  # 岑岭县 (2026)
        ("469001", "460000"),  # province-administered county-level city
        ("440300", "440000"),
        ("440000", "440000"),
        ("820000", "820000"),
    ],
)
def test_province_of(code, province):
    assert province_of(code).code == province
    assert province_of(code).level == "province"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("990101", "unknown_province"),
        ("100000", "unknown_province"),
        ("000000", "unknown_province"),
        ("4403", "bad_format"),
        ("4403051", "bad_format"),
        ("44030a", "bad_format"),
        ("４４０３０５", "bad_format"),  # full-width digits
        ("٤٤٠٣٠٥", "bad_format"),  # Arabic-Indic digits pass str.isdigit()
        (" 440305", "bad_format"),
        (440305, "bad_format"),
    ],
)
def test_province_of_refuses(code, error):
    with pytest.raises(RegionError) as caught:
        province_of(code)
    assert caught.value.code == error


@pytest.mark.parametrize(
    ("code", "level"),
    [("440000", "province"), ("440300", "prefecture"), ("440305", "county"), ("110101", "county")],
)
def test_level_of_code(code, level):
    assert level_of_code(code) == level


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("440000", True),
        ("440300", True),
        ("440305", True),
        ("110105", True),
        ("110100", False),  # old municipal placeholder, dropped by MCA
        ("449900", False),  # prefecture-shaped but no such prefecture
        ("990101", False),
        ("44030", False),
        ("", False),
        (None, False),
    ],
)
def test_is_valid_region_code(code, valid):
    assert is_valid_region_code(code) is valid


@given(code=st.text("0123456789", min_size=6, max_size=6))
def test_province_of_agrees_with_prefix(code):
    if code[:2] + "0000" in {p.code for p in provinces()}:
        assert province_of(code).code[:2] == code[:2]
    else:
        with pytest.raises(RegionError):
            province_of(code)


# --- county import rows (pure) ---


def test_read_csv_without_header():
    rows = read_county_csv("440305,南山区\n440306,宝安区\n")
    assert rows == [CountyRow(1, "440305", "南山区"), CountyRow(2, "440306", "宝安区")]


def test_read_csv_with_header_and_extra_columns():
    text = "province_code,name,code\n440000,南山区,440305\n\n440000,宝安区,440306\n"
    assert read_county_csv(text) == [
        CountyRow(2, "440305", "南山区"),
        CountyRow(4, "440306", "宝安区"),
    ]


def test_read_csv_with_chinese_header():
    text = "行政区划代码,名称\n440305,南山区\n"
    assert read_county_csv(text) == [CountyRow(2, "440305", "南山区")]


def test_read_csv_header_without_name_column_gives_empty_names():
    assert read_county_csv("code,other\n440305,x\n") == [CountyRow(2, "440305", "")]


def test_read_csv_strips_bom_and_spaces():
    rows = read_county_csv("\ufeffcode,name\n 440305 , 南山区 \n")
    assert rows == [CountyRow(2, "440305", "南山区")]


def test_read_csv_short_rows_become_empty_fields():
    assert read_county_csv("440305\n") == [CountyRow(1, "440305", "")]
    assert read_county_csv("") == []


def test_shared_county_list_is_clean():
    rows = read_county_csv(SHARED_COUNTIES.read_text(encoding="utf-8"))
    assert len(rows) == 2846
    assert rows[0] == CountyRow(2, "110101", "东城区")
    assert county_row_problems(rows) == []


def test_every_bad_row_is_reported_with_its_line():
    rows = [
        CountyRow(2, "440305", "南山区"),
        CountyRow(3, "44030", "短"),
        CountyRow(4, "990101", "无省"),
        CountyRow(5, "440000", "广东省"),
        CountyRow(6, "440300", "深圳市"),
        CountyRow(7, "440306", ""),
        CountyRow(8, "440307", "长" * 61),
        CountyRow(9, "440305", "南山区"),
        CountyRow(10, "", "无码"),
        CountyRow(11, "440308", "盐田区"),
        CountyRow(12, "４４０３０９", "全角"),
    ]
    problems = county_row_problems(rows)
    assert [(p.line, p.code) for p in problems] == [
        (3, "44030"),
        (4, "990101"),
        (5, "440000"),
        (6, "440300"),
        (7, "440306"),
        (8, "440307"),
        (9, "440305"),
        (10, ""),
        (12, "４４０３０９"),
    ]
    reasons = {p.line: p.reason for p in problems}
    assert reasons[3] == "code must be 6 digits"
    assert "prefix 99" in reasons[4]
    assert "only county codes" in reasons[5]
    assert "only county codes" in reasons[6]
    assert reasons[7] == "name is empty"
    assert "60 characters" in reasons[8]
    assert reasons[9] == "duplicate code (first on line 2)"
    assert str(problems[0]) == "line 3: 44030: code must be 6 digits"
    assert str(problems[7]) == "line 10: (empty code): code must be 6 digits"


def test_name_of_exactly_60_characters_is_fine():
    assert county_row_problems([CountyRow(1, "440305", "长" * 60)]) == []


# --- the audited service and the selector (database) ---


@pytest.fixture
def django_services():
    from qingqian.core.models import AuditEvent, Region
    from qingqian.core.region_selectors import county_name, region_name
    from qingqian.reference.services.regions import regions_import

    return AuditEvent, Region, regions_import, county_name, region_name


@pytest.mark.django_db
def test_import_upserts_and_audits_once(django_services):
    AuditEvent, Region, regions_import, county_name, region_name = django_services
    before = AuditEvent.objects.count()
    count = regions_import(actor=None, rows=[("440305", "南山区"), ("440306", "宝安区")])
    assert count == 2
    assert county_name("440305") == "南山区"
    assert region_name("440306") == "宝安区"
    assert region_name("440300") == "深圳市"
    assert region_name("440399") is None
    assert county_name("nonsense") is None
    events = list(AuditEvent.objects.order_by("seq"))[before:]
    assert len(events) == 1
    assert events[0].verb == "regions.import"
    assert events[0].actor_id is None
    assert events[0].payload == {"count": 2, "created": 2, "updated": 0, "unchanged": 0}

    rows = [CountyRow(2, "440305", "南山新区"), CountyRow(3, "440306", "宝安区"),
            CountyRow(4, "440307", "龙岗区")]  # fmt: skip
    assert regions_import(actor=None, rows=rows) == 3
    assert county_name("440305") == "南山新区"
    assert Region.objects.filter(code__startswith="4403").count() == 3
    latest = AuditEvent.objects.order_by("-seq").first()
    assert latest.payload == {"count": 3, "created": 1, "updated": 1, "unchanged": 1}
    assert AuditEvent.objects.count() == before + 2


@pytest.mark.django_db
def test_import_with_any_bad_row_writes_nothing(django_services):
    AuditEvent, Region, regions_import, *_ = django_services
    before_events, before_regions = AuditEvent.objects.count(), Region.objects.count()
    rows = [CountyRow(2, "440305", "南山区"), CountyRow(3, "440300", "深圳市"),
            CountyRow(4, "440306", "")]  # fmt: skip
    with pytest.raises(CountyRowsError) as caught:
        regions_import(actor=None, rows=rows)
    assert [p.line for p in caught.value.problems] == [3, 4]
    assert Region.objects.count() == before_regions
    assert AuditEvent.objects.count() == before_events


@pytest.mark.django_db
def test_import_the_real_county_list(django_services):
    _, Region, regions_import, county_name, _ = django_services
    rows = read_county_csv(SHARED_COUNTIES.read_text(encoding="utf-8"))
    assert regions_import(actor=None, rows=rows) == 2846
    assert Region.objects.count() == 2846
    assert county_name("659012") == "白杨市"


@pytest.mark.django_db
def test_import_needs_reference_permission(django_services):
    from django.core.exceptions import PermissionDenied

    from qingqian.accounts.models import Organisation, Role, User

    _, Region, regions_import, *_ = django_services
    org = Organisation.objects.create(name="广东省工信厅", kind="provincial", region_code="440000")
    handler = User.objects.create_user(
        username="handler", password="x", role=Role.HANDLER, organisation=org
    )
    with pytest.raises(PermissionDenied):
        regions_import(actor=handler, rows=[("440305", "南山区")])
    assert not Region.objects.filter(code="440305").exists()
