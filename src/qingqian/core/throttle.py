"""A per-hour count of requests under a key (a client address, an e-mail
address): the public forms' guard against floods. Kept in the cache, so with
several app servers the cache must be shared (QINGQIAN_CACHE_URL)."""

from django.core.cache import cache


def over_limit(key: str, per_hour: int) -> bool:
    """Counts one request under `key` for an hour; True past `per_hour`."""
    key = f"qingqian:throttle:{key}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > per_hour
