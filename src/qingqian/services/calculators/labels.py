"""The calculators' answers and refusals in the reader's language.

`core.calculators` and `core.payment_term` speak English to the CLI and give
codes; these tables word the same codes for the pages and the API.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from qingqian.core.form_fields import MONEY_MESSAGES
from qingqian.core.messages import chinese_number

FIELDS = {
    "principal": gettext_lazy("amount owed (yuan)"),
    "due": gettext_lazy("due date"),
    "end": gettext_lazy("interest counted to"),
    "agreed_rate": gettext_lazy("agreed annual rate (%)"),
    "signed": gettext_lazy("contract signing date"),
    "payment": gettext_lazy("payments received"),
    "from_regulations_start": gettext_lazy("accrue from 2020-09-01 at the earliest"),
    "start": gettext_lazy("start date"),
    "working_days": gettext_lazy("working days"),
    "days": gettext_lazy("calendar days"),
    "provisional": gettext_lazy("count a year with no schedule provisionally"),
    "industry": gettext_lazy("industry"),
    "staff": gettext_lazy("staff (persons)"),
    "revenue": gettext_lazy("revenue (10,000 yuan)"),
    "assets": gettext_lazy("total assets (10,000 yuan)"),
    "date": gettext_lazy("as of"),
    "buyer_type": gettext_lazy("buyer"),
    "delivered": gettext_lazy("delivery date"),
    "accepted": gettext_lazy("inspection or acceptance passed on"),
    "acceptance_ends": gettext_lazy("end of the agreed acceptance period"),
    "settled": gettext_lazy("settlement amount confirmed on"),
    "agreed_days": gettext_lazy("agreed payment term (days)"),
    "third_party": gettext_lazy("payment depends on a third party paying"),
}

INPUT_ERRORS = {
    "required": gettext_lazy("This is required."),
    "date": gettext_lazy("Enter a date like 2026-10-01."),
    "count": gettext_lazy("Enter a whole number of days, 0 or more."),
    "flag": gettext_lazy("Answer yes or no."),
    "number": gettext_lazy("Enter a plain number, for example 800.5."),
    "whole": gettext_lazy("Enter a whole number."),
    "rate": gettext_lazy("Enter the annual rate in percent, for example 4.35."),
    "payment": gettext_lazy(
        "Write each payment as date:amount, one per line, for example 2025-04-10:4000.00."
    ),
    "signed_needed": gettext_lazy(
        "An agreed rate needs the contract signing date: the rate may not be below the "
        "one-year LPR in force on that date."
    ),
    "one_period": gettext_lazy("Give either a number of working days or of calendar days."),
    "choice": gettext_lazy("Choose one of the options."),
    "buyer_type": gettext_lazy("Choose one of the options."),
    "agreed_days": gettext_lazy("An agreed term is at least 1 day."),
    "start_missing": gettext_lazy(
        "Give the delivery date, or the acceptance or settlement date the term runs from."
    ),
    "before_delivery": gettext_lazy("This date is before the delivery date."),
}


def input_error_text(error) -> str:
    """A `calculators.InputError` or `payment_term.PaymentTermError`, without the field name."""
    if error.code == "money":
        return str(MONEY_MESSAGES.get(error.values.get("money_code"), INPUT_ERRORS["payment"]))
    return str(INPUT_ERRORS.get(error.code, error.message))


BUYER_TYPES = {
    "agency": gettext_lazy("government agency"),
    "institution": gettext_lazy("public institution"),
    "large": gettext_lazy("large enterprise"),
}

START_KINDS = {
    "delivery": gettext_lazy("delivery of the goods, works or services"),
    "acceptance": gettext_lazy("passing inspection or acceptance"),
    "acceptance_period_end": gettext_lazy(
        "the end of the agreed acceptance period (the buyer delayed acceptance)"
    ),
    "settlement": gettext_lazy("both parties confirming the settlement amount"),
}

TERM_NOTES = {
    "signed_before_regulations": gettext_lazy(
        "The contract was signed before the Regulations took effect on 2020-09-01: they are "
        "not retroactive, and the date shown is what the 2020 text would give."
    ),
    "large_2020_no_number": gettext_lazy(
        "For a large enterprise the 2020 text sets no number of days: the term must be agreed "
        "reasonably by industry practice and paid on time. With no agreed term, the SME may "
        "ask for payment at any time, giving reasonable time (Civil Code Art. 511)."
    ),
    "large_agreed_reasonable": gettext_lazy(
        "A large enterprise's agreed term stands only if it is reasonable by industry norms "
        "and trade practice."
    ),
    "large_agreed_longer_than_default": gettext_lazy(
        "The agreed term is longer than the 60 days that apply without agreement: an SME "
        "authority or a court may find it unreasonable."
    ),
    "agreed_over_max": gettext_lazy(
        "The agreed term is longer than the 60 days the Regulations allow: the latest lawful "
        "date is 60 days after the start."
    ),
    "third_party_condition_2025": gettext_lazy(
        "Making payment depend on a third party paying is forbidden (2025 Art. 9) and does not "
        "move the due date."
    ),
    "third_party_condition": gettext_lazy(
        "A clause making payment depend on a third party paying does not move the due date; "
        "the Supreme People's Court holds such clauses void against SMEs "
        "(法释〔2024〕11号, from 2024-08-27)."
    ),
    "acceptance_delayed": gettext_lazy(
        "Acceptance passed after the agreed period ended: the term runs from the end of that "
        "period (2020 Art. 9 / 2025 Art. 10)."
    ),
}


def article_label(article) -> str:
    """`2025 Art. 9` in the reader's language; Chinese writes the number in words (第九条)."""
    in_chinese = (get_language() or "zh-hans").startswith("zh")
    number = chinese_number(article.number) if in_chinese else article.number
    return _("Regulations (%(version)s) Art. %(number)s") % {
        "version": article.version,
        "number": number,
    }
