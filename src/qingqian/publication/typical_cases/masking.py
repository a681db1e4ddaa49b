"""Masking a typical case's text: pure rules, no database.

Chinese personal names cannot be found by a pattern, so the first rule masks
what the platform KNOWS about the complaint (`Known`: the complainant's name
and credit code, its contact person and phone, the names, phones and e-mail
addresses of the people who acted on it, the debtor's name and code, the
contract number). Then patterns catch what people typed: mainland mobile
numbers and landlines, 18-digit identity numbers (with a valid check digit),
bank account numbers (16 to 19 digits), credit codes, e-mail addresses, and
street addresses of the form "…路/街/巷/大道 + number + 号".

Each kind of value becomes one readable placeholder, so a reader sees that
something was withheld and what kind of thing it was. The debtor becomes
DEBTOR ("某单位"); naming it is the approver's decision (`name_debtor`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from qingqian.core.uscc import valid_uscc

SME = "某中小企业"
DEBTOR = "某单位"
PERSON = "某某"
PHONE = "[电话]"
IDENTITY = "[身份证号]"
ACCOUNT = "[账号]"
EMAIL = "[电子邮箱]"
ADDRESS = "[地址]"
CREDIT_CODE = "[统一社会信用代码]"
CONTRACT = "[合同编号]"

PLACEHOLDERS = (
    SME,
    DEBTOR,
    PERSON,
    PHONE,
    IDENTITY,
    ACCOUNT,
    EMAIL,
    ADDRESS,
    CREDIT_CODE,
    CONTRACT,
)

MIN_KNOWN = 2  # a known value shorter than this is not masked (it would mask ordinary words)

# Endings of an enterprise's name people drop when they write it again.
NAME_ENDINGS = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司")


@dataclass(frozen=True)
class Known:
    """What the platform knows about one complaint's parties and people."""

    smes: tuple[str, ...] = ()  # the complainant's name(s)
    debtors: tuple[str, ...] = ()  # the debtor's name(s)
    people: tuple[str, ...] = ()  # names of natural persons
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()  # credit codes of the parties
    contracts: tuple[str, ...] = ()  # contract numbers


def name_variants(name: str) -> set[str]:
    """An enterprise's name and the shorter forms people write: '广州市明达机电设备有限公司'
    also as '广州市明达机电设备'. Never shorter than four characters."""
    name = name.strip()
    variants = {name} if name else set()
    for ending in NAME_ENDINGS:
        if name.endswith(ending) and len(name) - len(ending) >= 4:
            variants.add(name[: -len(ending)])
    return variants


def person_variants(full_name: str) -> set[str]:
    """A person's name as the platform stores it ('明达 李经理') and as it is written
    in running text ('明达李经理', and each part of two characters or more)."""
    parts = [part for part in full_name.split() if part]
    variants = {full_name.strip(), "".join(parts)}
    variants |= {part for part in parts if len(part) >= MIN_KNOWN}
    return {variant for variant in variants if len(variant) >= MIN_KNOWN}


def _digits_pattern(value: str) -> re.Pattern | None:
    """A known phone number as it may be written: the same digits with any spaces
    or hyphens between them, not inside a longer number."""
    digits = re.sub(r"\D", "", value)
    if len(digits) < 5:
        return None
    body = r"[\s\-－]?".join(re.escape(d) for d in digits)
    return re.compile(rf"(?<!\d)(?:\+?86[\s\-]?)?{body}(?!\d)")


