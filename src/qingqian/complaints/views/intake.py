"""Filing a complaint on the web: a new one (filed in one go, as a draft or a
submission), and the edits of a saved draft until it is submitted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qingqian.accounts.models import Role
from qingqian.complaints import evidence, selectors, services, validation
from qingqian.complaints.forms import (
    INTAKE_ALIASES,
    ComplaintForm,
    apply_service_error,
    initial_from_complaint,
)
from qingqian.complaints.models import Complaint, State
from qingqian.core.messages import industry_label
from qingqian.core.sizeclass import list_industries
from qingqian.parties import selectors as party_selectors
from qingqian.parties.models import Enterprise

BUTTONS = frozenset({"save", "submit"})  # the intake form's two submit buttons


def may_file(user) -> bool:
    """May open the complaint form: to file, or (an account not yet bound) to draft."""
    if user.role == Role.SME:
        return own_enterprise(user) is not None
    return user.role == Role.INTAKE


def own_enterprise(user) -> Enterprise | None:
    """The enterprise an SME account files for, or (not yet bound) drafts for."""
    return user.enterprise if user.enterprise_id else user.enterprise_claimed


@login_required
def complaint_new(request):
    if not may_file(request.user):
        raise PermissionDenied
    return _intake(request, complaint=None)


@login_required
def complaint_edit(request, pk):
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    if complaint.state != State.DRAFT:
        return redirect("complaint-detail", pk=complaint.pk)
    if complaint.created_by_id != request.user.pk or not may_file(request.user):
        raise PermissionDenied
    return _intake(request, complaint=complaint)


def _intake(request, complaint: Complaint | None):
    official = request.user.role == Role.INTAKE
    initial = initial_from_complaint(complaint) if complaint else {}
    posted = request.method == "POST"
    form = ComplaintForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        official=official,
        initial=initial,
        evidence_items=complaint.evidence.all() if complaint else (),
    )
    if complaint is not None and official:
        form.fields["complainant_uscc"].disabled = True  # a draft keeps its complainant
    if posted:
        form.is_valid()  # the fields that parse are kept even when others do not
        if BUTTONS & set(request.POST):
            submitting = "submit" in request.POST
            complaint = _save_intake(request.user, form, complaint, submitting=submitting)
            if not form.errors:
                _say_how_the_debtor_was_kept(request, form, complaint)
                return _after_intake(request, complaint, submitting)
        else:
            form.add_error(None, _("Choose “Save draft” or “Submit”."))
    return render(
        request,
        "complaints/complaint_form.html",
        _intake_context(request.user, form, complaint),
        status=400 if form.errors else 200,
    )


def _after_intake(request, complaint: Complaint, submitted: bool):
    if submitted:
        messages.success(
            request,
            _("Complaint submitted. Your tracking number is %(number)s.")
            % {"number": complaint.tracking_number},
        )
        return redirect(reverse("complaint-detail", args=[complaint.pk]) + "?submitted=1")
    messages.success(request, _("Draft saved. You can continue it later."))
    return redirect("complaint-edit", pk=complaint.pk)


def _say_how_the_debtor_was_kept(request, form: ComplaintForm, complaint: Complaint) -> None:
    if complaint.debtor_as_entered:
        messages.warning(
            request,
            _(
                "The debtor's particulars are kept with the draft but do not yet name an "
                "enterprise: complete them (credit code, full name, type, region) before "
                "submitting."
            ),
        )
    elif complaint.debtor and _registered_particulars_differ(form, complaint.debtor):
        messages.info(
            request,
            _(
                "The credit code %(uscc)s belongs to the registered enterprise “%(name)s”: "
                "the complaint names it with its registered particulars, not the ones typed in."
            )
            % {"uscc": complaint.debtor.uscc, "name": complaint.debtor.name},
        )


def _registered_particulars_differ(form: ComplaintForm, debtor: Enterprise) -> bool:
    return any(
        typed and typed.strip() != str(getattr(debtor, name))
        for name, typed in form.debtor_fields().items()
    )


def _save_intake(actor, form: ComplaintForm, complaint, *, submitting: bool):
    """The draft keeps every valid field and every file that passes the upload
    checks, whatever else is wrong, so nothing is typed or chosen twice; a
    submission then reports every problem at once, each on its field. Returns
    the draft (None when there is none: a complainant that cannot be named).
    A new complaint without problems is filed in one act (as through the API)."""
    files = [(upload.name, upload.read()) for upload in form.cleaned_data.get("evidence", [])]
    if complaint is None and submitting and not form.errors:
        try:
            return services.complaint_file(
                actor=actor,
                complainant=_complainant(actor, form),
                files=files,
                submit=True,
                **_fields(form),
            )
        except ValidationError:
            pass  # nothing was written: the draft below is kept and tells every problem
    try:
        complaint = _keep_draft(actor, form, complaint)
    except ValidationError as error:
        apply_service_error(form, error, INTAKE_ALIASES)
        return complaint
    _keep_files(actor, form, complaint, files)
    if not submitting:
        return complaint
    if form.errors:  # not submitted: its other problems are shown with these
        _add_unless_named(form, validation.submission_errors(complaint, on=services.today()))
        return complaint
    try:
        return services.complaint_submit(actor=actor, complaint=complaint)
    except ValidationError as error:
        apply_service_error(form, error, INTAKE_ALIASES)
        return complaint


def _keep_draft(actor, form: ComplaintForm, complaint) -> Complaint:
    if complaint is None:
        return services.complaint_file(
            actor=actor, complainant=_complainant(actor, form), submit=False, **_fields(form)
        )
    return services.complaint_update_draft(actor=actor, complaint=complaint, **_fields(form))


def _keep_files(actor, form: ComplaintForm, complaint: Complaint, files) -> None:
    removed = form.cleaned_data.get("remove_evidence")
    if removed:
        evidence.evidence_remove(actor=actor, complaint=complaint, pks=removed)
    _added, refused = evidence.evidence_add_each(actor=actor, complaint=complaint, files=files)
    if refused:
        form.add_error("evidence", refused)


def _add_unless_named(form: ComplaintForm, errors: dict[str, str]) -> None:
    """The submission's problems, but for fields whose own error says more."""
    unnamed = {
        name: message
        for name, message in errors.items()
        if INTAKE_ALIASES.get(name, name) not in form.errors
    }
    if unnamed:
        apply_service_error(form, ValidationError(unnamed), INTAKE_ALIASES)


