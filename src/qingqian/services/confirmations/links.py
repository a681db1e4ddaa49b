"""The one-time link of a printed request: a token derived from the request with
the site's secret key (so the printable request can be made again without
storing it), of which the database keeps only the SHA-256 to find the request.
The link works while the request awaits its answer and until the answer's due
date; the answer empties the stored hash, so it works once."""

from __future__ import annotations

import hashlib
from datetime import UTC

from django.utils.crypto import salted_hmac

KEY_SALT = "qingqian.services.confirmations.links"


def link_token(request) -> str:
    made = request.created_at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
    value = f"{request.pk}:{request.sme_id}:{request.debtor_id}:{made}"
    return salted_hmac(KEY_SALT, value, algorithm="sha256").hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
