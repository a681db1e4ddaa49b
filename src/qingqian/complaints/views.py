"""HTML pages of complaints: list, intake (drafts and submission), detail,
workflow actions and evidence. Reads go through `selectors` (out of scope is
a 404), writes through `services` and `evidence`; nothing else writes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qingqian.accounts.models import Role
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.complaints import deadlines, evidence, routing, selectors, services, validation
from qingqian.complaints.errors import ComplaintConflict
from qingqian.complaints.forms import (
    ACTION_FORMS,
    INTAKE_ALIASES,
    ComplaintForm,
    EvidenceForm,
    RoutingRuleForm,
    apply_service_error,
    initial_from_complaint,
)
from qingqian.complaints.models import Complaint, Deadline, RoutingRule, State
from qingqian.complaints.transitions import TRANSITIONS
from qingqian.core import evidence_files
from qingqian.core.exports import csv_response
from qingqian.core.forms import apply_validation_error
from qingqian.core.messages import industry_label, size_reason_label, yuan
from qingqian.core.money import to_yuan_str
from qingqian.core.selectors import load_calendar
from qingqian.core.sizeclass import list_industries
from qingqian.ledger import selectors as ledger_selectors
from qingqian.parties import selectors as party_selectors
from qingqian.parties import services as party_services
from qingqian.parties.models import Enterprise

PAGE_SIZE = 50
FILING_ROLES = frozenset({Role.SME, Role.INTAKE})
NOTICE_STATES = frozenset({State.RESOLVED, State.CLOSED})
BUTTONS = frozenset({"save", "submit"})  # the intake form's two submit buttons

ACTION_LABELS = {
    "create-draft": gettext_lazy("Draft created"),
    "submit": gettext_lazy("Submit"),
    "request-material": gettext_lazy("Request more material"),
    "resubmit": gettext_lazy("Resubmit with the material"),
    "accept": gettext_lazy("Accept"),
    "not-accept": gettext_lazy("Do not accept"),
    "transfer": gettext_lazy("Transfer to a handling department"),
    "return": gettext_lazy("Return: not our department"),
    "debtor-response": gettext_lazy("Record the debtor's response"),
    "extend": gettext_lazy("Extend the handling period"),
    "supervision-order": gettext_lazy("Issue a supervision order"),
    "submit-result": gettext_lazy("Submit the result"),
    "approve-result": gettext_lazy("Approve the result"),
    "send-back": gettext_lazy("Send back with comments"),
    "feedback": gettext_lazy("Give feedback"),
    "reopen": gettext_lazy("Reopen on new facts"),
    "withdraw": gettext_lazy("Withdraw the complaint"),
    "terminate": gettext_lazy("Terminate"),
}

SIZE_LABELS = {
    "large": gettext_lazy("large enterprise (not an SME)"),
    "medium": gettext_lazy("medium-sized enterprise"),
    "small": gettext_lazy("small enterprise"),
    "micro": gettext_lazy("micro enterprise"),
}

EXPORT_COLUMNS = [
    ("tracking_number", gettext_lazy("tracking number")),
    ("state", gettext_lazy("state")),
    ("complainant", gettext_lazy("complainant")),
    ("debtor", gettext_lazy("debtor")),
    ("contract_number", gettext_lazy("contract number")),
    ("amount_owed", gettext_lazy("amount owed (yuan)")),
    ("amount_paid", gettext_lazy("amount already paid (yuan)")),
    ("submitted_on", gettext_lazy("submitted on")),
    ("accepting_authority", gettext_lazy("accepting authority")),
    ("handling_department", gettext_lazy("handling department")),
]


# --- list and export -------------------------------------------------------------


@login_required
def complaint_list(request):
    complaints = _filtered_complaints(request)
    if request.GET.get("format") == "csv":
        return csv_response("complaints.csv", ExportRows(complaints), EXPORT_COLUMNS)
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    for complaint in page:
        complaint.outstanding = _outstanding(complaint)
    drafts = selectors.complaint_list(actor=request.user, state=State.DRAFT).filter(
        created_by=request.user
    )
    return render(
        request,
        "complaints/complaint_list.html",
        {
            "page": page,
            "drafts": drafts,
            "states": [c for c in State.choices if c[0] != State.DRAFT],
            "may_file": may_file(request.user),
        },
    )


def _filtered_complaints(request):
    state = request.GET.get("state", "")
    complaints = selectors.complaint_list(
        actor=request.user,
        state=state if state in State.values else "",
        overdue=request.GET.get("overdue") == "1",
        search=request.GET.get("q", "").strip(),
    )
    if state != State.DRAFT:
        complaints = complaints.exclude(state=State.DRAFT)
    return complaints


def _outstanding(complaint) -> str:
    if complaint.amount_owed_fen is None:
        return "—"
    return yuan(complaint.amount_owed_fen - (complaint.amount_paid_fen or 0))


class ExportRows:
    """The scoped queryset as flat rows for `csv_response` (amounts in plain yuan)."""

    def __init__(self, complaints):
        self.complaints = complaints

    def iterator(self, chunk_size=2000):
        for complaint in self.complaints.iterator(chunk_size=chunk_size):
            yield _export_row(complaint)


class _Row:
    def __init__(self, **values):
        self.__dict__.update(values)


def _export_row(complaint: Complaint) -> _Row:
    owed = complaint.amount_owed_fen
    return _Row(
        tracking_number=complaint.tracking_number or "",
        state=complaint.get_state_display(),
        complainant=complaint.complainant.name,
        debtor=complaint.debtor.name if complaint.debtor else "",
        contract_number=complaint.contract_number,
        amount_owed=to_yuan_str(owed) if owed is not None else "",
        amount_paid=to_yuan_str(complaint.amount_paid_fen or 0),
        submitted_on=complaint.submitted_on or "",
        accepting_authority=complaint.accepting_authority or "",
        handling_department=complaint.handling_department or "",
    )


# --- intake ----------------------------------------------------------------------


def may_file(user) -> bool:
    if user.role == Role.SME:
        return user.enterprise_id is not None
    return user.role == Role.INTAKE


class Refused(Exception):
    """A request refused after writes began: the transaction rolls back."""


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
    form = ComplaintForm(
        request.POST or None, request.FILES or None, official=official, initial=initial
    )
    if complaint is not None and official:
        form.fields["complainant_uscc"].disabled = True  # a draft keeps its complainant
    if request.method == "POST" and form.is_valid():
        if BUTTONS & set(request.POST):
            submitting = "submit" in request.POST
            saved = _save_intake(request.user, form, complaint, submitting=submitting)
            if saved is not None:
                _say_how_the_debtor_was_kept(request, form, saved)
                return _after_intake(request, saved, submitting)
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
    """A new complaint is filed in one go (the act the API's create is too); a
    saved draft is updated, given its files and, when asked, submitted. Any
    refusal leaves the database as it was, with each problem on its field."""
    files = [(upload.name, upload.read()) for upload in form.cleaned_data["evidence"]]
    try:
        if complaint is None:
            return _file_new(actor, form, files, submitting=submitting)
        return _continue_draft(actor, form, complaint, files, submitting=submitting)
    except ValidationError as error:
        apply_service_error(form, error, INTAKE_ALIASES)
        return None


@transaction.atomic
def _file_new(actor, form: ComplaintForm, files, *, submitting: bool) -> Complaint:
    complainant = _complainant(actor, form)
    fields = _fields(actor, form, complainant, submitting)
    return services.complaint_file(
        actor=actor, complainant=complainant, files=files, submit=submitting, **fields
    )


@transaction.atomic
def _continue_draft(actor, form: ComplaintForm, complaint, files, *, submitting: bool):
    fields = _fields(actor, form, complaint.complainant, submitting)
    complaint = services.complaint_update_draft(actor=actor, complaint=complaint, **fields)
    added = evidence.evidence_add_all(actor=actor, complaint=complaint, files=files)
    if not submitting:
        return complaint
    try:
        return services.complaint_submit(actor=actor, complaint=complaint)
    except ValidationError:
        evidence.remove_stored(added)
        raise


def _fields(actor, form: ComplaintForm, complainant, submitting: bool) -> dict:
    fields = form.complaint_fields()
    fields["debtor"], fields["debtor_as_entered"] = _debtor(actor, form, complainant, submitting)
    return fields


def _complainant(actor, form: ComplaintForm) -> Enterprise:
    if actor.role == Role.SME:
        return actor.enterprise
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


def _debtor(actor, form: ComplaintForm, complainant: Enterprise, submitting: bool):
    """The debtor the form names, and what a draft keeps of particulars that do
    not name one yet (the SME may not have the credit code at hand): submitting
    needs a debtor, saving a draft does not."""
    if not form.names_a_debtor():
        return None, {}
    fields = form.debtor_fields()
    try:
        if fields["uscc"] == complainant.uscc:
            raise ValidationError(
                {"debtor_uscc": _("The debtor cannot be the complainant itself.")}
            )
        return party_services.enterprise_find_or_register_debtor(actor=actor, **fields), {}
    except ValidationError:
        if submitting:
            raise
        return None, {name: value for name, value in fields.items() if value}


def _intake_context(user, form: ComplaintForm, complaint) -> dict:
    complainant = complaint.complainant if complaint else user.enterprise
    return {
        "form": form,
        "complaint": complaint,
        "complainant": complainant if user.role == Role.SME else None,
        "industry": _industry_name(complainant),
        "smes": _smes_in_scope(user)[:300] if user.role == Role.INTAKE else [],
        "has_files_error": bool(form.errors) and "evidence" in form.files,
        "evidence_items": complaint.evidence.all() if complaint else [],
    }


def _industry_name(enterprise) -> str:
    if enterprise is None or not enterprise.industry:
        return ""
    names = {industry.id: industry_label(industry) for industry in list_industries()}
    return names.get(enterprise.industry, enterprise.industry)


# --- detail ----------------------------------------------------------------------


@login_required
def complaint_detail(request, pk):
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    return render(
        request, "complaints/complaint_detail.html", _detail_context(request.user, complaint)
    )


def _detail_context(user, complaint: Complaint, bound: dict | None = None) -> dict:
    bound = bound or {}
    deadline_rows = _deadline_rows(complaint, timezone.localdate())
    return {
        "complaint": complaint,
        "amounts": _amounts(complaint),
        "shows_contact": selectors.shows_complainant_contact(user),
        "shows_internal": selectors.history_visibility(user).internal_notes,
        "shows_size_warning": complaint.size_warning and user.is_official,
        "similar": _similar(user, complaint),
        "deadlines": deadline_rows,
        "has_provisional": any(row["deadline"].provisional for row in deadline_rows),
        "size_label": SIZE_LABELS.get(complaint.size_class, complaint.size_class),
        "size_reason": size_reason_label(complaint.size_basis) or complaint.size_reason,
        "history": _history_rows(user, complaint),
        "evidence_items": complaint.evidence.all(),
        "evidence_form": bound.get("evidence") or EvidenceForm(),
        "may_add_evidence": evidence.may_add_evidence(user, complaint),
        "actions": _action_forms(user, complaint, bound),
        "may_edit": complaint.state == State.DRAFT and complaint.created_by_id == user.pk,
        "shows_notice": complaint.state in NOTICE_STATES,
        "ledger_item": ledger_selectors.item_for_complaint(actor=user, complaint=complaint),
    }


def _amounts(complaint: Complaint) -> dict:
    owed, paid = complaint.amount_owed_fen, complaint.amount_paid_fen or 0
    return {
        "owed": yuan(owed),
        "paid": yuan(paid),
        "outstanding": yuan(owed - paid) if owed is not None else "—",
    }


def _similar(user, complaint: Complaint):
    if user.role != Role.INTAKE or complaint.debtor_id is None:
        return []
    visible = selectors.complaint_list(actor=user).values("pk")
    return validation.similar_open_complaints(complaint).filter(pk__in=visible)


def _deadline_rows(complaint: Complaint, today) -> list[dict]:
    calendar = load_calendar()
    rows = []
    for deadline in complaint.deadlines.all():
        running = deadline.status == Deadline.Status.OPEN
        left = deadlines.working_days_left(deadline, today, calendar) if running else None
        rows.append(
            {
                "deadline": deadline,
                "rule": deadlines.rule_label(deadline),
                "days_left": left,
                "days_overdue": -left if left is not None and left < 0 else None,
            }
        )
    return rows


def _history_rows(user, complaint: Complaint) -> list[dict]:
    visibility = selectors.history_visibility(user)
    rows = []
    for event in selectors.complaint_history(actor=user, complaint=complaint):
        rows.append(
            {
                "event": event,
                "label": ACTION_LABELS.get(event.action, event.action),
                "actor": _actor_label(user, event.actor),
                "from_state": _state_label(event.from_state),
                "to_state": _state_label(event.to_state),
                "facts": _event_facts(event.details),
                "internal_note": event.internal_note if visibility.internal_notes else "",
            }
        )
    return rows


def _actor_label(viewer, actor) -> str:
    """Officials see names; the parties see roles and the departments involved."""
    if actor is None:
        return _("the platform")
    place = actor.organisation or actor.enterprise or ""
    name = selectors.actor_name_for(viewer, actor)
    if name:
        return f"{name} · {place}"
    if actor.is_official:
        return f"{place}"
    return str(actor.get_role_display())


def _state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


def _event_facts(details: dict) -> list[tuple[str, str]]:
    facts = []
    labels = {
        "tracking_number": _("tracking number"),
        "department_name": _("handling department"),
        "returned_from": _("returned by"),
        "suggested_department": _("suggested department"),
        "approved_by": _("approved by"),
        "new_due": _("new due date"),
        "due_on": _("order due on"),
    }
    for key, label in labels.items():
        if details.get(key):
            facts.append((label, str(details[key])))
    for key, label in (("confirmed_fen", _("confirmed")), ("disputed_fen", _("disputed"))):
        if isinstance(details.get(key), int):
            facts.append((label, yuan(details[key])))
    if "satisfied" in details:
        answer = _("satisfied") if details["satisfied"] else _("not satisfied")
        facts.append((_("feedback"), answer))
    return facts


def _action_forms(user, complaint: Complaint, bound: dict) -> list[dict]:
    """One small form per action this person may take now (submit is the intake form's)."""
    actions = []
    for action, transition in TRANSITIONS.items():
        if action == "submit" or complaint.state not in transition.sources:
            continue
        if not services.may_act(user, complaint, action):
            continue
        form = bound.get(action) or ACTION_FORMS[action](
            complaint=complaint, initial={"version": complaint.version}, prefix=action
        )
        actions.append({"action": action, "label": ACTION_LABELS[action], "form": form})
    return actions


# --- actions ---------------------------------------------------------------------


@require_POST
@login_required
def complaint_act(request, pk, action):
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    if action not in services.ACTIONS or action == "submit":
        raise Http404
    form = ACTION_FORMS[action](request.POST, complaint=complaint, prefix=action)
    if form.is_valid():
        try:
            services.ACTIONS[action](
                actor=request.user,
                complaint=complaint,
                version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except ComplaintConflict as conflict:
            return _conflict(request, pk, action, form, conflict)
        except ValidationError as error:
            apply_service_error(form, error, form.aliases)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
            return redirect("complaint-detail", pk=complaint.pk)
    context = _detail_context(request.user, complaint, bound={action: form})
    context["open_action"] = action
    return render(request, "complaints/complaint_detail.html", context, status=400)


def _conflict(request, pk, action: str, form, conflict: ComplaintConflict):
    """Someone acted first: the page as it is now, the refusal, and what this
    person typed, which is not lost: in the form again (on the current version)
    if the action is still open to them, and quoted in the refusal in any case."""
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    data = request.POST.copy()
    data[form.add_prefix("version")] = complaint.version
    again = ACTION_FORMS[action](data, complaint=complaint, prefix=action)
    context = _detail_context(request.user, complaint, bound={action: again})
    context["open_action"] = action
    context["conflict"] = {"message": str(conflict), "typed": _typed_text(form)}
    return render(request, "complaints/complaint_detail.html", context, status=409)


def _typed_text(form) -> list[str]:
    return [
        value
        for name, value in form.cleaned_data.items()
        if isinstance(form.fields[name].widget, forms.Textarea) and value.strip()
    ]


# --- evidence --------------------------------------------------------------------


@require_POST
@login_required
def complaint_evidence_add(request, pk):
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    if not evidence.may_add_evidence(request.user, complaint):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        files = [(upload.name, upload.read()) for upload in form.cleaned_data["evidence"]]
        try:
            evidence.evidence_add_all(actor=request.user, complaint=complaint, files=files)
        except ValidationError as error:
            apply_service_error(form, error, INTAKE_ALIASES)
        else:
            messages.success(request, _("Evidence added."))
            return redirect("complaint-detail", pk=complaint.pk)
    context = _detail_context(request.user, complaint, bound={"evidence": form})
    return render(request, "complaints/complaint_detail.html", context, status=400)


@login_required
def complaint_evidence(request, pk, eid):
    """An evidence file, only for those who may open the complaint."""
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    return evidence_files.evidence_response(get_object_or_404(complaint.evidence, pk=eid))


# --- internal notes --------------------------------------------------------------


@require_POST
@login_required
def complaint_note(request, pk):
    """Officials add an internal note (never shown to the SME or the debtor)."""
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    try:
        services.complaint_add_internal_note(
            actor=request.user, complaint=complaint, text=request.POST.get("text", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Internal note added."))
    return redirect("complaint-detail", pk=complaint.pk)


# --- the routing table (administrators) ---------------------------------------------


@login_required
def routing_rules(request):
    """Which authority accepts which complaints: a table, edited here, not code."""
    if not has_perm(request.user, Perm.REFERENCE_EDIT):
        raise PermissionDenied
    form = RoutingRuleForm()
    if request.method == "POST" and request.POST.get("action") == "delete":
        rule = get_object_or_404(RoutingRule, pk=request.POST.get("rule"))
        routing.routing_rule_delete(actor=request.user, rule=rule)
        messages.success(request, _("Rule removed."))
        return redirect("routing-rules")
    if request.method == "POST":
        form = RoutingRuleForm(request.POST)
        if form.is_valid():
            try:
                routing.routing_rule_set(actor=request.user, **form.service_kwargs())
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Rule saved."))
                return redirect("routing-rules")
    rules = RoutingRule.objects.select_related("authority")
    return render(request, "complaints/routing_rules.html", {"rules": rules, "form": form})
