"""A task that takes its time, for a worker to be killed in the middle of it."""

import time

from django_tasks import task


@task()
def nap(seconds: int) -> int:
    time.sleep(seconds)
    return seconds
