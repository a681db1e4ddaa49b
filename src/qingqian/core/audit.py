"""The append-only, hash-chained audit log.

Every service calls `audit.record(...)` inside its own transaction, so an
event exists exactly when its change does. Each event's hash covers its
content and the previous event's hash; `verify_chain` recomputes the chain and
names the first event that does not fit (altered, inserted or deleted rows).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from qingqian.core.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
_HEAD = AuditHead._meta.db_table


def canonical_json(value) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def json_safe(value):
    """The value as it will be stored: dates and decimals become strings."""
    return json.loads(canonical_json(value))


def event_hash(
    *, seq, occurred_at, actor_id, organisation_id, verb, target_type, target_id, payload, prev_hash
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": actor_id,
            "org": organisation_id,
            "verb": verb,
            "target": [target_type, str(target_id)],
            "payload": payload,
            "prev": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def target_of(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    if isinstance(obj, models.Model):
        return obj._meta.label_lower, str(obj.pk)
    label, pk = obj
    return label, str(pk)


def record(*, actor, verb: str, target=None, payload: dict | None = None) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the change's transaction")
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    organisation_id = getattr(actor, "organisation_id", None) if actor_id else None
    target_type, target_id = target_of(target)
    clean_payload = json_safe(payload or {})
    seq, prev_hash = _locked_head()
    fields = {
        "seq": seq + 1,
        "occurred_at": timezone.now(),
        "actor_id": actor_id,
        "organisation_id": organisation_id,
        "verb": verb,
        "target_type": target_type,
        "target_id": target_id,
        "payload": clean_payload,
        "prev_hash": prev_hash,
    }
    event = AuditEvent(**fields, hash=event_hash(**fields))
    event.save()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_HEAD} SET seq = %s, hash = %s WHERE id = 1",  # nosec B608 # our table
            [event.seq, event.hash],
        )
    return event


def _locked_head() -> tuple[int, str]:
    """The chain's tip, locked until the change commits (on SQLite the one
    writer holds the whole database). Plain SQL: it runs for every change."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    select = f"SELECT seq, hash FROM {_HEAD} WHERE id = 1{lock}"  # nosec B608 # no input
    with connection.cursor() as cursor:
        cursor.execute(select)
        head = cursor.fetchone()
        if head is None:
            cursor.execute(
                f"INSERT INTO {_HEAD} (id, seq, hash) VALUES (1, 0, %s) "
                "ON CONFLICT (id) DO NOTHING",  # nosec B608 # our table; the hash is bound
                [GENESIS_HASH],
            )
            cursor.execute(select)
            head = cursor.fetchone()
    return head


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain() -> ChainReport:
    """Walk the whole chain in order; stop at the first event that does not fit."""
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, f"event #{expected_seq} is missing")
        if event.prev_hash != prev_hash:
            return ChainReport(
                False, checked, event.seq, "previous-hash link broken (an event was removed)"
            )
        recomputed = event_hash(
            seq=event.seq,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            organisation_id=event.organisation_id,
            verb=event.verb,
            target_type=event.target_type,
            target_id=event.target_id,
            payload=event.payload,
            prev_hash=event.prev_hash,
        )
        if recomputed != event.hash:
            return ChainReport(False, checked, event.seq, "content does not match its hash")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != checked or head.hash != prev_hash):
        return ChainReport(False, checked, checked + 1, "events after the last one were removed")
    return ChainReport(True, checked)
