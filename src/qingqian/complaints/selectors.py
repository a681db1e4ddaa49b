"""Reads of complaints, scoped by the actor (one rule for lists, details, exports and the API)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from qingqian.accounts.models import Role
from qingqian.complaints.models import (
    OPEN_STATES,
    Complaint,
    ComplaintEvent,
    Deadline,
    Evidence,
    State,
)
from qingqian.core.scoping import scope_for

PARTY_ROLES = frozenset({Role.SME, Role.DEBTOR})
INTERNAL_NOTE = "internal-note"  # the action of an officials-only history entry


def complaint_list(*, actor) -> QuerySet[Complaint]:
    """The complaints this actor may see, newest first (lists filter them with
    `filters.ComplaintFilter`)."""
    return (
        Complaint.objects.select_related(
            "complainant", "debtor", "accepting_authority", "handling_department"
        )
        .filter(_scope_filter(actor))
        .order_by("-created_at", "-pk")
    )


def with_next_due(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Each complaint with its running clock due first: `next_due_on`, `next_stage`
    and `next_due_unit` (None when no clock runs: a draft, a pause, a closed case)."""
    running = Deadline.objects.filter(
        complaint=OuterRef("pk"), status=Deadline.Status.OPEN
    ).order_by("due_on", "pk")
    return complaints.annotate(
        next_due_on=Subquery(running.values("due_on")[:1]),
        next_stage=Subquery(running.values("stage")[:1]),
        next_due_unit=Subquery(running.values("unit")[:1]),
    )


def _scope_filter(actor) -> Q:
    nothing = Q(pk__in=[])
    if actor is not None and actor.is_authenticated and actor.is_active and actor.is_unbound_sme:
        return Q(created_by=actor, state=State.DRAFT)  # its own drafts, until bound
    scope = scope_for(actor)
    if scope.nothing:
        return nothing
    if actor.role == Role.SME:
        return Q(complainant_id=scope.enterprise_id)
    if actor.role == Role.DEBTOR:
        # From the transfer on: the debtor is told once a department handles it.
        return Q(debtor_id=scope.enterprise_id, received_on__isnull=False) | Q(
            debtor_id=scope.enterprise_id, state__in=[State.RESOLVED, State.CLOSED]
        )
    drafts_of_others = Q(state=State.DRAFT) & ~Q(created_by=actor)
    if actor.role == Role.HANDLER:
        return Q(handling_department__path__startswith=actor.organisation.path) & ~drafts_of_others
    if scope.everything:
        return ~drafts_of_others
    prefix = scope.region_prefix
    return (
        Q(province_code__startswith=prefix)
        | Q(debtor__region_code__startswith=prefix)
        | Q(created_by=actor)
    ) & ~drafts_of_others


def complaint_get(*, actor, pk) -> Complaint:
    return get_object_or_404(complaint_list(actor=actor), pk=pk)


def evidence_get(*, actor, complaint_pk, pk) -> Evidence:
    """An evidence file, only of a complaint this actor may see."""
    complaint = complaint_get(actor=actor, pk=complaint_pk)
    return get_object_or_404(complaint.evidence, pk=pk)


def complaints_of_ledger_item(*, actor, item) -> QuerySet[Complaint]:
    """The complaints about a ledger item's contract that this actor may see."""
    return complaint_list(actor=actor).filter(
        debtor_id=item.debtor_id,
        complainant_id=item.creditor_id,
        contract_number=item.contract_number,
    )


def complaints_of_party(*, actor, enterprise) -> QuerySet[Complaint]:
    """The complaints this actor may see in which `enterprise` is a party (drafts aside)."""
    return (
        complaint_list(actor=actor)
        .filter(Q(debtor=enterprise) | Q(complainant=enterprise))
        .exclude(state=State.DRAFT)
    )


def complaint_history(*, actor, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The events this person may read; internal notes are blanked for the parties."""
    events = complaint.events.select_related("actor").order_by("at", "pk")
    if actor.role in PARTY_ROLES:
        return events.exclude(action=INTERNAL_NOTE).defer("internal_note")
    return events


@dataclass(frozen=True)
class HistoryVisibility:
    """What a reader of a complaint's history may see of it, on every channel."""

    actor_names: bool  # who acted, by name (officials only)
    internal_notes: bool  # the officials' notes (never the SME or the debtor)


def history_visibility(actor) -> HistoryVisibility:
    return HistoryVisibility(
        actor_names=actor.is_official, internal_notes=shows_internal_notes(actor)
    )


def actor_name_for(reader, actor) -> str:
    """The name of the person who acted, or "" when this reader may not see it."""
    if actor is None or not history_visibility(reader).actor_names:
        return ""
    return actor.get_full_name() or actor.username


def shows_internal_notes(actor) -> bool:
    return actor.role not in PARTY_ROLES


def shows_complainant_contact(actor) -> bool:
    """Debtor representatives never see the complainant's personal contact details."""
    return actor.role != Role.DEBTOR


def open_deadlines(complaint: Complaint):
    return complaint.deadlines.filter(status__in=[Deadline.Status.OPEN, Deadline.Status.PAUSED])


def is_open(complaint: Complaint) -> bool:
    return complaint.state in OPEN_STATES


# --- the public read (Open311) ------------------------------------------------------------

PUBLIC_REQUEST_FIELDS = (
    "pk",
    "tracking_number",
    "state",
    "subject",
    "province_code",
    "agency",
    "requested_at",
    "submitted_on",
    "updated_at",
    "next_due_on",
)


def public_requests() -> QuerySet[dict]:
    """Every complaint that left draft, newest first, as dicts of
    PUBLIC_REQUEST_FIELDS only: no party, no text, the province and no finer place.

    Takes no actor: this is the public's view (Open311), the same for everyone.
    The agency is a public body (the handling department, else the accepting
    authority); the complainant and the debtor are never read."""
    submitted = ComplaintEvent.objects.filter(complaint=OuterRef("pk"), action="submit").order_by(
        "at", "pk"
    )
    return (
        with_next_due(Complaint.objects.exclude(state=State.DRAFT))
        .annotate(
            agency=Coalesce("handling_department__name", "accepting_authority__name", Value("")),
            requested_at=Subquery(submitted.values("at")[:1]),
        )
        .order_by("-submitted_on", "-pk")
        .values(*PUBLIC_REQUEST_FIELDS)
    )