def _fields(form: ComplaintForm) -> dict:
    """The complaint's fields, its debtor as the particulars typed (if any)."""
    fields = form.complaint_fields()
    fields["debtor"] = form.debtor_fields() if form.names_a_debtor() else None
    return fields


def _complainant(actor, form: ComplaintForm) -> Enterprise:
    if actor.role == Role.SME:
        return own_enterprise(actor)
    uscc = form.cleaned_data["complainant_uscc"]
    if not uscc:
        raise ValidationError({"complainant_uscc": _("Enter the complainant's credit code.")})
    found = _smes_in_scope(actor).filter(uscc=uscc).first()
    if found is None:
        raise ValidationError(
            {"complainant_uscc": _("No SME with this credit code is registered in your area.")}
        )
    return found


def _smes_in_scope(actor):
    return party_selectors.enterprise_list(actor=actor, type=Enterprise.Type.SME)


def _intake_context(user, form: ComplaintForm, complaint) -> dict:
    complainant = complaint.complainant if complaint else own_enterprise(user)
    return {
        "unbound": user.is_unbound_sme,
        "form": form,
        "complaint": complaint,
        "complainant": complainant if user.role == Role.SME else None,
        "industry": _industry_name(complainant),
        "smes": _smes_in_scope(user)[:300] if user.role == Role.INTAKE else [],
        "evidence_items": complaint.evidence.all() if complaint else [],
    }


def _industry_name(enterprise) -> str:
    if enterprise is None or not enterprise.industry:
        return ""
    names = {industry.id: industry_label(industry) for industry in list_industries()}
    return names.get(enterprise.industry, enterprise.industry)
