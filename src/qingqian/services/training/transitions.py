"""The state machines of training: an event (draft → published → held, or
cancelled) and a registration (registered or waitlisted → promoted, cancelled,
attended / absent).

"Who" names a standing: the organiser (an official of the organising authority or
one above it), the registrant (the SME user who registered), or the system (a
seat freed promotes the first on the waiting list)."""

from __future__ import annotations

from qingqian.core.transitions import TransitionTable, transition
from qingqian.services.models import TrainingEvent, TrainingRegistration

ORGANISER = "organiser"
REGISTRANT = "registrant"
SYSTEM = "system"

Event = TrainingEvent.State
Registration = TrainingRegistration.State

EVENT_TRANSITIONS = TransitionTable(
    [
        transition("edit", {Event.DRAFT, Event.PUBLISHED}, None, ORGANISER),
        transition("publish", {Event.DRAFT}, Event.PUBLISHED, ORGANISER),
        transition("cancel", {Event.DRAFT, Event.PUBLISHED}, Event.CANCELLED, ORGANISER),
        # The first attendance recorded after the start marks the event held.
        transition("hold", {Event.PUBLISHED}, Event.HELD, ORGANISER),
        transition("register", {Event.PUBLISHED}, None, REGISTRANT),
        transition("add_material", {Event.DRAFT, Event.PUBLISHED, Event.HELD}, None, ORGANISER),
        transition("record_attendance", {Event.PUBLISHED, Event.HELD}, None, ORGANISER),
    ]
)

REGISTRATION_TRANSITIONS = TransitionTable(
    [
        transition("promote", {Registration.WAITLISTED}, Registration.REGISTERED, SYSTEM),
        transition(
            "cancel",
            {Registration.REGISTERED, Registration.WAITLISTED},
            Registration.CANCELLED,
            REGISTRANT,
            SYSTEM,
        ),
        transition(
            "attended",
            {Registration.REGISTERED, Registration.ABSENT},
            Registration.ATTENDED,
            ORGANISER,
        ),
        transition(
            "absent",
            {Registration.REGISTERED, Registration.ATTENDED},
            Registration.ABSENT,
            ORGANISER,
        ),
    ]
)

# The registrations that hold a seat (an absent SME held one all the same).
SEAT_HOLDING = (Registration.REGISTERED, Registration.ATTENDED, Registration.ABSENT)
LIVE = (*SEAT_HOLDING, Registration.WAITLISTED)
