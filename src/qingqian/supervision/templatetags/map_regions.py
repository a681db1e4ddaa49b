"""{% load map_regions %} … {% not_applicable_codes %}: the province codes the
map of China draws as "not applicable" (no SME authority in the programme:
Taiwan, Hong Kong, Macao), from the one rule that decides it."""

from django import template

from qingqian.accounts.rules import NO_AUTHORITY_PROVINCES

register = template.Library()


@register.simple_tag
def not_applicable_codes() -> str:
    return " ".join(sorted(NO_AUTHORITY_PROVINCES))
