"""Reads of training events.

Organisers (Perm.TRAINING_MANAGE) see the events of their own authority and of the
authorities below it (the organisation tree); a national official or an
administrator all of them. An SME user sees their own registrations. The public
sees published events and what they hand out (never who registered):
`public_events`, `public_event_get`.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.scoping import scope_for
from qingqian.services.models import TrainingEvent, TrainingMaterial, TrainingRegistration
from qingqian.services.training.transitions import SEAT_HOLDING

MAX_ID = 2**63 - 1
State = TrainingEvent.State


def with_seats_taken(events: QuerySet[TrainingEvent]) -> QuerySet[TrainingEvent]:
    """Each event with seats_taken, seats_left and waitlisted (counts, nobody's name)."""
    return events.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__state__in=SEAT_HOLDING)),
        waitlisted=Count(
            "registrations",
            filter=Q(registrations__state=TrainingRegistration.State.WAITLISTED),
        ),
    ).annotate(seats_left=F("capacity") - F("seats_taken"))


def seats_left(event: TrainingEvent) -> int:
    taken = event.registrations.filter(state__in=SEAT_HOLDING).count()
    return max(event.capacity - taken, 0)


# --- organisers ---------------------------------------------------------------------------


def may_organise(actor) -> bool:
    return actor is not None and has_perm(actor, Perm.TRAINING_MANAGE)


def event_list(*, actor) -> QuerySet[TrainingEvent]:
    """The events this official may organise, soonest first; none for anyone else."""
    events = with_seats_taken(TrainingEvent.objects.select_related("organiser"))
    if not may_organise(actor):
        return events.none()
    if scope_for(actor).everything:
        return events
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        return events.none()
    return events.filter(organiser__path__startswith=organisation.path)


def event_get(*, actor, pk) -> TrainingEvent:
    return get_object_or_404(event_list(actor=actor), pk=pk)


def registrations_of(event: TrainingEvent) -> QuerySet[TrainingRegistration]:
    """An event's registrations (for its organiser: `event` comes from `event_get`):
    seats first in the order taken, then the waiting list in its order."""
    return (
        event.registrations.exclude(state=TrainingRegistration.State.CANCELLED)
        .select_related("user", "enterprise")
        .order_by("waitlist_number", "created_at", "pk")
    )


def registration_get(*, actor, event: TrainingEvent, pk) -> TrainingRegistration:
    return get_object_or_404(
        TrainingRegistration.objects.filter(event__in=event_list(actor=actor).filter(pk=event.pk)),
        pk=pk,
    )


def organisers_for(actor):
    """The authorities an official may organise events for: their own if it is an
    SME authority (not a handling department)."""
    organisation = getattr(actor, "organisation", None)
    if not may_organise(actor) or organisation is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=organisation.pk, is_active=True).exclude(
        kind=Organisation.Kind.HANDLING_DEPARTMENT
    )


# --- SME users ----------------------------------------------------------------------------


def my_registrations(*, actor) -> QuerySet[TrainingRegistration]:
    """The actor's own registrations, live ones first, the next event first."""
    if actor is None or not actor.is_authenticated:
        return TrainingRegistration.objects.none()
    return (
        TrainingRegistration.objects.filter(user=actor)
        .select_related("event__organiser")
        .order_by("-event__starts_at", "-pk")
    )


def my_registration_get(*, actor, pk) -> TrainingRegistration:
    return get_object_or_404(my_registrations(actor=actor), pk=pk)


def my_live_registration(*, actor, event: TrainingEvent) -> TrainingRegistration | None:
    return (
        my_registrations(actor=actor)
        .filter(event=event)
        .exclude(state=TrainingRegistration.State.CANCELLED)
        .first()
    )


def waitlist_position(registration: TrainingRegistration) -> int | None:
    """1 for the first on the waiting list; None when not waitlisted."""
    if registration.state != TrainingRegistration.State.WAITLISTED:
        return None
    ahead = TrainingRegistration.objects.filter(
        event_id=registration.event_id,
        state=TrainingRegistration.State.WAITLISTED,
        waitlist_number__lt=registration.waitlist_number,
    ).count()
    return ahead + 1


# --- the public ---------------------------------------------------------------------------

PUBLIC_STATES = (State.PUBLISHED, State.HELD, State.CANCELLED)


def public_events(province_code: str | None = None) -> QuerySet[TrainingEvent]:
    """Published events that have not ended, soonest first; takes no actor:
    publication is the scope."""
    events = with_seats_taken(
        TrainingEvent.objects.filter(state=State.PUBLISHED, ends_at__gt=timezone.now())
    ).select_related("organiser")
    if province_code:
        events = events.filter(province_code=province_code)
    return events.order_by("starts_at", "pk")


def public_provinces() -> list[str]:
    """The provinces that have an upcoming event, for the filter."""
    return sorted(set(public_events().values_list("province_code", flat=True)))


def public_event_get(pk) -> TrainingEvent:
    """One event as the public sees it: published, held or cancelled (a link once
    shared keeps working and says so); a draft or no such id is a 404."""
    if not isinstance(pk, int) or not 0 < pk <= MAX_ID:
        raise Http404
    events = with_seats_taken(TrainingEvent.objects.filter(state__in=PUBLIC_STATES))
    return get_object_or_404(events.select_related("organiser"), pk=pk)


def public_materials(event: TrainingEvent) -> QuerySet[TrainingMaterial]:
    return event.materials.all()


def public_material_get(event: TrainingEvent, pk) -> TrainingMaterial:
    return get_object_or_404(public_materials(event).exclude(stored_name=""), pk=pk)