# --- the patterns -----------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def identity_check_ok(number: str) -> bool:
    """GB 11643: the 18th character is the check digit of the first 17."""
    if not re.fullmatch(r"\d{17}[\dXx]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
IDENTITY_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
CREDIT_CODE_RE = re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NP-RTUWXY]{18}(?![0-9A-Za-z])")
# Bank cards and accounts: 16 to 19 digits, run together or in groups of four.
ACCOUNT_RE = re.compile(r"(?<!\d)(?:\d{16,19}|\d{4}(?:[ \-]\d{4}){3}(?:[ \-]?\d{1,3})?)(?!\d)")
MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[\s\-]?)?1[3-9]\d[\s\-]?\d{4}[\s\-]?\d{4}(?!\d)")
LANDLINE_RE = re.compile(
    r"(?<!\d)(?:[(（]0\d{2,3}[)）]\s?|0\d{2,3}[\s\-－]?)\d{7,8}(?:[\-－转]\d{1,6})?(?!\d)"
)
# "天河路100号", "解放北街3号2栋501室", "中山大道西8号": a street name of up to six
# characters (without the words that merely lead into it), a number, 号,
# and what follows of building, floor and room.
# The region before it (省, 市, 区, 县 …) is not personal and stays.
_NOT_IN_A_STREET = "的在于为是位址和与及向到至往从由对我其该请司处省市区县镇乡"
ADDRESS_RE = re.compile(
    rf"(?:(?![{_NOT_IN_A_STREET}])[\u4e00-\u9fff]){{1,6}}(?:大道|路|街|巷)"
    r"[东南西北中]?(?:[0-9０-９]+|[一二三四五六七八九十百〇零]+)号"
    r"(?:[之\-]?[0-9０-９A-Za-z]+(?:栋|幢|座|楼|层|室|单元|号|房))*"
)


def _valid_credit_code(code: str) -> bool:
    return valid_uscc(code) is not None  # the check digits (GB 32100), no database


def _replace_known(text: str, values: Iterable[str], placeholder: str) -> str:
    for value in sorted({v for v in values if v and len(v) >= MIN_KNOWN}, key=len, reverse=True):
        text = text.replace(value, placeholder)
    return text


def mask(text: str, known: Known = Known()) -> str:
    """The text with every known value and every pattern replaced by its placeholder."""
    if not text:
        return ""
    # Numbers first, so that a phone inside a longer number is not half-masked.
    for phone in known.phones:
        pattern = _digits_pattern(phone)
        if pattern is not None:
            text = pattern.sub(PHONE, text)
    text = _replace_known(text, known.emails, EMAIL)
    text = _replace_known(text, known.codes, CREDIT_CODE)
    text = _replace_known(text, known.contracts, CONTRACT)
    # Names, longest first across kinds, so that an SME's name is not half a person's.
    names: dict[str, str] = {}
    for values, placeholder in (
        (known.people, PERSON),
        (known.debtors, DEBTOR),
        (known.smes, SME),  # an SME's name wins over a person's name inside it
    ):
        for value in values:
            if value and len(value) >= MIN_KNOWN:
                names[value] = placeholder
    for value in sorted(names, key=len, reverse=True):
        text = text.replace(value, names[value])
    # Then what people typed.
    text = EMAIL_RE.sub(EMAIL, text)
    text = IDENTITY_RE.sub(lambda m: IDENTITY if identity_check_ok(m[0]) else m[0], text)
    text = CREDIT_CODE_RE.sub(
        lambda m: CREDIT_CODE if _valid_credit_code(m[0].upper()) else m[0], text
    )
    text = ACCOUNT_RE.sub(ACCOUNT, text)
    text = MOBILE_RE.sub(PHONE, text)
    text = LANDLINE_RE.sub(PHONE, text)
    return ADDRESS_RE.sub(ADDRESS, text)


def name_debtor(text: str, debtor_name: str) -> str:
    """The approver's decision to name the debtor: its placeholder becomes its name."""
    return text.replace(DEBTOR, debtor_name) if debtor_name else text


@dataclass(frozen=True)
class Difference:
    original: str
    masked: str


def differences(original: str, masked: str) -> list[Difference]:
    """What masking (and the drafter's editing) changed, in reading order: each
    stretch of the original and what replaced it (either may be empty)."""
    matcher = difflib.SequenceMatcher(None, original, masked, autojunk=False)
    return [
        Difference(original[i1:i2], masked[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
