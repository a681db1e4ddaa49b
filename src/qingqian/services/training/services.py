"""Audited writes of training events (培训).

An SME authority's official drafts an event, publishes it and may cancel it; SME
users register while seats remain, then join the waiting list in order; a seat
freed goes to the first waiting, who is told in the inbox. After the start the
organiser records who attended, which marks the event held.

Every service that touches seats locks the event row first (select_for_update),
so two SMEs taking the last seat at once cannot both get it. A refusal is a
ValidationError naming the field, and writes nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, require_perm
from qingqian.core import audit, evidence_files
from qingqian.core.regions import province_code_of
from qingqian.services.models import TrainingEvent, TrainingMaterial, TrainingRegistration
from qingqian.services.training import notices, selectors, verbs
from qingqian.services.training.transitions import (
    EVENT_TRANSITIONS,
    LIVE,
    REGISTRATION_TRANSITIONS,
    SEAT_HOLDING,
)

Event = TrainingEvent.State
Registration = TrainingRegistration.State

MAX_TITLE = 200
MAX_TEXT = 5_000
MAX_CAPACITY = 100_000
# The changes to a published event that those registered must hear of.
WHEN_AND_WHERE = frozenset({"starts_at", "ends_at", "place", "online_url"})


class TrainingConflict(ValidationError):
    """The action does not fit the state of the event or registration."""


# --- organising ---------------------------------------------------------------------------


@transaction.atomic
def training_event_save(
    *,
    actor,
    event: TrainingEvent | None = None,
    title: str,
    description: str,
    topic: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    registration_closes_at: datetime | None,
    place: str,
    online_url: str,
    capacity: int | None,
) -> TrainingEvent:
    """Create an event of the actor's authority (event None), or edit one in the
    actor's scope while it is a draft or published. More seats on a published event
    go to the waiting list in its order; those registered are told of a new time or
    place."""
    require_perm(actor, Perm.TRAINING_MANAGE)
    if event is None:
        organiser = _organiser_of(actor)
        event = TrainingEvent(
            organiser=organiser,
            province_code=province_code_of(organiser.region_code),
            created_by=actor,
        )
        before = {}
    else:
        event = _locked_event(actor, event, "edit")
        before = _event_fields(event)
    fields = _valid_event_fields(
        event,
        title=title,
        description=description,
        topic=topic,
        starts_at=starts_at,
        ends_at=ends_at,
        registration_closes_at=registration_closes_at,
        place=place,
        online_url=online_url,
        capacity=capacity,
    )
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    promoted = _fill_seats(event)
    changed = {
        name: value for name, value in _event_fields(event).items() if before.get(name) != value
    }
    if before and changed.keys() & WHEN_AND_WHERE and event.state == Event.PUBLISHED:
        notices.event_moved(event, _live_registrants(event))
    audit.record(
        actor=actor,
        verb=verbs.TRAINING_EVENT_SAVE,
        target=event,
        payload={"created": not before, "changed": changed, "promoted": promoted},
    )
    return event


@transaction.atomic
def training_event_publish(*, actor, event: TrainingEvent) -> TrainingEvent:
    """The draft goes on the public list; it must still lie ahead."""
    event = _locked_event(actor, event, "publish")
    if event.registration_closes_at <= timezone.now():
        raise ValidationError(
            {"registration_closes_at": _("Registration has already closed: change the dates.")}
        )
    return _move_event(actor, event, "publish", verbs.TRAINING_EVENT_PUBLISH)


@transaction.atomic
def training_event_cancel(*, actor, event: TrainingEvent, note: str) -> TrainingEvent:
    """The event will not take place: every live registration ends and its SME is told.
    The note is shown on the event's public page."""
    event = _locked_event(actor, event, "cancel")
    note = _required_text(note, "note", _("Say why the event is cancelled."), MAX_TEXT)
    registrations = list(event.registrations.filter(state__in=LIVE).select_related("user"))
    for registration in registrations:
        _move_registration(registration, "cancel")
    event.cancellation_note = note
    event = _move_event(
        actor,
        event,
        "cancel",
        verbs.TRAINING_EVENT_CANCEL,
        {"note": note, "registrations": [r.pk for r in registrations]},
    )
    notices.event_cancelled(event, [r.user for r in registrations])
    return event


@transaction.atomic
def training_attendance_record(
    *, actor, registration: TrainingRegistration, attended: bool
) -> TrainingRegistration:
    """The organiser records whether the SME came; possible once the event has
    started. The first record marks a published event held."""
    event = _locked_event(actor, registration.event, "record_attendance")
    if not isinstance(attended, bool):
        raise ValidationError({"attended": _("Say whether the SME attended.")})
    if timezone.now() < event.starts_at:
        raise ValidationError(
            {"attended": _("Attendance can be recorded once the event has started.")}
        )
    registration = TrainingRegistration.objects.select_for_update().get(pk=registration.pk)
    action = "attended" if attended else "absent"
    if not REGISTRATION_TRANSITIONS.allowed(registration.state, action):
        raise TrainingConflict({"attended": _("Only a registration holding a seat can be marked.")})
    before = registration.state
    _move_registration(registration, action)
    held = event.state == Event.PUBLISHED
    if held:
        event.state = EVENT_TRANSITIONS.next_state(event.state, "hold")
        event.save(update_fields=["state"])
    audit.record(
        actor=actor,
        verb=verbs.TRAINING_ATTENDANCE_RECORD,
        target=registration,
        payload={"event": event.pk, "from": before, "to": registration.state, "held": held},
    )
    return registration


