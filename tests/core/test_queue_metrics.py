"""The queue's gauges for Prometheus, read at scrape time."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from prometheus_client import CollectorRegistry

from qingqian.core.models import OutboxEntry
from qingqian.core.queue import enqueue_with_change
from qingqian.core.queue_metrics import QueueCollector
from tests.core.test_outbox import REDIS_DOWN, remember


def scrape():
    registry = CollectorRegistry()
    registry.register(QueueCollector())
    return registry.get_sample_value


@pytest.mark.django_db
def test_the_database_queue_depth_and_age(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    remember.enqueue("a")
    remember.enqueue("b")
    value = scrape()
    assert value("qingqian_queue_depth", {"queue": "default"}) == 2
    assert value("qingqian_queue_oldest_age_seconds", {"queue": "default"}) >= 0
    assert value("qingqian_outbox_pending") == 0
    assert value("qingqian_outbox_oldest_age_seconds") == 0


@pytest.mark.django_db(transaction=True)
def test_the_redis_queue_and_the_outbox_while_redis_is_down(redis_queue, settings):
    with transaction.atomic():
        enqueue_with_change(remember, "sent")
    assert scrape()("qingqian_queue_depth", {"queue": "default"}) == 1

    reachable = settings.RQ_QUEUES
    settings.RQ_QUEUES = {"default": {**reachable["default"], "URL": REDIS_DOWN}}
    with transaction.atomic():
        enqueue_with_change(remember, "kept")
    OutboxEntry.objects.filter(sent_at=None).update(
        created_at=timezone.now() - timedelta(minutes=2)
    )
    value = scrape()
    assert value("qingqian_queue_depth", {"queue": "default"}) is None  # unreadable: left out
    assert value("qingqian_outbox_pending") == 1
    assert 120 <= value("qingqian_outbox_oldest_age_seconds") < 180
