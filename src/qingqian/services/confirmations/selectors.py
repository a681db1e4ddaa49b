"""Reads of confirmation requests, scoped by the actor: an SME sees the requests
it sent, a debtor's representatives those addressed to their enterprise,
officials who oversee confirmations those to debtors in their jurisdiction.
The one-time link finds its request without an actor; the public register
reads only the count of breaches."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from qingqian.accounts.models import Role
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.scoping import scope_for
from qingqian.services.confirmations.links import token_hash
from qingqian.services.models import ConfirmationRequest

S = ConfirmationRequest.State


def confirmation_requests(*, actor) -> QuerySet[ConfirmationRequest]:
    rows = ConfirmationRequest.objects.select_related("sme", "debtor", "ledger_item")
    scope = scope_for(actor)
    if scope.nothing:
        return rows.none()
    if actor.role == Role.SME and has_perm(actor, Perm.CONFIRMATION_REQUEST):
        return rows.filter(sme_id=scope.enterprise_id)
    if actor.role == Role.DEBTOR and has_perm(actor, Perm.CONFIRMATION_ANSWER):
        return rows.filter(debtor_id=scope.enterprise_id)
    if not (actor.is_official and has_perm(actor, Perm.CONFIRMATION_OVERSEE)):
        return rows.none()
    if scope.everything:
        return rows
    return rows.filter(debtor__region_code__startswith=scope.region_prefix)


def confirmation_request_get(*, actor, pk: int) -> ConfirmationRequest:
    """A request in the actor's scope, or 404."""
    return get_object_or_404(confirmation_requests(actor=actor), pk=pk)


def request_for_link(token: str, *, on: date | None = None) -> ConfirmationRequest | None:
    """The request a one-time link opens: unanswered, and its due date not passed."""
    if not token:
        return None
    day = on or timezone.localdate()
    return (
        ConfirmationRequest.objects.select_related("sme", "debtor")
        .filter(link_token_hash=token_hash(token), state=S.REQUESTED, answer_due_on__gte=day)
        .first()
    )


def breached_requests_count(enterprise) -> int:
    """How many confirmation requests the enterprise answered late or never: part
    of its public record."""
    return ConfirmationRequest.objects.filter(debtor=enterprise, breached=True).count()
