"""The published column schema of a ledger return (台账导入模板).

Each column has an English ``key`` (what the code and the error report use)
and a Chinese ``label`` (what provinces' staff read). The template's header
cell is the bilingual ``"中文标签 / key"``; an uploaded file's header cell may
be the key, the label or the bilingual form, in any case, with any spacing,
and with full-width or ASCII punctuation (``欠款金额(元)`` = ``欠款金额（元）``).

Pure Python: no Django models are imported here, so the file layer can be
used (and tested) without an app registry. The choice values mirror
``parties.models.Enterprise.Type`` and ``parties.vocabulary.Subject``; a test
keeps them in step.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

Kind = Literal["uscc", "text", "choice", "region", "date", "money"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind
    required: bool = True
    max_length: int | None = None
    # Labels of earlier templates, still read so that files already filled in import.
    former_labels: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        """The bilingual template header cell, e.g. ``欠款单位名称 / debtor_name``."""
        return f"{self.label} / {self.key}"

    @property
    def excel_kind(self) -> Literal["text", "date", "money"]:
        """How an export writes this column's values (see ``writers.write_xlsx``)."""
        return self.kind if self.kind in ("date", "money") else "text"


COLUMNS: tuple[Column, ...] = (
    # 欠款单位 is the ledger's term (docs/terminology.md); 债务人 headed the first template.
    Column(
        "debtor_uscc", "欠款单位统一社会信用代码", "uscc", former_labels=("债务人统一社会信用代码",)
    ),
    Column("debtor_name", "欠款单位名称", "text", max_length=200, former_labels=("债务人名称",)),
    Column("debtor_type", "欠款单位类型", "choice", former_labels=("债务人类型",)),
    Column(
        "region_code",
        "欠款单位所在地行政区划代码",
        "region",
        former_labels=("债务人所在地行政区划代码",),
    ),
    Column("creditor_uscc", "债权人（中小企业）统一社会信用代码", "uscc"),
    Column("creditor_name", "债权人名称", "text", max_length=200),
    Column("contract_number", "合同编号", "text", max_length=100),
    Column("contract_signed_on", "合同签订日期", "date"),
    # Optional because LedgerItem.subject is blank=True: older returns lack it.
    Column("subject", "合同标的", "choice", required=False),
    Column("due_on", "应付款日期", "date"),
    Column("amount_owed", "欠款金额（元）", "money"),
    Column("amount_paid", "已付金额（元）", "money", required=False),
    Column("disputed_amount", "有分歧金额（元）", "money", required=False),
    Column("notes", "备注", "text", required=False, max_length=500),
)

# What an export adds after the template's columns, for the reader: an import
# accepts these headers and ignores their cells, so an export can be edited and
# imported back as it is (the item is matched by its contract key, not its id).
READ_ONLY_COLUMNS: tuple[Column, ...] = (
    Column("status", "状态", "text", required=False),
    Column("outstanding", "未付金额（元）", "money", required=False),
    Column("item_id", "台账编号", "text", required=False),
)

BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}
READ_ONLY_BY_KEY: dict[str, Column] = {column.key: column for column in READ_ONLY_COLUMNS}
KEYS: tuple[str, ...] = tuple(BY_KEY)
REQUIRED_KEYS: frozenset[str] = frozenset(c.key for c in COLUMNS if c.required)
TEMPLATE_HEADER: list[str] = [column.header for column in COLUMNS]

# Canonical value first, then the Chinese words the template documents.
DEBTOR_TYPES: dict[str, str] = {
    "agency": "agency",
    "institution": "institution",
    "large": "large",
    "soe": "soe",
    "机关": "agency",
    "事业单位": "institution",
    "大型企业": "large",
    "国有企业": "soe",
}
SUBJECTS: dict[str, str] = {
    "goods": "goods",
    "works": "works",
    "services": "services",
    "货物": "goods",
    "工程": "works",
    "服务": "services",
}
CHOICES: dict[str, dict[str, str]] = {"debtor_type": DEBTOR_TYPES, "subject": SUBJECTS}
# The template's word for each canonical value (``agency`` -> ``机关``): what an
# export writes, so that it reads like the template it is imported as.
TEMPLATE_WORDS: dict[str, dict[str, str]] = {
    key: {value: word for word, value in aliases.items() if word != value}
    for key, aliases in CHOICES.items()
}


def token(text: str) -> str:
    """Comparison form of a header cell or choice: NFKC (full-width to ASCII),
    no whitespace at all, case-folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _header_tokens() -> dict[str, str]:
    tokens: dict[str, str] = {}
    for column in (*COLUMNS, *READ_ONLY_COLUMNS):
        labels = (column.label, *column.former_labels)
        for spelling in (column.key, *labels, *(f"{label} / {column.key}" for label in labels)):
            tokens[token(spelling)] = column.key
    return tokens


_HEADER_TOKENS = _header_tokens()


def column_key_for_header(cell: str) -> str | None:
    """The key a header cell names (a read-only column's too), or None for an
    unknown header."""
    return _HEADER_TOKENS.get(token(cell))


def choice_value(key: str, text: str) -> str | None:
    """The canonical value of a choice cell (``机关`` -> ``agency``), or None."""
    aliases = CHOICES[key]
    return aliases.get(text) or aliases.get(token(text))
