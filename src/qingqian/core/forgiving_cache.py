"""A Redis cache that a Redis outage cannot turn into errors for users.

The shared cache (QINGQIAN_CACHE_URL) holds copies and counters only: cached
public pages, throttle counters, and the cached half of the sessions (whose
other half is the database: SESSION_ENGINE cached_db). So when Redis cannot be
reached every operation behaves as on an empty cache that keeps nothing: a read
misses, a write is dropped, a counter starts again at its first step, and the
request goes on. Throttles therefore fail open while Redis is away
(docs/security.md).

After a failure the cache does not try Redis again for `PAUSE_SECONDS`, so that
an outage costs one refused (or timed-out) connection per process per pause,
not one per operation, and logs one line per outage, not one per request.
"""

from __future__ import annotations

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
PAUSE_SECONDS = 5.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _forgiving(name: str, fallback):
    """RedisCache's method `name`; while Redis is unreachable,
    `fallback(*arguments)` instead."""
    parent = getattr(RedisCache, name)

    @wraps(parent)
    def forgiving(self, *args, **kwargs):
        if time.monotonic() < self.paused_until:
            return fallback(*args, **kwargs)
        try:
            result = parent(self, *args, **kwargs)
        except UNREACHABLE as error:
            self.pause(error)
            return fallback(*args, **kwargs)
        if self.paused_until:
            self.resume()
        return result

    return forgiving


class ForgivingRedisCache(RedisCache):
    paused_until = 0.0  # while in the future, Redis is not tried

    def pause(self, error: Exception) -> None:
        if not self.paused_until:
            logger.error("The cache's Redis cannot be reached, working without it: %s", error)
        self.paused_until = time.monotonic() + PAUSE_SECONDS

    def resume(self) -> None:
        logger.warning("The cache's Redis answers again.")
        self.paused_until = 0.0


# What each operation answers while Redis is away: an empty cache that keeps nothing.
_FALLBACKS = {
    "get": lambda key, default=None, *rest, **options: default,
    "get_many": lambda *args, **options: {},
    "has_key": lambda *args, **options: False,
    "add": lambda *args, **options: False,
    "set": lambda *args, **options: None,
    "set_many": lambda data, *rest, **options: list(data),
    "touch": lambda *args, **options: False,
    "delete": lambda *args, **options: False,
    "delete_many": lambda *args, **options: None,
    # A counter that cannot be read starts again at its first step (fail open).
    "incr": lambda key, delta=1, *rest, **options: delta,
    "clear": lambda: None,
}
for _name, _fallback in _FALLBACKS.items():
    setattr(ForgivingRedisCache, _name, _forgiving(_name, _fallback))
