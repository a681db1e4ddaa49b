"""The routing table's administration: which authority accepts which complaints."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qingqian.complaints import routing
from qingqian.complaints.forms import RoutingRuleForm
from qingqian.core.forms import apply_validation_error


@login_required
def routing_rules(request):
    """Which authority accepts which complaints: a table, edited here, not code.
    A provincial administrator sees and edits its own province's rules only."""
    rules = routing.routing_rules_visible(actor=request.user)
    form = RoutingRuleForm(actor=request.user)
    if request.method == "POST" and request.POST.get("action") == "delete":
        rule = get_object_or_404(rules, pk=request.POST.get("rule"))
        routing.routing_rule_delete(actor=request.user, rule=rule)
        messages.success(request, _("Rule removed."))
        return redirect("routing-rules")
    if request.method == "POST":
        form = RoutingRuleForm(request.POST, actor=request.user)
        if form.is_valid():
            try:
                routing.routing_rule_set(actor=request.user, **form.service_kwargs())
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Rule saved."))
                return redirect("routing-rules")
    return render(request, "complaints/routing_rules.html", {"rules": rules, "form": form})
