"""Reads of typical cases.

Officials who may manage typical cases (Perm.TYPICAL_CASE_MANAGE) see the cases
of their region (the complaint's province); everyone else none. Where an
official stands towards one case (drafter, reviewer, approver) is `standings`.
The public reads `published_cases`: published and withdrawn cases, public
fields only, and for a withdrawn case its public note instead of its text.
"""

from __future__ import annotations

from django.db.models import Case, CharField, F, Q, QuerySet, TextField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from qingqian.accounts.models import User
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.complaints.models import Complaint, State
from qingqian.complaints.selectors import complaint_list
from qingqian.core.scoping import scope_for
from qingqian.publication.models import TypicalCase
from qingqian.publication.typical_cases import masking
from qingqian.publication.typical_cases.transitions import (
    APPROVER,
    DRAFTER,
    REVIEWER,
    TYPICAL_CASE_TRANSITIONS,
)

MAX_ID = 2**63 - 1
# A complaint is finished when its result was approved (resolved) or the SME
# gave its feedback (closed): only then may it be retold.
CLOSED_STATES = frozenset({State.RESOLVED, State.CLOSED})


# --- officials ----------------------------------------------------------------------------


def _may_manage(actor) -> bool:
    return actor is not None and has_perm(actor, Perm.TYPICAL_CASE_MANAGE)


def typical_case_list(*, actor) -> QuerySet[TypicalCase]:
    """The cases this official may see, newest first; none for anyone else."""
    cases = TypicalCase.objects.select_related(
        "complaint", "drafted_by__organisation", "reviewed_by", "approved_by__organisation"
    )
    if not _may_manage(actor):
        return cases.none()
    scope = scope_for(actor)
    if scope.everything:
        return cases
    if scope.region_prefix is None:
        return cases.none()
    return cases.filter(region_code__startswith=scope.region_prefix)


def typical_case_get(*, actor, pk) -> TypicalCase:
    return get_object_or_404(typical_case_list(actor=actor), pk=pk)


def closed_complaints(*, actor) -> QuerySet[Complaint]:
    """The finished complaints this official may see and so draft from."""
    if not _may_manage(actor):
        return Complaint.objects.none()
    return complaint_list(actor=actor).filter(state__in=CLOSED_STATES)


def standings(actor, case: TypicalCase) -> set[str]:
    """Where this official stands towards the case: drafter, or reviewer and (at the
    drafter's organisation or a level above) approver; never both drafter and a
    decider (four eyes)."""
    if not _may_manage(actor) or not scope_for(actor).covers_region(case.region_code):
        return set()
    if case.drafted_by_id == actor.pk:
        return {DRAFTER}
    found = {REVIEWER}
    organisation = getattr(actor, "organisation", None)
    drafter_organisation = case.drafted_by.organisation
    if (
        organisation is not None
        and drafter_organisation is not None
        and drafter_organisation.path.startswith(organisation.path)
    ):
        found.add(APPROVER)
    return found


def allowed_actions(actor, case: TypicalCase) -> list[str]:
    """The actions this official may take on the case now, in the table's order."""
    mine = standings(actor, case)
    return [
        action
        for action in TYPICAL_CASE_TRANSITIONS.actions_from(case.state)
        if TYPICAL_CASE_TRANSITIONS[action].roles & mine
    ]


def known_about(complaint: Complaint) -> masking.Known:
    """What the platform knows of the complaint's parties and people, to be masked:
    the people who acted on it and the accounts of both parties included."""
    complainant, debtor = complaint.complainant, complaint.debtor
    users = User.objects.filter(
        Q(pk=complaint.created_by_id)
        | Q(pk__in=complaint.events.exclude(actor=None).values("actor"))
        | Q(enterprise_id__in=[complaint.complainant_id, complaint.debtor_id])
    )
    people, phones, emails = set(), set(), set()
    for user in users:
        people |= masking.person_variants(user.get_full_name())
        phones.add(user.phone)
        emails.add(user.email)
    for enterprise in (complainant, debtor):
        if enterprise is not None:
            people |= masking.person_variants(enterprise.contact_name)
            phones.add(enterprise.contact_phone)
    return masking.Known(
        smes=tuple(masking.name_variants(complainant.name)),
        debtors=tuple(masking.name_variants(debtor.name)) if debtor else (),
        people=tuple(sorted(people)),
        phones=tuple(sorted(p for p in phones if p)),
        emails=tuple(sorted(e for e in emails if e)),
        codes=tuple(e.uscc for e in (complainant, debtor) if e is not None),
        contracts=(complaint.contract_number,) if complaint.contract_number else (),
    )


def source_text(complaint: Complaint) -> str:
    """The complaint's own words, as a typical case starts from them (unmasked)."""
    parts = [complaint.facts_text, complaint.request_text, complaint.result_text]
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


# --- the public ---------------------------------------------------------------------------

PUBLIC_STATES = (TypicalCase.State.PUBLISHED, TypicalCase.State.WITHDRAWN)
PUBLISHED_FIELDS = (
    "pk",
    "kind",
    "state",
    "published_title",
    "public_text",
    "debtor_name",
    "authority",
    "region_code",
    "published_at",
    "withdrawn_at",
    "withdrawal_note",
)


def published_cases(kind: str | None = None) -> QuerySet[dict]:
    """Every published or withdrawn case, newest first, as dicts of PUBLISHED_FIELDS
    only. Takes no actor: publication is the scope. A withdrawn case keeps its
    place with its public note; its text never leaves the database."""
    cases = TypicalCase.objects.filter(state__in=PUBLIC_STATES, published_at__isnull=False)
    if kind is not None:
        cases = cases.filter(kind=kind)
    return (
        cases.annotate(
            public_text=Case(
                When(state=TypicalCase.State.PUBLISHED, then=F("published_text")),
                default=Value(""),
                output_field=TextField(),
            ),
            debtor_name=Case(
                When(
                    state=TypicalCase.State.PUBLISHED,
                    name_debtor=True,
                    then=F("complaint__debtor__name"),
                ),
                default=Value(""),
                output_field=CharField(),
            ),
            authority=F("approved_by__organisation__name"),
        )
        .order_by("-published_at", "-pk")
        .values(*PUBLISHED_FIELDS)
    )


def published_case_get(pk) -> dict:
    """One public case; anything unpublished, or no such id, is a 404."""
    if not isinstance(pk, int) or not 0 < pk <= MAX_ID:
        raise Http404
    case = published_cases().filter(pk=pk).first()
    if case is None:
        raise Http404
    return case
