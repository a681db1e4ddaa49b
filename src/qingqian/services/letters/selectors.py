"""Reads of demand letters, scoped by the actor: an SME user sees its own
enterprise's letters; everyone else none (a letter outside is a 404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.complaints.models import OPEN_STATES, Complaint, State
from qingqian.complaints.selectors import complaint_list
from qingqian.services.models import DemandLetter


def _enterprise_id(actor) -> int | None:
    if actor is None or not has_perm(actor, Perm.DEMAND_LETTER_WRITE):
        return None
    return getattr(actor, "enterprise_id", None)


def demand_letter_list(*, actor) -> QuerySet[DemandLetter]:
    enterprise_id = _enterprise_id(actor)
    letters = DemandLetter.objects.select_related("owner", "author")
    if enterprise_id is None:
        return letters.none()
    return letters.filter(owner_id=enterprise_id)


def demand_letter_get(*, actor, pk) -> DemandLetter:
    return get_object_or_404(
        demand_letter_list(actor=actor).prefetch_related("payments", "attachments__complaint"),
        pk=pk,
    )


def attachable_complaints(*, actor) -> QuerySet[Complaint]:
    """The SME's own complaints a letter may be attached to: drafts and open ones
    (those the complaints app lets the SME add evidence to)."""
    enterprise_id = _enterprise_id(actor)
    if enterprise_id is None:
        return Complaint.objects.none()
    return complaint_list(actor=actor).filter(
        complainant_id=enterprise_id, state__in={State.DRAFT, *OPEN_STATES}
    )
