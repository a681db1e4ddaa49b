"""USCC checks: real codes of large companies pass; every kind of damage is named."""

import random

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from qingqian.core import regions, uscc
from qingqian.core.uscc import (
    ALPHABET,
    UsccResult,
    _clean_code_is_valid,
    check_uscc,
    is_valid_uscc,
    normalise,
    org_code_check_digit,
    quick_uscc,
    valid_uscc,
)

# Real codes. Each was found in public material (via the code search over
# public GitHub repositories) and verified here against both the GB 32100
# check digit and the GB 11714 organisation-code check digit; codes from the
# same sources that failed either check were left out.
REAL_CODES = {
    # 华为技术有限公司: used as the known-good code in a Java validator test and
    # in several company fixtures (one gives registration no. 440301104001819).
    "914403001922038216": "华为技术有限公司",
    # 腾讯科技（深圳）有限公司: a due-diligence seed table and an e-sign SDK test.
    "9144030071526726XG": "腾讯科技（深圳）有限公司",
    # 深圳市腾讯计算机系统有限公司: a Java tax-number test ("realUsccNumbersPass").
    "91440300708461136T": "深圳市腾讯计算机系统有限公司",
    # 阿里巴巴（中国）有限公司: several independent company fixture lists.
    "91330100799655058B": "阿里巴巴（中国）有限公司",
    # 中国移动通信集团有限公司: a registry lookup fixture (legal person 杨杰) and a
    # registry JSON sample (registration no. 100000000032057).
    "911100007109250324": "中国移动通信集团有限公司",
    # 中国石油天然气股份有限公司 (PetroChina): GLEIF LEI record
    # 529900RPY4YG47TRSV05, field registeredAs.
    "91110000710925462X": "中国石油天然气股份有限公司",
    # 中国工商银行股份有限公司 (601398): a securities-data fixture, REG_NUM.
    # Registered at national level: region code 100000.
    "91100000100003962T": "中国工商银行股份有限公司",
    # 深圳能源集团股份有限公司: a company-registry fixture.
    "91440300192241158P": "深圳能源集团股份有限公司",
    # 小米科技有限责任公司: a company fixture list.
    "91110108551385082Q": "小米科技有限责任公司",
    # The next five come from one "real top companies" list that also held
    # invented codes; these five pass both check digits (1 in 341 odds for a
    # random string), the others failed and are not used.
    "91310000132260250X": "上海汽车集团股份有限公司",
    "9144030010001686XA": "招商银行股份有限公司",
    "91440400192548256N": "珠海格力电器股份有限公司",
    "91440606722473344C": "美的集团股份有限公司",
    "91440300192317458F": "比亚迪股份有限公司",
    # 武汉光庭信息技术股份有限公司: an LLM prompt example that maps code to name.
    "91420100568359390C": "武汉光庭信息技术股份有限公司",
    # Example in python-stdnum's own documentation of stdnum.cn.uscc.
    "91110000600037341L": "(python-stdnum doc example)",
    # A post-2015 code whose organisation part starts with MA (letters):
    # the worked example in a Java validator's comments.
    "91512081MA62K0260E": "(validator worked example)",
}


def with_check_digit(first17: str) -> str:
    return first17 + stdnum_uscc.calc_check_digit(first17)


@pytest.mark.parametrize("code", sorted(REAL_CODES))
def test_real_codes_pass(code):
    result = check_uscc(code)
    assert result == UsccResult(True, code, "valid", "ok")
    assert is_valid_uscc(code)
    assert stdnum_uscc.is_valid(code)


@pytest.mark.parametrize(
    "raw",
    [
        "9144030071526726xg",
        " 9144030071526726XG ",
        "9144-0300-7152-6726-XG",
        "91 4403 0071526726 XG",
        "9144030071526726XG\n",
        "\t9144030071526726XG\u3000",
    ],
)
def test_normalises_spacing_hyphens_and_case(raw):
    result = check_uscc(raw)
    assert result.valid
    assert result.code == "9144030071526726XG"


def test_full_width_input_is_folded_to_ascii():
    # stdnum's compact() folds full-width forms, as a Chinese IME may produce them.
    result = check_uscc("９１４４０３００１９２２０３８２１６")
    assert result.valid
    assert result.code == "914403001922038216"


