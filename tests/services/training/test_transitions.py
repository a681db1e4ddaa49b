"""Every edge of the two training state machines, allowed and forbidden, walked
through the real services.

The edges are written out by hand from the issue (an event: draft → published →
cancelled / held; a registration: registered or waitlisted → cancelled, a waiting
one promoted, a seat marked attended / absent after the start), not derived from
the tables under test. Each allowed pair leads where it says; every other pair is
refused as a conflict and writes nothing.
"""

from __future__ import annotations

import pytest

from qingqian.core.models import AuditEvent
from qingqian.services.models import TrainingEvent, TrainingRegistration
from qingqian.services.training import services
from qingqian.services.training.transitions import EVENT_TRANSITIONS, REGISTRATION_TRANSITIONS
from tests.services.training.events import event_fields, started

pytestmark = pytest.mark.django_db

Event = TrainingEvent.State
Registration = TrainingRegistration.State

EVENT_EDGES = {
    (Event.DRAFT, "edit"): Event.DRAFT,
    (Event.PUBLISHED, "edit"): Event.PUBLISHED,
    (Event.DRAFT, "publish"): Event.PUBLISHED,
    (Event.DRAFT, "cancel"): Event.CANCELLED,
    (Event.PUBLISHED, "cancel"): Event.CANCELLED,
    (Event.PUBLISHED, "hold"): Event.HELD,
    (Event.PUBLISHED, "register"): Event.PUBLISHED,
    (Event.DRAFT, "add_material"): Event.DRAFT,
    (Event.PUBLISHED, "add_material"): Event.PUBLISHED,
    (Event.HELD, "add_material"): Event.HELD,
    (Event.PUBLISHED, "record_attendance"): Event.PUBLISHED,
    (Event.HELD, "record_attendance"): Event.HELD,
}
EVENT_ACTIONS = [
    "edit",
    "publish",
    "cancel",
    "hold",
    "register",
    "add_material",
    "record_attendance",
]

REGISTRATION_EDGES = {
    (Registration.WAITLISTED, "promote"): Registration.REGISTERED,
    (Registration.REGISTERED, "cancel"): Registration.CANCELLED,
    (Registration.WAITLISTED, "cancel"): Registration.CANCELLED,
    (Registration.REGISTERED, "attended"): Registration.ATTENDED,
    (Registration.ABSENT, "attended"): Registration.ATTENDED,
    (Registration.REGISTERED, "absent"): Registration.ABSENT,
    (Registration.ATTENDED, "absent"): Registration.ABSENT,
}
REGISTRATION_ACTIONS = ["promote", "cancel", "attended", "absent"]


def edges(table, states, actions):
    return {
        (state, action): table.next_state(state, action)
        for state in states
        for action in actions
        if table.allowed(state, action)
    }


def test_the_tables_hold_exactly_the_edges():
    assert set(EVENT_TRANSITIONS) == set(EVENT_ACTIONS)
    assert edges(EVENT_TRANSITIONS, Event, EVENT_ACTIONS) == EVENT_EDGES
    assert set(REGISTRATION_TRANSITIONS) == set(REGISTRATION_ACTIONS)
    assert edges(REGISTRATION_TRANSITIONS, Registration, REGISTRATION_ACTIONS) == REGISTRATION_EDGES


# --- events through the services ----------------------------------------------------------


def event_in(state, make_event, user):
    """An event in `state`, with sme-demo holding a seat where one can be held."""
    event = make_event(publish=state != Event.DRAFT, capacity=3)
    registration = None
    if state != Event.DRAFT:
        registration = services.training_register(actor=user("sme-demo"), event=event)
    if state == Event.CANCELLED:
        services.training_event_cancel(actor=user("gd-intake"), event=event, note="改期")
    if state == Event.HELD:
        started(event)
        services.training_attendance_record(
            actor=user("gd-intake"), registration=registration, attended=True
        )
    if registration is None:  # a draft has none; the attendance call needs one to refuse
        registration = TrainingRegistration(event=event, user=user("sme-demo"))
    return TrainingEvent.objects.get(pk=event.pk), registration


