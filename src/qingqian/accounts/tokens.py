"""API tokens are stored only as their SHA-256: a copy of the database names no
usable token. Issuing (accounts.services) and checking (api.auth) hash alike."""

import hashlib


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
