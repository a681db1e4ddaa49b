"""One concept, one term: no Chinese translation uses a rejected variant
of an official term, and the check does report one when it is there."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from qingqian.core.terminology import load_rules, violations

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "src/qingqian/locale/zh_Hans/LC_MESSAGES/django.po"
DOC = ROOT / "docs/terminology.md"

RULES = load_rules()


def entry(msgstr, *, msgid="x", occurrences=(), msgctxt=None, msgstr_plural=None):
    return polib.POEntry(
        msgid=msgid,
        msgstr=msgstr,
        msgctxt=msgctxt,
        occurrences=list(occurrences),
        msgstr_plural=msgstr_plural or {},
    )


def found(*entries):
    return [(v.variant, v.term) for v in violations(entries, RULES)]


def test_the_chinese_catalogue_uses_only_the_official_terms():
    problems = violations(polib.pofile(str(CATALOGUE)), RULES)

    assert [f"{v.msgid!r}: {v.msgstr} ({v.variant} → {v.term})" for v in problems] == []


def test_a_complaint_string_calling_the_respondent_a_debtor_is_reported():
    complaint = entry("请填写欠款方地址。", occurrences=[("complaints/forms.py", "12")])

    assert found(complaint) == [("欠款方", "被投诉人")]


def test_the_ledger_word_is_rejected_in_the_complaint_module_and_right_in_the_ledger():
    in_complaints = entry("欠款单位全称", occurrences=[("complaints/forms.py", "1")])
    in_ledger = entry("欠款单位全称", occurrences=[("ledger/forms.py", "1")])
    by_context = entry("欠款单位", msgctxt="complaint", occurrences=[("web/x.html", "1")])

    assert found(in_complaints) == [("欠款单位", "被投诉人")]
    assert found(in_ledger) == []
    assert found(by_context) == [("欠款单位", "被投诉人")]


def test_a_msgid_shared_with_the_ledger_is_no_complaint_string():
    shared = entry(
        "欠款单位类型", occurrences=[("complaints/forms.py", "1"), ("ledger/models.py", "2")]
    )

    assert found(shared) == []


def test_the_state_words_of_each_module():
    complaint = entry("已关闭", occurrences=[("complaints/models.py", "20")])
    ledger = entry("该条目已关闭。", occurrences=[("ledger/services/common.py", "22")])
    case = entry("该督办事项已关闭。", occurrences=[("supervision/cases/views.py", "9")])

    assert found(complaint) == [("关闭", "已评价归档")]
    assert found(ledger) == [("关闭", "已销号")]
    assert found(case) == [("关闭", "已办结")]


@pytest.mark.parametrize(
    ("msgstr", "variant", "term"),
    [
        ("已通报上级部门。", "已通报上级", "已提醒上级督办部门"),
        ("已提醒上级督导部门。", "督导部门", "已提醒上级督办部门"),
        ("认定欠款（元）", "认定欠款", "排查欠款 / 台账欠款总额"),
        ("清偿率（%）", "清偿率", "清偿进度"),
        ("经裁判核销", "核销", "经生效裁判认定无需支付"),
        ("员工人数", "员工", "从业人员"),
        ("按 2011 年划型标准计算", "划型标准", "《中小企业划型标准规定》"),
        ("审计事件", "审计事件", "操作日志"),
        ("18 位，以营业执照为准。", "以营业执照为准", "统一社会信用代码证书"),
        ("答复确认或有争议的金额", "有争议", "有分歧 / 无分歧"),
        ("合同订立日期", "订立", "签订"),
        ("已超期", "超期", "逾期"),
        ("总计不超过 90 天。", "天", "日"),
        ("转办至处理部门", "处理部门", "处理投诉部门"),
        ("不选即全部省份。", "省份", "省（区、市）"),
        ("按城市", "城市", "市（地、州、盟）"),
        ("本人承诺：该事项未被受理。", "本人承诺", "本企业承诺"),
        (
            "未经法院、仲裁机构或调解组织受理",
            "法院、仲裁机构",
            "人民法院、仲裁机构、其他行政管理部门或调解组织",
        ),
    ],
)
def test_each_rejected_variant_is_reported_with_its_term(msgstr, variant, term):
    assert found(entry(msgstr, occurrences=[("web/views.py", "1")])) == [(variant, term)]


def test_allowed_words_and_official_terms_pass():
    fine = [
        "付款日期不能晚于今天。",
        "总计不超过 90 日。",
        "已提醒上级督办部门。",
        "转办至处理投诉部门",
        "请选择受理投诉部门。",
        "本企业承诺：该事项未被人民法院、仲裁机构、其他行政管理部门或调解组织受理。",
        "无法划型：所属行业不在《中小企业划型标准规定》中。",
    ]

    assert found(*(entry(text, occurrences=[("web/a.py", "1")]) for text in fine)) == []


def test_plural_translations_are_read():
    plural = entry("", msgstr_plural={0: "已逾期 %(days)s 天"})

    assert found(plural) == [("天", "日")]


def test_the_terminology_page_lists_every_term_and_rejected_variant():
    page = DOC.read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| ")]

    for rule in RULES:
        row = next((line for line in rows if line.startswith(f"| {rule.term} |")), None)
        assert row is not None, rule.term
        for word in re.split(r"、", rule.rejected):
            assert word in row, (rule.term, word)
