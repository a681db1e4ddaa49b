"""The masking rules, pure: each kind of personal data, known or by pattern, and
what must stay (dates, amounts, regions, ordinary words)."""

from __future__ import annotations

import pytest

from qingqian.publication.typical_cases import masking as m

KNOWN = m.Known(
    smes=tuple(m.name_variants("广州市明达机电设备有限公司")),
    debtors=tuple(m.name_variants("广东粤海城建集团有限公司")),
    people=tuple(m.person_variants("明达 李经理") | m.person_variants("张伟")),
    phones=("020-8888 6666",),
    emails=("li@example.cn",),
    codes=("91440106MA59C8XX1A",),
    contracts=("GZ-2025-0042",),
)


def test_known_names_become_their_placeholders():
    text = "广州市明达机电设备有限公司与广东粤海城建集团有限公司签订合同，经办人张伟。"
    assert m.mask(text, KNOWN) == "某中小企业与某单位签订合同，经办人某某。"


def test_shortened_names_and_names_written_without_the_space():
    text = "广州市明达机电设备多次找广东粤海城建集团；明达李经理到场，李经理签字。"
    assert m.mask(text, KNOWN) == "某中小企业多次找某单位；某某到场，某某签字。"


def test_an_sme_name_is_not_half_masked_as_a_person_inside_it():
    known = m.Known(smes=("明达机电有限公司",), people=("明达",))
    assert m.mask("明达机电有限公司的明达", known) == "某中小企业的某某"


def test_known_phone_code_contract_and_email():
    text = "电话020 8888 6666，代码91440106MA59C8XX1A，合同GZ-2025-0042，邮箱li@example.cn"
    assert (
        m.mask(text, KNOWN) == "电话[电话]，代码[统一社会信用代码]，合同[合同编号]，邮箱[电子邮箱]"
    )


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("手机13800138000。", "手机[电话]。"),
        ("手机138-0013-8000。", "手机[电话]。"),
        ("手机+86 138 0013 8000。", "手机[电话]。"),
        ("座机020-12345678转806。", "座机[电话]。"),
        ("座机（0755）87654321。", "座机[电话]。"),
        ("身份证号11010519491231002X。", "身份证号[身份证号]。"),
        ("账号6222021234567890123。", "账号[账号]。"),
        ("卡号6222 0212 3456 7890。", "卡号[账号]。"),
        ("邮箱a.b-c@mail.example.com。", "邮箱[电子邮箱]。"),
        ("住广州市天河区天河路100号2栋501室。", "住广州市天河区[地址]。"),
        ("我公司地址为中山大道西8号", "我公司地址为[地址]"),
        ("位于解放北街三号", "位于[地址]"),
    ],
)
def test_patterns(text, masked):
    assert m.mask(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "2025年3月1日签订合同，金额1280000元，逾期120日。",
        "广东省广州市天河区",
        "他知道3号楼的事",  # 道 alone is no street
        "编号QQ-2026-440000-000123",
    ],
)
def test_what_stays(text):
    assert m.mask(text) == text


def test_identity_numbers_need_their_check_digit():
    assert m.identity_check_ok("11010519491231002X")
    assert not m.identity_check_ok("110105194912310021")
    # A wrong check digit is no identity number; 18 digits are still masked as an account.
    assert m.mask("号码110105194912310021") == "号码[账号]"


def test_short_known_values_are_not_masked():
    assert m.mask("李先生说", m.Known(people=("李",))) == "李先生说"


def test_masking_twice_changes_nothing():
    once = m.mask("明达李经理，13800138000，天河路100号", KNOWN)
    assert m.mask(once, KNOWN) == once


def test_naming_the_debtor():
    assert m.name_debtor("某单位拖欠某中小企业货款", "粤海城建") == "粤海城建拖欠某中小企业货款"
    assert m.name_debtor("某单位拖欠", "") == "某单位拖欠"


def test_differences_show_each_replaced_stretch():
    original = "张伟电话13800138000。"
    found = m.differences(original, m.mask(original, KNOWN))
    assert [(d.original, d.masked) for d in found] == [("张伟", "某某"), ("13800138000", "[电话]")]