def test_bad_check_digit_names_the_expected_one():
    result = check_uscc("91440300192203821X")
    assert not result.valid
    assert result.reason_code == "check_digit"
    assert result.reason == "check digit mismatch (expected 6)"


def test_org_code_failure_is_invalid_even_when_check_digit_fits():
    # Huawei's organisation code 19220382-1 with its own check digit altered to
    # 2, and the overall check digit recomputed so that it fits.
    forged = with_check_digit("91440300192203822")
    assert stdnum_uscc.is_valid(forged)  # stdnum alone would accept it
    result = check_uscc(forged)
    assert not result.valid
    assert result.reason_code == "org_check_digit"
    assert "expected 1" in result.reason


@pytest.mark.parametrize(
    ("code", "reason_code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("- -", "empty"),
        ("91440300192203821", "wrong_length"),
        ("9144030019220382166", "wrong_length"),
        ("123", "wrong_length"),
        ("9144030019220382I6", "forbidden_letter"),
        ("9144030019220382O6", "forbidden_letter"),
        ("914403001922038Z16", "forbidden_letter"),
        ("91440300S92203821X", "forbidden_letter"),
        ("V14403001922038216", "forbidden_letter"),
        ("91440300192203821*", "invalid_character"),
        ("914403001922038_16", "invalid_character"),
        ("91440300一922038216", "invalid_character"),
        ("91A40300192203821X", "region_not_numeric"),
        ("914403B0192203821X", "region_not_numeric"),
    ],
)
def test_malformed(code, reason_code):
    result = check_uscc(code)
    assert not result.valid
    assert result.reason_code == reason_code
    assert result.reason


def test_wrong_length_reason_counts_characters():
    assert check_uscc("91440300192203821").reason == "must be 18 characters, got 17"


def test_forbidden_letter_reason_names_letter_and_position():
    reason = check_uscc("9144030019220382I6").reason
    assert "letter I at position 17" in reason


@pytest.mark.parametrize(
    "prefix", ["00", "19", "24", "39", "47", "55", "60", "66", "70", "80", "99"]
)
def test_unknown_province(prefix):
    code = with_check_digit(f"91{prefix}0300192203821")
    result = check_uscc(code)
    assert not result.valid
    assert result.reason_code == "unknown_province"
    assert prefix in result.reason


def test_region_100000_is_national_but_10_is_not_otherwise_a_province():
    assert check_uscc("91100000100003962T").valid
    near_national = with_check_digit("91101000100003962")
    assert check_uscc(near_national).reason_code == "unknown_province"


def test_letters_allowed_in_authority_and_type_positions():
    # GB 32100 lets positions 1-2 be letters (e.g. Y: other authorities).
    code = with_check_digit("Y1440300192203821")
    assert check_uscc(code).valid


def test_check_digit_checked_before_org_code():
    # Damage inside the organisation code usually breaks both; the overall
    # check digit is reported first because it is what people mistype.
    result = check_uscc("914403001922038316")
    assert result.reason_code == "check_digit"


@pytest.mark.parametrize(
    ("body", "digit"),
    [
        ("19220382", "1"),  # Huawei
        ("71526726", "X"),  # Tencent: remainder 10 is written X
        ("10000396", "2"),  # ICBC
        ("MA62K026", "0"),  # letters count A=10 ... Z=35
        ("00000000", "0"),  # 11 - 0 = 11 is written 0
    ],
)
def test_org_code_check_digit(body, digit):
    assert org_code_check_digit(body) == digit


def test_org_code_check_digit_needs_eight_characters():
    with pytest.raises(ValueError):
        org_code_check_digit("1234567")
    with pytest.raises(ValueError):
        org_code_check_digit("1234567*")


def test_text_only():
    with pytest.raises(TypeError):
        check_uscc(914403001922038216)
    with pytest.raises(TypeError):
        normalise(None)


# --- properties ---

alphabet_chars = st.sampled_from(ALPHABET)
province_prefixes = st.sampled_from([p.code[:2] for p in regions.provinces()])


@st.composite
def valid_codes(draw):
    head = draw(alphabet_chars) + draw(alphabet_chars)
    region = draw(province_prefixes) + draw(st.text("0123456789", min_size=4, max_size=4))
    org_body = "".join(draw(st.lists(alphabet_chars, min_size=8, max_size=8)))
    first17 = head + region + org_body + org_code_check_digit(org_body)
    return with_check_digit(first17)


