"""User-facing, translated messages for the stable error codes of the pure
rule modules (which stay free of Django and speak English to the CLI)."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qingqian.core.uscc import UsccResult

USCC_MESSAGES = {
    "empty": _("Enter the unified social credit code."),
    "wrong_length": _("A unified social credit code has exactly 18 characters."),
    "forbidden_letter": _("The letters I, O, Z, S and V never appear in a credit code."),
    "invalid_character": _("The code contains a character that credit codes never use."),
    "region_not_numeric": _("Characters 3 to 8 must be the 6-digit region code."),
    "unknown_province": _("Characters 3 and 4 do not name a known province."),
    "check_digit": _("The last character (check digit) does not match: please check the code."),
    "org_check_digit": _(
        "The organisation code inside (characters 9 to 17) fails its check digit."
    ),
}


def uscc_error_message(result: UsccResult) -> str:
    return str(USCC_MESSAGES.get(result.reason_code, result.reason))


def industry_label(industry) -> str:
    """The industry's name in the current language."""
    return industry.zh if (get_language() or "zh-hans").startswith("zh") else industry.en
