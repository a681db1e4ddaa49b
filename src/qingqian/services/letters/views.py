"""The SME's pages of demand letters: its letters, the form (prefilled from the
interest calculator's query string), one letter with its figures, its PDF and
DOCX, and the attachment to a complaint. Reads through `selectors` (another
enterprise's letter is a 404), writes through `services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.downloads import file_response
from qingqian.core.forms import apply_validation_error
from qingqian.core.messages import deadline_rule_label, yuan
from qingqian.core.pdf import PdfUnavailable, pdf_download
from qingqian.services.letters import content, documents, forms, selectors, services


def _require(request) -> None:
    """An SME user bound to its enterprise: letters are written in its name."""
    if not has_perm(request.user, Perm.DEMAND_LETTER_WRITE) or request.user.enterprise_id is None:
        raise PermissionDenied


@login_required
def letter_list(request):
    _require(request)
    letters = selectors.demand_letter_list(actor=request.user)
    return render(request, "services/letters/list.html", {"letters": letters[:500]})


@login_required
def letter_new(request):
    _require(request)
    if request.method != "POST":
        form = forms.DemandLetterForm(initial=forms.initial_from_query(request.GET))
        return render(request, "services/letters/new.html", {"form": form})
    form = forms.DemandLetterForm(request.POST)
    if form.is_valid():
        try:
            letter = services.demand_letter_create(
                actor=request.user, facts=services.LetterFacts(**form.cleaned_data)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The demand letter is saved."))
            return redirect("letters:detail", pk=letter.pk)
    return render(request, "services/letters/new.html", {"form": form}, status=400)


def _detail(request, letter, form=None, status=200):
    context = {
        "letter": letter,
        "figures": _figures(letter),
        "basis": content.letter_content(letter),
        "attach_form": form or forms.AttachForm(actor=request.user, letter=letter),
    }
    return render(request, "services/letters/detail.html", context, status=status)


def _figures(letter) -> list[tuple[str, str]]:
    return [
        (_("amount owed"), yuan(letter.principal_fen)),
        (_("payments received"), yuan(content.received_fen(letter))),
        (_("outstanding"), yuan(letter.outstanding_fen)),
        (_("due date"), letter.due_on.isoformat()),
        (_("interest counted to"), letter.interest_as_of.isoformat()),
        (_("days overdue"), str(letter.days_overdue)),
        (_("overdue interest"), yuan(letter.interest_fen)),
        (_("total demanded"), yuan(letter.outstanding_fen + letter.interest_fen)),
        (_("deadline to pay"), letter.pay_by.isoformat()),
        *_deadline_counted(letter),
    ]


def _deadline_counted(letter) -> list[tuple[str, str]]:
    """How the deadline was counted, when the platform counted it (the SME gave none)."""
    if not letter.pay_by_rule:
        return []
    how = deadline_rule_label(
        letter.letter_date, letter.pay_by, working_days=services.DEFAULT_PAY_WORKING_DAYS
    )
    if letter.pay_by_provisional:
        how += " " + _("provisional: the working-day schedule of that year is not entered yet")
    return [(_("how the deadline was counted"), how)]


@login_required
def letter_detail(request, pk):
    _require(request)
    return _detail(request, selectors.demand_letter_get(actor=request.user, pk=pk))


@login_required
def letter_pdf(request, pk):
    letter = selectors.demand_letter_get(actor=request.user, pk=pk)
    filename = documents.letter_filename(letter, "pdf")
    return pdf_download(lambda: documents.render_letter_pdf(letter), filename)


@login_required
def letter_docx(request, pk):
    letter = selectors.demand_letter_get(actor=request.user, pk=pk)
    return file_response(
        documents.render_letter_docx(letter),
        filename=documents.letter_filename(letter, "docx"),
        content_type=documents.DOCX,
    )


@require_POST
@login_required
def letter_attach(request, pk):
    _require(request)
    letter = selectors.demand_letter_get(actor=request.user, pk=pk)
    form = forms.AttachForm(request.POST, actor=request.user, letter=letter)
    if form.is_valid():
        complaint = form.cleaned_data["complaint"]
        try:
            services.demand_letter_attach_to_complaint(
                actor=request.user, letter=letter, complaint=complaint
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PdfUnavailable as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The letter is attached to complaint %(complaint)s as evidence.")
                % {"complaint": forms.complaint_label(complaint)},
            )
            return redirect("letters:detail", pk=letter.pk)
    return _detail(request, letter, form, status=400)
