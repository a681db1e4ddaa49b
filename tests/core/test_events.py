"""The domain-event registry: watchers subscribe, the watched publish plain values."""

from datetime import date

import pytest
from django.db import transaction

from qingqian.complaints import events as complaint_events
from qingqian.core import audit, events
from qingqian.core.events import EventRegistry
from qingqian.core.models import AuditEvent
from qingqian.supervision.dashboard import tallies


@pytest.fixture
def registry():
    return EventRegistry()


def test_handlers_get_the_values_in_subscription_order(registry):
    calls = []
    registry.subscribe("thing.done", lambda **values: calls.append(("first", values)))
    registry.subscribe("thing.done", lambda **values: calls.append(("second", values)))
    registry.subscribe("other.done", lambda **values: calls.append(("other", values)))

    registry.publish("thing.done", thing_id=7, on=date(2026, 3, 2), code="440103")

    values = {"thing_id": 7, "on": date(2026, 3, 2), "code": "440103"}
    assert calls == [("first", values), ("second", values)]


def test_an_event_nobody_watches_does_nothing(registry):
    registry.publish("thing.done", thing_id=7)


def test_a_handler_subscribed_twice_is_called_once(registry):
    calls = []

    def handler(**values):
        calls.append(values)

    registry.subscribe("thing.done", handler)
    registry.subscribe("thing.done", handler)
    registry.publish("thing.done", thing_id=7)

    assert calls == [{"thing_id": 7}]


def test_only_plain_values_cross_the_boundary(registry, user):
    calls = []
    registry.subscribe("thing.done", lambda **values: calls.append(values))

    with pytest.raises(TypeError, match="actor=User is not a plain value"):
        registry.publish("thing.done", actor=user("gd-intake"))
    with pytest.raises(TypeError, match="codes=list"):
        registry.publish("thing.done", codes=["440103"])
    with pytest.raises(TypeError, match="amount=float"):
        registry.publish("thing.done", amount=1.5)

    registry.publish("thing.done", codes=("440103", None), flag=False)
    assert calls == [{"codes": ("440103", None), "flag": False}]


def test_a_handlers_error_rolls_back_the_publishers_act(registry, db):
    """The handler runs inside the publisher's transaction: its write and the
    publisher's are undone together, and the error reaches the publisher."""

    def failing_watcher(**values):
        _record("watcher.counted")
        raise RuntimeError("the watcher failed")

    registry.subscribe("thing.done", failing_watcher)

    with pytest.raises(RuntimeError, match="the watcher failed"):
        _audited_act(registry)

    assert _audit_verbs() == []
    _audited_act(EventRegistry())  # the same act, unwatched, is kept
    assert _audit_verbs() == ["thing.done"]


def test_supervision_watches_the_complaint_workflow(db):
    """The process-wide registry is wired at start-up: a published action is counted."""
    before = +tallies.stored().regions

    events.publish(
        complaint_events.ACTION_RECORDED,
        complaint_id=1,
        event_id=1,
        action="submit",
        day=date(2026, 3, 2),
        department_id=None,
        satisfied=None,
        region_code="440103",
        debtor_type="agency",
    )

    added = tallies.stored().regions
    added.subtract(before)
    assert +added == {
        ("p", "440000", date(2026, 3, 1), "agency", "received"): 1,
        ("c", "440100", date(2026, 3, 1), "agency", "received"): 1,
    }


@transaction.atomic
def _audited_act(registry):
    _record("thing.done")
    registry.publish("thing.done", thing_id=7)


def _record(verb):
    audit.record(actor=None, verb=verb, target=("test.thing", 7))


def _audit_verbs():
    rows = AuditEvent.objects.filter(target_type="test.thing").order_by("seq")
    return list(rows.values_list("verb", flat=True))
