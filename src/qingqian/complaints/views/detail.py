"""The complaint pages that read: the list and its CSV export, the detail page
and the evidence files. Reads go through `selectors` and the read model
`reading` (out of scope is a 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from qingqian.complaints import deadlines, reading, selectors
from qingqian.complaints.filters import DUE_WINDOWS, ORDERINGS, ComplaintFilter
from qingqian.complaints.forms import ACTION_FORMS, EvidenceForm
from qingqian.complaints.models import Complaint, ComplaintEvent, Deadline, State
from qingqian.complaints.views.intake import may_file
from qingqian.core import evidence_files
from qingqian.core.exports import csv_response
from qingqian.core.messages import size_reason_label, yuan
from qingqian.core.money import to_yuan_str
from qingqian.core.selectors import load_calendar

PAGE_SIZE = 50

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
    # Not a workflow action: the unit holding it closed and its work moved.
    "reassign": gettext_lazy("Moved to another unit"),
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
    ("debtor", pgettext_lazy("complaint", "debtor")),
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
    today, calendar = timezone.localdate(), load_calendar()
    for complaint in page:
        complaint.outstanding = _outstanding(complaint)
        complaint.next_due = reading.next_due(complaint, today, calendar)
    drafts = selectors.complaint_list(actor=request.user).filter(
        state=State.DRAFT, created_by=request.user
    )
    return render(
        request,
        "complaints/complaint_list.html",
        {
            "page": page,
            "drafts": drafts,
            "states": [c for c in State.choices if c[0] != State.DRAFT],
            "stages": Deadline.Stage.choices,
            "due_windows": DUE_WINDOWS,
            "orderings": ORDERINGS,
            "may_file": may_file(request.user),
        },
    )


def _filtered_complaints(request):
    """The list leaves out an invalid parameter, and drafts unless asked for
    (its own drafts have their own table)."""
    query = ComplaintFilter(request.GET, queryset=selectors.complaint_list(actor=request.user))
    complaints = query.qs
    if query.form.cleaned_data.get("state") != State.DRAFT:
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


# --- detail ----------------------------------------------------------------------


@login_required
def complaint_detail(request, pk):
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    return render(
        request, "complaints/complaint_detail.html", detail_context(request.user, complaint)
    )


def detail_context(user, complaint: Complaint, bound: dict | None = None) -> dict:
    """The detail page: what the read model lets this person see, with its labels;
    `bound` holds forms sent back with their errors, by action."""
    bound = bound or {}
    view = reading.complaint_view_for(actor=user, complaint=complaint)
    deadline_rows = _deadline_rows(view)
    return {
        "complaint": complaint,
        "amounts": _amounts(view.amounts),
        "shows_contact": view.shows_contact,
        "shows_internal": view.visibility.internal_notes,
        "shows_size_warning": view.shows_size_warning,
        "similar": view.similar,
        "deadlines": deadline_rows,
        "has_provisional": any(row["deadline"].provisional for row in deadline_rows),
        "size_label": SIZE_LABELS.get(complaint.size_class, complaint.size_class),
        "size_reason": size_reason_label(complaint.size_basis) or complaint.size_reason,
        "history": _history_rows(view),
        "evidence_items": complaint.evidence.all(),
        "evidence_form": bound.get("evidence") or EvidenceForm(),
        "may_add_evidence": view.may_add_evidence,
        "actions": _action_forms(view, bound),
        "may_edit": view.may_edit,
        "shows_notice": view.shows_notice,
        "ledger_item": view.ledger_item,
    }


def _amounts(amounts: reading.Amounts) -> dict:
    outstanding = amounts.outstanding_fen
    return {
        "owed": yuan(amounts.owed_fen),
        "paid": yuan(amounts.paid_fen),
        "outstanding": yuan(outstanding) if outstanding is not None else "—",
    }


def _deadline_rows(view: reading.ComplaintView) -> list[dict]:
    return [
        {
            "deadline": row.deadline,
            "rule": deadlines.rule_label(row.deadline),
            "days_left": row.days_left,
            "days_overdue": row.days_overdue,
        }
        for row in view.deadlines
    ]


def _history_rows(view: reading.ComplaintView) -> list[dict]:
    return [
        {
            "event": event,
            "label": ACTION_LABELS.get(event.action, event.action),
            "actor": _actor_label(event),
            "from_state": _state_label(event.from_state),
            "to_state": _state_label(event.to_state),
            "facts": _event_facts(event.details),
            "internal_note": event.internal_note,
        }
        for event in view.history
    ]


def _actor_label(event: ComplaintEvent) -> str:
    """Officials see names; the parties see roles and the departments involved."""
    actor = event.actor
    if actor is None:
        return _("the platform")
    place = actor.organisation or actor.enterprise or ""
    if event.actor_name:
        return f"{event.actor_name} · {place}"
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


def _action_forms(view: reading.ComplaintView, bound: dict) -> list[dict]:
    """One small form per action this person may take now (submit is the intake form's)."""
    complaint = view.complaint
    return [
        {
            "action": action,
            "label": ACTION_LABELS[action],
            "form": bound.get(action)
            or ACTION_FORMS[action](
                complaint=complaint, initial={"version": complaint.version}, prefix=action
            ),
        }
        for action in view.actions
        if action != "submit"
    ]


@login_required
def complaint_evidence(request, pk, eid):
    """An evidence file, only for those who may open the complaint."""
    item = selectors.evidence_get(actor=request.user, complaint_pk=pk, pk=eid)
    return evidence_files.evidence_response(item)
