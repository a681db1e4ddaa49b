"""{% load money %} … {{ amount_fen|yuan }}: integer fen shown as yuan in the page's language."""

from django import template
from django.utils.translation import get_language

from qingqian.core.money import format_yuan

register = template.Library()


def money_locale() -> str:
    return "zh-CN" if (get_language() or "zh-hans").startswith("zh") else "en"


@register.filter
def yuan(fen) -> str:
    """Also the one formatter views use: `from qingqian.web.templatetags.money import yuan`."""
    return "—" if fen is None or fen == "" else format_yuan(int(fen), money_locale())
