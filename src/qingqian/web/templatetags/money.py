"""{% load money %} … {{ amount_fen|yuan }}: integer fen shown as yuan in the page's language
(the same formatter views and services use: `qingqian.core.messages.yuan`)."""

from django import template

from qingqian.core.messages import yuan

register = template.Library()
register.filter("yuan", yuan)
