"""The demo's training: two published events in Guangdong, one with a seat left;
seeding again changes nothing (the test database is seeded once already)."""

import pytest

from qingqian.core.models import AuditEvent
from qingqian.services.models import TrainingEvent
from qingqian.services.training.demo import EVENTS, seed_demo_training
from qingqian.services.training.selectors import public_events

pytestmark = pytest.mark.django_db


def test_two_published_events_in_the_demo_province_one_nearly_full():
    titles = [row[0] for row in EVENTS]
    events = {event.title: event for event in public_events("440000").filter(title__in=titles)}
    assert set(events) == set(titles)
    assert sorted(event.seats_left for event in events.values()) == [1, 200]


def test_seeding_again_changes_nothing():
    before = (TrainingEvent.objects.count(), AuditEvent.objects.count())
    seed_demo_training()
    assert (TrainingEvent.objects.count(), AuditEvent.objects.count()) == before
