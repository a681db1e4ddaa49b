"""Two SMEs taking the last seat at the same moment: one gets it, the other goes on
the waiting list. Real threads, real commits (the event row is locked); on SQLite a
file copy of the test database, as in tests/complaints/test_concurrency.py."""

import pytest

from qingqian.accounts.models import User
from qingqian.services.models import TrainingEvent, TrainingRegistration
from qingqian.services.training import services
from tests.complaints.test_concurrency import live_db, race  # noqa: F401 - the fixture
from tests.services.training.events import event_fields

State = TrainingRegistration.State


def register(username, pk):
    actor = User.objects.get(username=username)

    def call():
        services.training_register(actor=actor, event=TrainingEvent.objects.get(pk=pk))

    return call


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_smes_racing_for_the_last_seat(live_db, attempt):  # noqa: F811
    organiser = User.objects.get(username="gd-intake")
    event = services.training_event_save(actor=organiser, **event_fields(capacity=2))
    services.training_event_publish(actor=organiser, event=event)
    services.training_register(actor=User.objects.get(username="sme-js"), event=event)
    outcomes = race(register("sme-demo", event.pk), register("sme-demo-2", event.pk))
    assert outcomes == ["won", "won"], outcomes
    states = sorted(
        TrainingRegistration.objects.filter(event=event).values_list("state", flat=True)
    )
    assert states == sorted([State.REGISTERED, State.REGISTERED, State.WAITLISTED])
    waiting = TrainingRegistration.objects.get(event=event, state=State.WAITLISTED)
    assert waiting.waitlist_number == 1
