"""Background work queued with the change that calls for it."""

import pytest
from django.db import transaction
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from qingqian.core.queue import enqueue_with_change

RAN: list[str] = []


@task()
def remember(word: str) -> str:
    RAN.append(word)
    return word


class Refused(Exception):
    pass


@pytest.fixture(autouse=True)
def forget():
    RAN.clear()


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_writes_the_task_in_the_change(database_queue):
    with transaction.atomic():
        enqueue_with_change(remember, "kept")
        queued = DBTaskResult.objects.get()  # already there, inside the transaction
    assert queued.args_kwargs == {"args": ["kept"], "kwargs": {}}
    assert queued.status == "READY"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_task(database_queue):
    with pytest.raises(Refused), transaction.atomic():
        enqueue_with_change(remember, "lost")
        raise Refused
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_queue_outside_the_database_gets_the_task_after_the_commit(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with transaction.atomic():
        enqueue_with_change(remember, "later")
        assert RAN == []  # not while the change may still be refused
    assert RAN == ["later"]
    with pytest.raises(Refused), transaction.atomic():
        enqueue_with_change(remember, "never")
        raise Refused
    assert RAN == ["later"]
    assert not DBTaskResult.objects.exists()