@transaction.atomic
def training_material_add(
    *,
    actor,
    event: TrainingEvent,
    title: str,
    name: str = "",
    data: bytes | None = None,
    url: str = "",
) -> TrainingMaterial:
    """A file (checked like evidence: by its content, size-limited) or a link, shown
    on the event's public page once it is published."""
    event = _locked_event(actor, event, "add_material")
    errors: dict[str, str] = {}
    title = _text(title, "title", _("Give the material a title."), MAX_TITLE, errors)
    url = url.strip() if isinstance(url, str) else ""
    if bool(data) == bool(url):
        errors["file"] = _("Attach a file or give a link, not both.")
    elif url:
        _check_url(url, "url", errors)
    if errors:
        raise ValidationError(errors)
    material = TrainingMaterial(event=event, title=title, url=url, added_by=actor)
    if data:
        content_type = evidence_files.checked_content_type(data)
        for field, value in evidence_files.stored_evidence(name, data, content_type).items():
            setattr(material, field, value)
    material.save()
    payload = {"event": event.pk, "title": title, "url": url}
    if data:
        payload |= {"name": material.original_name, "sha256": material.sha256}
    audit.record(actor=actor, verb=verbs.TRAINING_MATERIAL_ADD, target=material, payload=payload)
    return material


# --- registering --------------------------------------------------------------------------


@transaction.atomic
def training_register(*, actor, event: TrainingEvent) -> TrainingRegistration:
    """An SME user registers their enterprise: a seat while seats remain, else a place
    at the end of the waiting list. Refused once registration has closed, and for an
    event that is not open (cancelled, held, a draft)."""
    require_perm(actor, Perm.TRAINING_REGISTER)
    if getattr(actor, "enterprise_id", None) is None:
        raise PermissionDenied(_("Your account is not yet bound to your enterprise."))
    event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    if not EVENT_TRANSITIONS.allowed(event.state, "register"):
        raise TrainingConflict({"event": _("This event is not open for registration.")})
    if timezone.now() >= event.registration_closes_at:
        raise TrainingConflict({"event": _("Registration for this event has closed.")})
    if selectors.my_live_registration(actor=actor, event=event) is not None:
        raise TrainingConflict({"event": _("You are already registered for this event.")})
    registration = TrainingRegistration(event=event, user=actor, enterprise_id=actor.enterprise_id)
    if selectors.seats_left(event) > 0:
        registration.state = Registration.REGISTERED
    else:
        registration.state = Registration.WAITLISTED
        registration.waitlist_number = _next_waitlist_number(event)
    registration.save()
    audit.record(
        actor=actor,
        verb=verbs.TRAINING_REGISTER,
        target=registration,
        payload={"event": event.pk, "state": registration.state},
    )
    return registration


@transaction.atomic
def training_registration_cancel(
    *, actor, registration: TrainingRegistration
) -> TrainingRegistration:
    """The SME user withdraws before the start; a seat freed goes to the first on
    the waiting list, who is told."""
    if actor is None or registration.user_id != actor.pk:
        raise PermissionDenied(_("This registration is not yours."))
    event = TrainingEvent.objects.select_for_update().get(pk=registration.event_id)
    registration = TrainingRegistration.objects.select_for_update().get(pk=registration.pk)
    if not REGISTRATION_TRANSITIONS.allowed(registration.state, "cancel"):
        raise TrainingConflict({"registration": _("This registration can no longer be cancelled.")})
    if timezone.now() >= event.starts_at:
        raise TrainingConflict({"registration": _("The event has started: it is too late.")})
    before = registration.state
    _move_registration(registration, "cancel")
    promoted = _fill_seats(event)
    audit.record(
        actor=actor,
        verb=verbs.TRAINING_REGISTRATION_CANCEL,
        target=registration,
        payload={"event": event.pk, "from": before, "promoted": promoted},
    )
    return registration


# --- the machinery ------------------------------------------------------------------------


def _organiser_of(actor) -> Organisation:
    organiser = selectors.organisers_for(actor).first()
    if organiser is None:
        raise PermissionDenied(_("Only an SME authority's officials organise training events."))
    return organiser


def _locked_event(actor, event: TrainingEvent, action: str) -> TrainingEvent:
    """The event, locked, if the actor may organise it (else a 404's refusal) and the
    action starts from its state."""
    require_perm(actor, Perm.TRAINING_MANAGE)
    if not selectors.event_list(actor=actor).filter(pk=event.pk).exists():
        raise PermissionDenied(_("You may not organise this event."))
    event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    if not EVENT_TRANSITIONS.allowed(event.state, action):
        raise TrainingConflict(
            {
                "state": _("This is not possible while the event is %(state)s.")
                % {"state": event.get_state_display()}
            }
        )
    return event


