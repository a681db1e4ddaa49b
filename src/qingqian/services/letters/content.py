"""The words of a demand letter (催款函), in Chinese as it is sent, from the
figures stored with the letter: one content for the PDF and the DOCX, so that
the two say the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from qingqian.core.interest import percent
from qingqian.core.messages import chinese_number
from qingqian.core.money import format_yuan
from qingqian.services.letters.basis import REGULATIONS_2020_START, articles_for
from qingqian.services.models import DemandLetter

TITLE = "催款函"
REGULATIONS = "《保障中小企业款项支付条例》"
DECREES = {
    "2020": "（国务院令第728号，2020年9月1日起施行）",
    "2025": "（2025年修订，国务院令第802号，2025年6月1日起施行）",
}
PUBLIC_TERM = (
    "机关、事业单位从中小企业采购货物、工程、服务，应当自货物、工程、服务交付之日起30日内"
    "支付款项；合同另有约定的，付款期限最长不得超过60日。"
)
LARGE_TERM_2025 = (
    "大型企业从中小企业采购货物、工程、服务，应当自货物、工程、服务交付之日起60日内支付款项，"
    "法律、行政法规另有规定的除外；不得以第三方支付款项作为向中小企业支付款项的条件。"
)
LARGE_TERM_2020 = (
    "大型企业从中小企业采购货物、工程、服务，应当按照行业规范、交易习惯合理约定付款期限并及时支付"
    "款项；本函依据合同约定的付款期限。"
)
INTEREST_RULE = (
    "机关、事业单位和大型企业迟延支付中小企业款项的，应当支付逾期利息。双方对逾期利息的利率有"
    "约定的，约定利率不得低于合同签订时1年期贷款市场报价利率；未作约定的，按照每日利率万分之五支付。"
)
COMPLAINT_RULE = (
    "中小企业对机关、事业单位和大型企业拒绝或者迟延支付款项的，可以向省级以上人民政府负责中小企业"
    "促进工作综合管理的部门投诉。"
)
CREDIT_RULE = "拒绝或者迟延支付中小企业款项的情况，依法纳入信用记录，并可依法实施失信惩戒。"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(fen: int) -> str:
    return f"人民币{format_yuan(fen, 'zh-CN')}元".replace("¥", "")


@dataclass(frozen=True)
class LetterContent:
    sender: str
    sender_details: list[str]
    title: str
    addressee: str
    subject: str
    facts: list[str]
    amounts: list[tuple[str, str]]
    basis_heading: str
    basis: list[str]
    demand: str
    consequences: str
    signature: list[str]
    date: str


def letter_content(letter: DemandLetter) -> LetterContent:
    owner = letter.owner
    articles = articles_for(letter.contract_signed_on, letter.debtor_type)
    details = [f"统一社会信用代码：{owner.uscc}"]
    if owner.address:
        details.append(f"地址：{owner.address}")
    total = letter.outstanding_fen + letter.interest_fen
    return LetterContent(
        sender=owner.name,
        sender_details=details,
        title=TITLE,
        addressee=f"致：{letter.debtor_name}（统一社会信用代码：{letter.debtor_uscc}）",
        subject=f"事由：催告支付{_contract(letter)}项下逾期款项及逾期利息",
        facts=_facts(letter),
        amounts=_amounts(letter, total),
        basis_heading=f"依据{REGULATIONS}{DECREES[articles.version.year]}",
        basis=_basis(letter, articles),
        demand=(
            f"请贵单位于{chinese_date(letter.pay_by)}前向我司支付尚欠款项"
            f"{yuan(letter.outstanding_fen)}及逾期利息{yuan(letter.interest_fen)}，"
            f"合计{yuan(total)}（逾期利息计至{chinese_date(letter.interest_as_of)}，"
            "此后至实际付清之日止的利息另计）。"
        ),
        consequences=(
            f"贵单位逾期仍未支付的，我司将依据{REGULATIONS}第{chinese_number(articles.complaint)}条向中小企业"
            "主管部门投诉，并保留通过诉讼、仲裁等途径依法主张权利的权利；依据"
            f"{REGULATIONS}第{chinese_number(articles.credit)}条，贵单位拒绝或者迟延支付的情况可能被依法纳入"
            "信用记录，并承担失信惩戒等不利后果。"
        ),
        signature=[f"{owner.name}（盖章）", "法定代表人或授权代表（签字）："],
        date=chinese_date(letter.letter_date),
    )


def _contract(letter: DemandLetter) -> str:
    number = f"（合同编号：{letter.contract_number}）" if letter.contract_number else ""
    return f"《{letter.contract_title}》{number}"


def _facts(letter: DemandLetter) -> list[str]:
    paid = [(p.paid_on, p.amount_fen) for p in letter.payments.all()]
    counted = [(day, fen) for day, fen in paid if day <= letter.interest_as_of]
    paid_text = ""
    if counted:
        each = "；".join(f"{chinese_date(day)}支付{yuan(fen)}" for day, fen in counted)
        paid_text = f"其间贵单位已支付{yuan(sum(fen for _, fen in counted))}（{each}），"
    facts = [
        f"贵单位与我司于{chinese_date(letter.contract_signed_on)}签订{_contract(letter)}。"
        f"我司已依约履行合同义务，贵单位应于{chinese_date(letter.due_on)}前支付款项"
        f"{yuan(letter.principal_fen)}。{paid_text}截至{chinese_date(letter.interest_as_of)}，"
        f"贵单位尚欠{yuan(letter.outstanding_fen)}未付，已逾期{letter.days_overdue}日。"
    ]
    if letter.sme_notified_at_signing == "yes":
        facts.append("签订合同时，我司已告知贵单位我司为中小企业。")
    return facts


def received_fen(letter: DemandLetter) -> int:
    """The payments received up to the date interest is counted to."""
    return sum(p.amount_fen for p in letter.payments.all() if p.paid_on <= letter.interest_as_of)


def _amounts(letter: DemandLetter, total: int) -> list[tuple[str, str]]:
    return [
        ("合同约定应付款项", yuan(letter.principal_fen)),
        ("已收款项", yuan(received_fen(letter))),
        ("尚欠款项", yuan(letter.outstanding_fen)),
        ("约定付款日期", chinese_date(letter.due_on)),
        ("逾期日数", f"{letter.days_overdue}日（{chinese_date(letter.interest_as_of)}止）"),
        ("计息标准", rate_text(letter)),
        ("逾期利息", yuan(letter.interest_fen)),
        ("本息合计", yuan(total)),
    ]


def rate_text(letter: DemandLetter) -> str:
    if letter.basis_kind == "statutory":
        return "未约定利率，按每日万分之五（0.05%）计算"
    signed = chinese_date(letter.contract_signed_on)
    lpr = f"合同签订时（{signed}）1年期LPR {percent(letter.lpr_percent)}"
    if letter.basis_kind == "agreed_raised_to_lpr":
        return (
            f"约定年利率{percent(letter.agreed_rate_percent)}低于{lpr}，按{percent(letter.applied_annual_percent)}"
            "计算，日利率＝年利率÷365"
        )
    return f"约定年利率{percent(letter.applied_annual_percent)}（不低于{lpr}），日利率＝年利率÷365"


def _basis(letter: DemandLetter, articles) -> list[str]:
    if letter.debtor_type in ("agency", "institution"):
        term = f"第{chinese_number(articles.payment_term)}条：{PUBLIC_TERM}"
    elif articles.payment_term is not None:
        term = f"第{chinese_number(articles.payment_term)}条：{LARGE_TERM_2025}"
    else:
        term = LARGE_TERM_2020
    first_day = letter.due_on + timedelta(days=1)
    lines = [
        f"付款期限：{term}",
        f"逾期利息：第{chinese_number(articles.interest)}条：{INTEREST_RULE}本函自{chinese_date(first_day)}起"
        f"按{rate_text(letter)}，以每日尚欠本金计算逾期利息。",
        f"投诉：第{chinese_number(articles.complaint)}条：{COMPLAINT_RULE}",
        f"信用记录：第{chinese_number(articles.credit)}条：{CREDIT_RULE}",
    ]
    if letter.signed_before_regulations:
        lines.append(
            f"提示：本合同签订于{chinese_date(letter.contract_signed_on)}，早于{REGULATIONS}"
            f"施行之日（{chinese_date(REGULATIONS_2020_START)}）。《条例》不溯及既往，"
            "法院对此类合同能否适用上述逾期利息标准存在不同做法。"
        )
    return lines
