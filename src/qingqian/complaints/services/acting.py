"""What every workflow action shares: who may act, the row lock, the checks
of version, state and right, and the history and audit record of the act."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.accounts.models import Role
from qingqian.complaints import events as complaint_events
from qingqian.complaints import verbs
from qingqian.complaints.errors import ComplaintConflict, StaleVersion
from qingqian.complaints.models import Complaint, ComplaintEvent
from qingqian.complaints.notify import notify_with_change
from qingqian.complaints.transitions import TRANSITIONS
from qingqian.core import audit, events


def today() -> date:
    return timezone.localdate()


def may_act(actor, complaint: Complaint, action: str) -> bool:
    """The role may take the action, and this person stands in the right place for it."""
    transition = TRANSITIONS[action]
    if actor is None or not actor.is_authenticated or actor.role not in transition.roles:
        return False
    if actor.role == Role.SME:
        return complaint.complainant_id == actor.enterprise_id
    if actor.role == Role.DEBTOR:
        return complaint.debtor_id == actor.enterprise_id and complaint.received_on is not None
    organisation = actor.organisation
    if actor.role == Role.INTAKE:
        if action == "submit":
            return True
        # The accepting authority itself, or a level above it.
        authority = complaint.accepting_authority
        return authority is not None and authority.path.startswith(organisation.path)
    if actor.role == Role.HANDLER:
        department = complaint.handling_department
        return department is not None and organisation.path.startswith(department.path)
    return False


def works_on(actor, complaint: Complaint) -> bool:
    """The accepting authority (or a level above it) or the handling department."""
    path = actor.organisation.path if actor.organisation_id else None
    if path is None:
        return False
    authority, department = complaint.accepting_authority, complaint.handling_department
    return bool(
        (authority and authority.path.startswith(path))
        or (department and path.startswith(department.path))
    )


def lock(complaint: Complaint) -> Complaint:
    # Lock the complaint row only (PostgreSQL refuses FOR UPDATE on outer joins).
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("accepting_authority", "handling_department", "complainant", "debtor")
        .get(pk=complaint.pk)
    )


def begin(actor, complaint: Complaint, action: str, version: int | None) -> Complaint:
    complaint = lock(complaint)
    check(actor, complaint, action, version)
    return complaint


def check(actor, complaint: Complaint, action: str, version: int | None = None) -> None:
    """Who may not take the action in this state is told so, stale version or not;
    then a stale version (someone acted meanwhile); then a state that does not fit."""
    fits = complaint.state in TRANSITIONS[action].sources
    if fits and not may_act(actor, complaint, action):
        if is_unbound_claimant(actor, complaint.complainant):
            raise PermissionDenied(UNBOUND_MESSAGE)
        raise PermissionDenied(_("You may not take this action on this complaint."))
    if version is not None and version != complaint.version:
        raise StaleVersion()
    if not fits:
        raise ComplaintConflict()


def finish(
    actor,
    complaint: Complaint,
    action: str,
    target: str | None,
    *,
    note: str = "",
    details: dict | None = None,
    on: date | None = None,
    department=None,
) -> Complaint:
    from_state = complaint.state
    if target is not None:
        complaint.state = target
    complaint.version += 1
    complaint.save()
    record_event(
        complaint,
        actor,
        action,
        verbs.ACTION_VERBS[action],
        from_state,
        complaint.state,
        note=note,
        details=details or {},
        day=on or today(),
        department=department or complaint.handling_department,
    )
    return complaint


def record_event(
    complaint,
    actor,
    action,
    verb,
    from_state,
    to_state,
    *,
    note="",
    details=None,
    day,
    department=None,
) -> ComplaintEvent:
    """The act in the complaint's history and in the audit trail, told to
    whoever listens (tallies) and to those it concerns (on commit)."""
    event = ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor,
        action=action,
        day=day,
        department=department,
        from_state=from_state,
        to_state=to_state,
        note=note.strip(),
        details=audit.json_safe(details or {}),
    )
    audit.record(
        actor=actor,
        verb=verb,
        target=complaint,
        payload={
            "from": from_state,
            "to": to_state,
            "event": event.pk,
            **event.details,
        },
    )
    _publish_action(event, complaint)
    notify_with_change(event)
    return event


def _publish_action(event: ComplaintEvent, complaint) -> None:
    events.publish(
        complaint_events.ACTION_RECORDED,
        complaint_id=complaint.pk,
        event_id=event.pk,
        action=event.action,
        day=event.day,
        department_id=event.department_id,
        satisfied=event.details.get("satisfied"),
        channel=complaint.channel,
        region_code=complaint.debtor_region_code,
        debtor_type=complaint.debtor_type,
    )


def require_may_file(actor, complainant) -> None:
    if actor is None:
        return
    if actor.role == Role.SME and actor.enterprise_id == complainant.pk:
        return
    if actor.role == Role.INTAKE:
        return
    if is_unbound_claimant(actor, complainant):
        raise PermissionDenied(UNBOUND_MESSAGE)
    raise PermissionDenied(_("You may not file complaints for this enterprise."))


UNBOUND_MESSAGE = gettext_lazy(
    "Your account is not yet bound to your enterprise: prepare the complaint as a draft "
    "and submit it once the province has checked your business licence."
)


def require_may_draft(actor, complainant, complaint=None) -> None:
    """Who may file may keep drafts; so may an SME account not yet bound, for the
    enterprise it asked for, and its own drafts only."""
    if is_unbound_claimant(actor, complainant) and (
        complaint is None or complaint.created_by_id == actor.pk
    ):
        return
    require_may_file(actor, complainant)


def is_unbound_claimant(actor, complainant) -> bool:
    return (
        actor is not None and actor.is_unbound_sme and actor.enterprise_claimed_id == complainant.pk
    )


def require_choice(value: str, choices, field: str, message: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: message})


def require_text(value: str, field: str, message: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError({field: message})
