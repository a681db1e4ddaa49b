"""Reads of supervision cases and public notices, scoped by the actor.

Officials see the cases located in their jurisdiction (national officials and
administrators: all); a debtor's representatives see the cases about their
enterprise; SME users and the anonymous public see none. Notices are internal
until approved (officials only); an approved notice is published, and the
public reads it through `published_notices`, which shows its public fields only.
The same selectors serve the pages, the exports and the API, so what can be
listed and opened agree; a record out of scope is a 404.
"""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from qingqian.accounts.models import Role
from qingqian.complaints.deadlines import working_days_left
from qingqian.core.scoping import scope_for
from qingqian.core.selectors import load_calendar
from qingqian.supervision.cases import permissions
from qingqian.supervision.models import CaseEvent, PublicNotice, SupervisionCase

MAX_ID = 2**63 - 1  # a larger id names no row (and would overflow the query)

may_manage = permissions.may_manage
may_report_progress = permissions.may_report_progress
may_decide_notice = permissions.may_decide_notice


def _case_filter(actor) -> Q | None:
    """The cases this person may see, as a filter; None: none at all."""
    scope = scope_for(actor)
    if scope.nothing:
        return None
    if scope.everything:
        return Q()
    if scope.region_prefix is not None:
        return Q(region_code__startswith=scope.region_prefix)
    if actor.role == Role.DEBTOR and scope.enterprise_id is not None:
        return Q(subject=SupervisionCase.Subject.DEBTOR, debtor_id=scope.enterprise_id)
    return None


def case_list(*, actor) -> QuerySet[SupervisionCase]:
    cases = SupervisionCase.objects.select_related(
        "department", "debtor", "opening_organisation", "opened_by"
    )
    where = _case_filter(actor)
    if where is None:
        return cases.none()
    return cases.filter(where)


def case_get(*, actor, pk) -> SupervisionCase:
    if not isinstance(pk, int) or not 0 < pk <= MAX_ID:
        raise Http404
    return get_object_or_404(case_list(actor=actor), pk=pk)


def case_events(*, actor, case: SupervisionCase) -> QuerySet[CaseEvent]:
    """The history of a case this person may open (the caller got it through case_get)."""
    if not case_list(actor=actor).filter(pk=case.pk).exists():
        return CaseEvent.objects.none()
    return case.events.select_related("actor__organisation").order_by("at", "pk")


def shows_notices(actor) -> bool:
    return bool(actor and actor.is_authenticated and (actor.is_official or actor.is_superuser))


def notice_list(*, actor, state: str = "", case: SupervisionCase | None = None):
    notices = PublicNotice.objects.select_related(
        "case__opening_organisation", "drafted_by__organisation", "decided_by"
    )
    if not shows_notices(actor):
        return notices.none()
    notices = notices.filter(case__in=case_list(actor=actor))
    if state:
        notices = notices.filter(state=state)
    if case is not None:
        notices = notices.filter(case=case)
    return notices


def notice_get(*, actor, pk) -> PublicNotice:
    if not isinstance(pk, int) or not 0 < pk <= MAX_ID:
        raise Http404
    return get_object_or_404(notice_list(actor=actor), pk=pk)


# --- the public: published notices ------------------------------------------------------

# What the public may read of a notice: the approved text, who issued it, where and when.
# Never the drafter or decider, the decision note, the case's internals, or the figures.
PUBLISHED_FIELDS = ("pk", "title", "text", "authority", "region_code", "published_at")


def published_notices() -> QuerySet[dict]:
    """Every published notice, newest first, as dicts of PUBLISHED_FIELDS only.

    Takes no actor: publication is the scope, the same for everyone signed in or
    not. A notice is published by its approval (the second person's decision is the
    last step), so it is public from that moment; pending or rejected never."""
    return (
        PublicNotice.objects.filter(state=PublicNotice.State.APPROVED, decided_at__isnull=False)
        .annotate(
            published_at=F("decided_at"),
            authority=F("drafted_by__organisation__name"),
            region_code=F("case__region_code"),
        )
        .order_by("-published_at", "-pk")
        .values(*PUBLISHED_FIELDS)
    )


def published_notice_get(pk) -> dict:
    """One published notice (PUBLISHED_FIELDS); anything else, or no such id, is a 404."""
    if not isinstance(pk, int) or not 0 < pk <= MAX_ID:
        raise Http404
    notice = published_notices().filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


# --- for the pages ----------------------------------------------------------------------


def deadline_status(case: SupervisionCase, today: date) -> dict:
    """The deadline as people read it: working days left, or days overdue, or how
    the case ended against it."""
    if case.state != SupervisionCase.State.OPEN:
        closed = case.closed_on
        return {"closed": True, "met": closed is not None and closed <= case.due_on}
    left = working_days_left(case, today, load_calendar())
    return {
        "closed": False,
        "overdue": left < 0,
        "days_overdue": -left if left < 0 else 0,
        "working_days_left": max(left, 0),
    }
