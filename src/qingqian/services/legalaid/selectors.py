"""Reads of legal aid, scoped by the actor: an SME sees its own enterprise's
requests, a legal adviser those assigned to its legal service, an official who
oversees legal aid those of its jurisdiction. Anything else is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from qingqian.accounts.models import Organisation, Role
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.accounts.selectors import organisations_managed
from qingqian.complaints.models import Complaint, State
from qingqian.core.scoping import scope_for
from qingqian.ledger.models import LedgerItem
from qingqian.services.models import AidCoverage, AidRequest


def aid_request_list(*, actor) -> QuerySet[AidRequest]:
    rows = AidRequest.objects.select_related("enterprise", "provider", "requested_by")
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return rows.none()
    if actor.role == Role.SME and has_perm(actor, Perm.LEGAL_AID_REQUEST):
        return (
            rows.filter(enterprise_id=actor.enterprise_id) if actor.enterprise_id else rows.none()
        )
    if actor.role == Role.ADVISER and has_perm(actor, Perm.LEGAL_AID_PROVIDE):
        return rows.filter(provider_id=actor.organisation_id)
    if actor.is_official and has_perm(actor, Perm.LEGAL_AID_OVERSEE):
        scope = scope_for(actor)
        if scope.everything:
            return rows
        if scope.region_prefix is not None:
            return rows.filter(region_code__startswith=scope.region_prefix)
    return rows.none()


def aid_request_get(*, actor, pk) -> AidRequest:
    return get_object_or_404(aid_request_list(actor=actor), pk=pk)


def own_complaints(*, actor) -> QuerySet[Complaint]:
    """The complaints the SME's enterprise filed (not drafts), to link a request to."""
    if actor.role != Role.SME or actor.enterprise_id is None:
        return Complaint.objects.none()
    return Complaint.objects.filter(complainant_id=actor.enterprise_id).exclude(state=State.DRAFT)


def own_ledger_items(*, actor) -> QuerySet[LedgerItem]:
    """The ledger items where the SME's enterprise is the creditor."""
    if actor.role != Role.SME or actor.enterprise_id is None:
        return LedgerItem.objects.none()
    return LedgerItem.objects.filter(creditor_id=actor.enterprise_id).select_related("debtor")


def legal_services_near(region_code: str) -> QuerySet[Organisation]:
    """The active legal services of the request's province (those an official may
    assign it to)."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.LEGAL_SERVICE,
        is_active=True,
        region_code__startswith=region_code[:2],
    )


def coverage_pairs() -> list[tuple[int, str]]:
    """(legal service id, covered region code) for every active legal service: its
    own region and the regions added to it."""
    services = Organisation.objects.filter(kind=Organisation.Kind.LEGAL_SERVICE, is_active=True)
    pairs = list(services.values_list("pk", "region_code"))
    added = AidCoverage.objects.filter(provider__in=services)
    return pairs + list(added.values_list("provider_id", "region_code"))


def legal_services_managed(*, actor) -> QuerySet[Organisation]:
    """The legal services whose covered regions the actor (an administrator) sets."""
    services = organisations_managed(actor=actor).filter(kind=Organisation.Kind.LEGAL_SERVICE)
    return services.prefetch_related("aid_coverage")