@given(code=valid_codes())
def test_constructed_codes_are_valid(code):
    assert check_uscc(code).valid
    assert check_uscc(code.lower()).valid


@given(code=valid_codes(), position=st.integers(0, 17), replacement=alphabet_chars)
def test_any_single_substitution_is_caught(code, position, replacement):
    assume(code[position] != replacement)
    damaged = code[:position] + replacement + code[position + 1 :]
    assert not check_uscc(damaged).valid


@given(code=valid_codes(), position=st.integers(0, 16))
def test_adjacent_transposition_is_caught(code, position):
    assume(code[position] != code[position + 1])
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    assert not check_uscc(swapped).valid


@given(
    first17=st.text("0123456789", min_size=8, max_size=8).flatmap(
        lambda head: st.lists(alphabet_chars, min_size=9, max_size=9).map(
            lambda t: head + "".join(t)
        )
    )
)
def test_overall_check_digit_agrees_with_stdnum(first17):
    code = with_check_digit(first17)
    result = check_uscc(code)
    assert result.reason_code != "check_digit"
    assert stdnum_uscc.is_valid(code)


@given(text=st.text(max_size=25))
def test_never_raises_on_any_text(text):
    result = check_uscc(text)
    assert isinstance(result.valid, bool)
    assert result.valid == (result.reason_code == "ok")


# --- the fast path agrees with check_uscc ---


def test_the_fast_credit_code_check_agrees_with_check_uscc():
    rng = random.Random(7)
    for _ in range(5000):
        org = "".join(rng.choice(ALPHABET) for _ in range(8))
        region = rng.choice(["440100", "110108", "100000", "990000", "000000", "71A000"])
        body = rng.choice("91Y5") + rng.choice("1239") + region + org + org_code_check_digit(org)
        code = body + stdnum_uscc.calc_check_digit(body)
        if rng.random() < 0.5:  # one character changed: mostly invalid
            position = rng.randrange(18)
            code = code[:position] + rng.choice(ALPHABET + "IOSZV") + code[position + 1 :]
        fast = _clean_code_is_valid(code)
        assert fast == check_uscc(code).valid, code


@given(code=valid_codes(), position=st.integers(0, 17), replacement=st.sampled_from(ALPHABET))
def test_the_fast_check_agrees_on_damaged_codes(code, position, replacement):
    damaged = code[:position] + replacement + code[position + 1 :]
    assert _clean_code_is_valid(damaged) == check_uscc(damaged).valid


def expected_code(text: str) -> str | None:
    result = check_uscc(text)
    return result.code if result.valid else None


@given(text=st.one_of(valid_codes(), valid_codes().map(str.lower), st.text(max_size=20)))
def test_valid_uscc_is_check_uscc_cached(text):
    assert valid_uscc(text) == expected_code(text)
    assert valid_uscc(text) == expected_code(text)  # the second answer from the cache


@given(
    code=valid_codes(),
    before=st.sampled_from(["", " ", "\u3000", "=", "-", "+", "@", "\t"]),
    after=st.sampled_from(["", " ", "\n"]),
)
def test_a_cell_is_taken_only_when_plain(code, before, after):
    cell = before + code + after
    taken = quick_uscc(cell)
    assert taken == (code if before in ("", " ", "\u3000") else None)
    assert taken is None or taken == expected_code(cell.strip())


@pytest.mark.parametrize("cell", [None, 914403001922038216, 1.5, ""])
def test_a_cell_that_is_not_text_is_left_to_the_full_check(cell):
    assert quick_uscc(cell) is None


def test_the_credit_code_cache_keeps_its_recent_half_when_full(monkeypatch):
    first, second, third = "914403001922038216", "9144030071526726XG", "91440300708461136T"
    monkeypatch.setattr(uscc, "CODE_CACHE_SIZE", 4)
    monkeypatch.setattr(uscc, "_checked_codes", {})
    codes = [first, second, third, "bad"]
    assert [valid_uscc(code) for code in codes] == [first, second, third, None]
    assert valid_uscc(second.lower()) == second  # the fifth entry evicts two
    assert list(uscc._checked_codes) == [third, "bad", second.lower()]
