"""The task queue on Redis: django-tasks-rq's backend with retries and chosen job ids.

A job that fails, or that RQ finds abandoned because its worker died (the
scheduler sweeps for those, `sweep_abandoned`), is tried again up to
`RETRIES` more times after growing pauses; every task is idempotent, so a
second run finishes the work or does nothing. The outbox sends each entry as
a job named after it (`outbox.job_id`), so that a relay can tell an entry that already reached
Redis from one that did not.
"""

from __future__ import annotations

import time

import django_rq
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq.backend import Job, RQBackend, failed_callback, success_callback
from rq import Callback, Retry
from rq.job import JobStatus
from rq.registry import StartedJobRegistry

# Seconds before each retry: after a kill the import's lease (a few minutes)
# must have lapsed before a retry can reclaim it, hence the later steps.
RETRY_INTERVALS = [30, 120, 600]
RETRIES = len(RETRY_INTERVALS)


class RetryingRQBackend(RQBackend):
    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        return self.enqueue_as(task, args, kwargs, job_id=get_random_id())

    def enqueue_as(self, task: Task, args, kwargs, *, job_id: str) -> TaskResult:
        """RQBackend.enqueue (django-tasks-rq 0.12), with a retry policy and the
        job id given."""
        self.validate_task(task)
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=job_id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
            retry=Retry(max=RETRIES, interval=RETRY_INTERVALS),
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        result = TaskResult(
            task=task,
            id=job_id,
            status=TaskResultStatus.READY,
            enqueued_at=job.enqueued_at,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        task_enqueued.send(type(self), task_result=result)
        return result

    def check(self, **kwargs):
        """django-tasks-rq's checks, but the one asking for the django_rq app:
        RQ is used through `qingqian worker`, not django_rq's admin and commands."""
        for message in super().check(**kwargs):
            if "django_rq app not installed" not in message.msg:
                yield message

    def job_exists(self, job_id: str) -> bool:
        return Job.exists(job_id, connection=django_rq.get_connection())

    def queue_names(self) -> list[str]:
        return sorted(self.queues)


def sweep_abandoned(backend: RetryingRQBackend, *, at: float | None = None) -> None:
    """Hand back to its queue (or fail, past its retries) every job whose worker
    stopped sending heartbeats (as of `at`, a Unix time; default now): RQ
    notices only when a registry is cleaned."""
    for name in backend.queue_names():
        queue = django_rq.get_queue(name, job_class=Job)
        StartedJobRegistry(queue=queue, job_class=Job).cleanup(timestamp=at)
        _enqueue_due_retries(queue)


def _enqueue_due_retries(queue) -> None:
    """Put the retries whose pause is over on the queue. A worker's own RQ
    scheduler does this, but one that was killed keeps its scheduler lock for
    minutes, and the workers started after it take that lock over only at
    their maintenance (ten minutes): the killed job would wait that long. If a
    worker's scheduler moves the same job at the same moment, it runs twice,
    which every task allows (ADR 12)."""
    registry = queue.scheduled_job_registry
    due = registry.get_jobs_to_schedule(int(time.time()))
    if not due:
        return
    with queue.connection.pipeline() as pipeline:
        for job in Job.fetch_many(due, connection=queue.connection):
            if job is not None:
                queue._enqueue_job(job, pipeline=pipeline)
        for job_id in due:
            registry.remove(job_id, pipeline=pipeline)
        pipeline.execute()