def act_on_event(action, event, registration, user):
    organiser = user("gd-intake")
    if action == "edit":
        times = {
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "registration_closes_at": event.registration_closes_at,
        }
        return services.training_event_save(
            actor=organiser, event=event, **event_fields(capacity=3, title="新标题", **times)
        )
    if action == "publish":
        return services.training_event_publish(actor=organiser, event=event)
    if action == "cancel":
        return services.training_event_cancel(actor=organiser, event=event, note="取消")
    if action == "register":
        return services.training_register(actor=user("sme-js"), event=event)
    if action == "add_material":
        return services.training_material_add(
            actor=organiser, event=event, title="讲义", url="https://www.gov.cn/"
        )
    if event.state == Event.PUBLISHED:
        started(event)
    return services.training_attendance_record(
        actor=organiser, registration=registration, attended=False
    )


# "hold" is taken by the first attendance record (walked above as record_attendance).
WALKED = [action for action in EVENT_ACTIONS if action != "hold"]


@pytest.mark.parametrize("state", list(Event))
@pytest.mark.parametrize("action", WALKED)
def test_every_event_edge_through_the_services(state, action, make_event, user):
    event, registration = event_in(state, make_event, user)
    if (state, action) in EVENT_EDGES:
        act_on_event(action, event, registration, user)
        expected = EVENT_EDGES[(state, action)]
        if action == "record_attendance":
            expected = Event.HELD
        assert TrainingEvent.objects.get(pk=event.pk).state == expected
        return
    before = AuditEvent.objects.count()
    with pytest.raises(services.TrainingConflict):
        act_on_event(action, event, registration, user)
    assert TrainingEvent.objects.get(pk=event.pk).state == state
    assert AuditEvent.objects.count() == before


# --- registrations through the services ---------------------------------------------------


def registration_in(state, make_event, user):
    event = make_event(capacity=1)
    seated = services.training_register(actor=user("sme-demo-2"), event=event)
    if state == Registration.WAITLISTED:
        return services.training_register(actor=user("sme-demo"), event=event)
    mine = services.training_register(actor=user("sme-demo"), event=event)
    services.training_registration_cancel(actor=user("sme-demo-2"), registration=seated)
    mine.refresh_from_db()
    assert mine.state == Registration.REGISTERED  # promoted
    if state == Registration.CANCELLED:
        services.training_registration_cancel(actor=user("sme-demo"), registration=mine)
    if state in (Registration.ATTENDED, Registration.ABSENT):
        started(event)
        services.training_attendance_record(
            actor=user("gd-intake"), registration=mine, attended=state == Registration.ATTENDED
        )
    mine.refresh_from_db()
    assert mine.state == state
    return mine


def act_on_registration(action, registration, user):
    if action == "cancel":
        return services.training_registration_cancel(
            actor=user("sme-demo"), registration=registration
        )
    started(registration.event)
    return services.training_attendance_record(
        actor=user("gd-intake"), registration=registration, attended=action == "attended"
    )


@pytest.mark.parametrize("state", list(Registration))
@pytest.mark.parametrize("action", ["cancel", "attended", "absent"])
def test_every_registration_edge_through_the_services(state, action, make_event, user):
    registration = registration_in(state, make_event, user)
    if (state, action) in REGISTRATION_EDGES:
        act_on_registration(action, registration, user)
        registration.refresh_from_db()
        assert registration.state == REGISTRATION_EDGES[(state, action)]
        return
    before = AuditEvent.objects.count()
    with pytest.raises(services.TrainingConflict):
        act_on_registration(action, registration, user)
    registration.refresh_from_db()
    assert registration.state == state
    assert AuditEvent.objects.count() == before
