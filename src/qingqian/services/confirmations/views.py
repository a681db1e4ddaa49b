"""The signed-in pages of receivable confirmation: the list (each person's own
scope, with a "breached" filter), the SME's new request, one request with the
act this person may take, and the printable request with its one-time link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingqian.core.forms import apply_validation_error
from qingqian.core.pdf import font_family_css, pdf_download, render_pdf
from qingqian.services.confirmations import selectors, services
from qingqian.services.confirmations.forms import (
    ANSWER_FIELDS,
    REQUEST_FIELDS,
    AnswerForm,
    RequestForm,
)
from qingqian.services.confirmations.links import link_token
from qingqian.services.confirmations.standing import may_request, standing
from qingqian.services.confirmations.transitions import (
    AWAITING,
    CONFIRMATION_TRANSITIONS,
    DEBTOR,
    SME,
)
from qingqian.services.models import ConfirmationRequest

S = ConfirmationRequest.State


def renamed(error: ValidationError, names: dict) -> ValidationError:
    """A service's error with its fields named as the form names them."""
    if not hasattr(error, "error_dict"):
        return error
    fields = {}
    for field, found in error.message_dict.items():
        fields.setdefault(names.get(field, field), []).extend(found)
    return ValidationError(fields)


@login_required
def confirmation_list_view(request):
    rows = selectors.confirmation_requests(actor=request.user)
    state = request.GET.get("state", "")
    if state in S.values:
        rows = rows.filter(state=state)
    breached = request.GET.get("breached") == "1"
    if breached:
        rows = rows.filter(breached=True)
    context = {
        "requests": rows[:200],
        "state": state,
        "states": S.choices,
        "breached": breached,
        "may_request": may_request(request.user),
    }
    return render(request, "services/confirmations/list.html", context)


@login_required
def confirmation_new_view(request):
    if not may_request(request.user):
        raise PermissionDenied
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = services.confirmation_request_send(
                actor=request.user,
                debtor=form.debtor(),
                contract_number=data["contract_number"],
                contract_signed_on=data["contract_signed_on"],
                due_on=data["due_on"],
                amount_fen=data["amount"],
                subject=data["subject"],
                note=data["note"],
            )
        except ValidationError as error:
            apply_validation_error(form, renamed(error, REQUEST_FIELDS))
        else:
            messages.success(request, _("The request is sent to the debtor."))
            return redirect("confirmations:detail", pk=sent.pk)
    status = 400 if form.errors else 200
    return render(request, "services/confirmations/new.html", {"form": form}, status=status)


@login_required
def confirmation_detail_view(request, pk):
    confirmation = selectors.confirmation_request_get(actor=request.user, pk=pk)
    return render(
        request, "services/confirmations/detail.html", _detail(request.user, confirmation)
    )


def _detail(actor, confirmation: ConfirmationRequest, answer_form=None) -> dict:
    who = standing(actor, confirmation)
    return {
        "confirmation": confirmation,
        "may_answer": who == DEBTOR and confirmation.state in AWAITING,
        "may_withdraw": who == SME
        and CONFIRMATION_TRANSITIONS.allowed(confirmation.state, "withdraw"),
        "may_print": who == SME and confirmation.state == S.REQUESTED,
        "answer_form": answer_form or AnswerForm(),
    }


@login_required
@require_POST
def confirmation_answer_view(request, pk):
    confirmation = selectors.confirmation_request_get(actor=request.user, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.confirmation_answer(
                actor=request.user,
                request=confirmation,
                confirmed_fen=form.cleaned_data["confirmed"],
                disputed_fen=form.cleaned_data["disputed"] or 0,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, renamed(error, ANSWER_FIELDS))
        else:
            messages.success(request, _("Your answer is recorded; the ledger shows it."))
            return redirect("confirmations:detail", pk=pk)
    context = _detail(request.user, confirmation, answer_form=form)
    return render(request, "services/confirmations/detail.html", context, status=400)


@login_required
@require_POST
def confirmation_withdraw_view(request, pk):
    confirmation = selectors.confirmation_request_get(actor=request.user, pk=pk)
    try:
        services.confirmation_request_withdraw(actor=request.user, request=confirmation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The request is withdrawn."))
    return redirect("confirmations:detail", pk=pk)


@login_required
def confirmation_request_pdf_view(request, pk):
    """The printable request, with the one-time link: the SME's, while it awaits."""
    confirmation = selectors.confirmation_request_get(actor=request.user, pk=pk)
    if standing(request.user, confirmation) != SME or confirmation.state != S.REQUESTED:
        raise Http404("The printable request is the SME's, while the request awaits its answer.")
    filename = f"confirmation-request-{confirmation.pk}.pdf"
    return pdf_download(lambda: render_request(confirmation), filename)


def render_request(confirmation: ConfirmationRequest) -> bytes:
    path = reverse("confirmations_public:answer", args=[link_token(confirmation)])
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "services/confirmations/request_pdf.html",
            {
                "confirmation": confirmation,
                "link": f"{settings.QINGQIAN_BASE_URL}{path}",
                "font_family": font_family_css(),
            },
        )
    return render_pdf(html)