def _move_event(actor, event: TrainingEvent, action: str, verb: str, payload=None):
    before = event.state
    event.state = EVENT_TRANSITIONS.next_state(event.state, action)
    event.save()
    audit.record(
        actor=actor,
        verb=verb,
        target=event,
        payload={"from": before, "to": event.state, **(payload or {})},
    )
    return event


def _move_registration(registration: TrainingRegistration, action: str) -> None:
    registration.state = REGISTRATION_TRANSITIONS.next_state(registration.state, action)
    registration.save(update_fields=["state"])


def _fill_seats(event: TrainingEvent) -> list[int]:
    """Give the free seats of a published event that has not started to the waiting
    list, first come first served; tell each person promoted. The event is locked."""
    if event.state != Event.PUBLISHED or timezone.now() >= event.starts_at:
        return []
    free = selectors.seats_left(event)
    waiting = list(
        event.registrations.select_for_update()
        .filter(state=Registration.WAITLISTED)
        .order_by("waitlist_number")[:free]
    )
    for registration in waiting:
        _move_registration(registration, "promote")
        audit.record(
            actor=None,
            verb=verbs.TRAINING_REGISTRATION_PROMOTE,
            target=registration,
            payload={"event": event.pk, "waitlist_number": registration.waitlist_number},
        )
        notices.seat_given(registration)
    return [registration.pk for registration in waiting]


def _live_registrants(event: TrainingEvent) -> list:
    live = event.registrations.filter(state__in=LIVE).select_related("user")
    return [registration.user for registration in live]


def _next_waitlist_number(event: TrainingEvent) -> int:
    last = event.registrations.aggregate(last=Max("waitlist_number"))["last"]
    return (last or 0) + 1


def _event_fields(event: TrainingEvent) -> dict:
    return audit.json_safe(
        {
            "title": event.title,
            "description": event.description,
            "topic": event.topic,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "registration_closes_at": event.registration_closes_at,
            "place": event.place,
            "online_url": event.online_url,
            "capacity": event.capacity,
        }
    )


def _valid_event_fields(event: TrainingEvent, **given) -> dict:
    errors: dict[str, str] = {}
    fields = {
        "title": _text(given["title"], "title", _("Give the event a title."), MAX_TITLE, errors),
        "description": _text(given["description"], "description", "", MAX_TEXT, errors),
        "place": _text(given["place"], "place", "", MAX_TITLE, errors),
        "online_url": (given["online_url"] or "").strip(),
        "topic": given["topic"],
        "capacity": given["capacity"],
    }
    if fields["topic"] not in TrainingEvent.Topic.values:
        errors["topic"] = _("Choose the topic.")
    if fields["online_url"]:
        _check_url(fields["online_url"], "online_url", errors)
    elif not fields["place"] and "place" not in errors:
        errors["place"] = _("Give the place, or an online link.")
    fields.update(_valid_times(event, given, errors))
    _check_capacity(event, fields["capacity"], errors)
    if errors:
        raise ValidationError(errors)
    return fields


def _valid_times(event: TrainingEvent, given: dict, errors: dict) -> dict:
    times = {}
    for name in ("starts_at", "ends_at", "registration_closes_at"):
        value = given[name]
        if not isinstance(value, datetime) or timezone.is_naive(value):
            errors[name] = _("Give a date and time.")
        times[name] = value
    if errors.keys() & times.keys():
        return times
    if times["starts_at"] != event.starts_at and times["starts_at"] <= timezone.now():
        errors["starts_at"] = _("The event must start in the future.")
    if times["ends_at"] <= times["starts_at"]:
        errors["ends_at"] = _("The event must end after it starts.")
    if times["registration_closes_at"] > times["starts_at"]:
        errors["registration_closes_at"] = _("Registration must close by the start.")
    return times


def _check_capacity(event: TrainingEvent, capacity, errors: dict) -> None:
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 1:
        errors["capacity"] = _("Give the number of seats (at least 1).")
    elif capacity > MAX_CAPACITY:
        errors["capacity"] = _("At most %(limit)s seats.") % {"limit": MAX_CAPACITY}
    elif event.pk is not None:
        taken = event.registrations.filter(state__in=SEAT_HOLDING).count()
        if capacity < taken:
            errors["capacity"] = _(
                "%(taken)s seats are already taken: the event cannot have fewer."
            ) % {"taken": taken}


def _check_url(url: str, field: str, errors: dict) -> None:
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        errors[field] = _("Give a web address starting with https://.")


def _text(value, field: str, missing: str, max_length: int, errors: dict) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if not value and missing:
        errors[field] = missing
    elif len(value) > max_length:
        errors[field] = _("Keep this under %(limit)s characters.") % {"limit": max_length}
    return value


def _required_text(value, field: str, missing: str, max_length: int) -> str:
    errors: dict[str, str] = {}
    value = _text(value, field, missing, max_length, errors)
    if errors:
        raise ValidationError(errors)
    return value
