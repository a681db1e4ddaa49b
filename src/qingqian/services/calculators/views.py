"""The public calculators (no sign-in; they work without JavaScript).

A calculator is a GET form: its address with the parameters is the answer,
so it can be bookmarked and shared, and the API takes the same parameters.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.messages import (
    deadline_rule_label,
    interest_basis_label,
    interest_note_label,
    size_reason_label,
    yuan,
)
from qingqian.parties.models import Size
from qingqian.services.calculators import answers, forms, labels

CALCULATORS = {
    "interest": (_("Overdue interest"), forms.InterestForm, answers.interest_answer),
    "deadline": (_("Working-day deadline"), forms.DeadlineForm, answers.deadline_answer),
    "size": (_("Size self-test"), forms.SizeForm, answers.size_answer),
    "payment_term": (_("Payment term"), forms.PaymentTermForm, answers.payment_term_answer),
}


def tools_home(request):
    return render(request, "services/calculators/home.html")


def calculator_view(request, kind: str):
    title, form_class, answer = CALCULATORS[kind]
    form = form_class(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = answer(answers.query_params(request.GET))
        except answers.Refused as refusal:
            form.refuse(refusal.errors)
    shown = PRESENTERS[kind](result) if result else None
    context = {
        "form": form,
        "answer": result,
        "shown": shown,
        "kind": kind,
        "title": title,
        "may_write_letter": has_perm(request.user, Perm.DEMAND_LETTER_WRITE),
    }
    return render(request, f"services/calculators/{kind}.html", context, status=_status(form))


def _interest(answer) -> dict:
    result = answer.result
    return {
        "total": yuan(result.total_fen),
        "basis": interest_basis_label(result.basis, answer.query.signed_on),
        "notes": [interest_note_label(note) for note in result.notes],
        "periods": [
            {"period": p, "principal": yuan(p.principal_fen), "interest": yuan(p.interest_fen)}
            for p in result.periods
        ],
    }


def _deadline(answer) -> dict:
    query, result = answer.query, answer.result
    rule = deadline_rule_label(
        query.start, result.date, working_days=query.working_days, days=query.days
    )
    return {"date": result.date, "rule": rule, "missing_years": result.missing_years}


def _size(answer) -> dict:
    size = answer.result
    basis = {"standard": size.standard, "industry": size.industry, "steps": answer.data["steps"]}
    return {"size": Size(size.size).label, "reason": size_reason_label(basis)}


def _payment_term(answer) -> dict:
    term = answer.result
    return {
        "start_kind": labels.START_KINDS[term.start_kind],
        "articles": [labels.article_label(article) for article in term.articles],
        "notes": [labels.TERM_NOTES[note] for note in term.notes],
        "buyer": labels.BUYER_TYPES[answer.query.buyer_type],
    }


PRESENTERS = {
    "interest": _interest,
    "deadline": _deadline,
    "size": _size,
    "payment_term": _payment_term,
}


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200
