"""{% load regions %} … {{ code|region }}: a region code shown with its name
("广州市 440100"), or the bare code when the code names no known region."""

from django import template
from django.utils.html import format_html

from qingqian.core.region_selectors import region_name

register = template.Library()


@register.filter
def region(code: str) -> str:
    if not code:
        return "—"
    name = region_name(code)
    if name is None:
        return code
    return format_html("{} <code>{}</code>", name, code)
