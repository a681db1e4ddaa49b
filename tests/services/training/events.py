"""An event of the Guangdong SME authority, organised by gd-intake, ahead of now."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qingqian.services.models import TrainingEvent, TrainingMaterial
from qingqian.services.training import services
from tests.files import pdf_bytes

SMES = ("sme-demo", "sme-demo-2", "sme-js")


def event_fields(**overrides) -> dict:
    starts_at = timezone.now() + timedelta(days=10)
    fields = {
        "title": "条例解读培训",
        "description": "讲解条例要点。",
        "topic": TrainingEvent.Topic.REGULATIONS,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3),
        "registration_closes_at": starts_at - timedelta(days=1),
        "place": "广州市越秀区某报告厅",
        "online_url": "",
        "capacity": 2,
    }
    return fields | overrides


@pytest.fixture
def make_event(user):
    def make(*, publish=True, organiser="gd-intake", **overrides) -> TrainingEvent:
        actor = user(organiser)
        event = services.training_event_save(actor=actor, **event_fields(**overrides))
        if publish:
            event = services.training_event_publish(actor=actor, event=event)
        return event

    return make


def started(event: TrainingEvent, *, hours_ago: int = 1) -> TrainingEvent:
    """Move the event's clock: it started `hours_ago` hours ago (time passing, not an act)."""
    starts_at = timezone.now() - timedelta(hours=hours_ago)
    TrainingEvent.objects.filter(pk=event.pk).update(
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        registration_closes_at=starts_at - timedelta(days=1),
    )
    event.refresh_from_db()
    return event


def registration_closed(event: TrainingEvent) -> TrainingEvent:
    TrainingEvent.objects.filter(pk=event.pk).update(
        registration_closes_at=timezone.now() - timedelta(minutes=1)
    )
    event.refresh_from_db()
    return event


def training_event_with_material(organiser) -> tuple[TrainingEvent, TrainingMaterial]:
    """A published event with a PDF handed out (the downloads' test fetches both files)."""
    event = services.training_event_save(actor=organiser, **event_fields())
    event = services.training_event_publish(actor=organiser, event=event)
    material = services.training_material_add(
        actor=organiser, event=event, title="讲义", name="讲义.pdf", data=pdf_bytes("讲义")
    )
    return event, material
