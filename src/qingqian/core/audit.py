"""The append-only audit log, chained by an HMAC keyed outside the database.

Every service calls `audit.record(...)` inside its own transaction, so an
event exists exactly when its change does. Each event's hash is an
HMAC-SHA256, keyed by `QINGQIAN_AUDIT_KEY`, over its content (with the client's
address) and the previous event's hash. Someone who can write the database but
does not hold the key cannot recompute the chain after changing an event;
`verify_chain` names the first event that does not fit.

Each event carries the key id (a fingerprint) of the key that signed it, so
the key can be rotated: the current key signs, earlier keys listed in
`QINGQIAN_AUDIT_OLD_KEYS` still verify what they signed, and a key once
replaced may not sign again later in the chain. Events written before the
chain was keyed carry a plain SHA-256 (scheme "sha256"); they are accepted only
at the start of the chain, before the first keyed event, whose HMAC covers the
last of them.

Deleting the newest events and moving the head back leaves a chain that is
consistent in itself: checkpoints (`write_checkpoint`), copied outside the
database, catch that truncation and any rewrite up to the last checkpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from qingqian.core.client_address import current_client_address
from qingqian.core.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
_HEAD = AuditHead._meta.db_table
SHA256, HMAC_SHA256 = AuditEvent.SCHEME_SHA256, AuditEvent.SCHEME_HMAC


def canonical_json(value) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def json_safe(value):
    """The value as it will be stored: dates and decimals become strings."""
    return json.loads(canonical_json(value))


# --- keys ------------------------------------------------------------------------------------


def key_id(key: str) -> str:
    """A short public name for a key: tells which key signed an event without
    revealing it (a one-way digest of a key of at least 32 characters)."""
    return hashlib.sha256(b"qingqian audit key id\0" + key.encode()).hexdigest()[:12]


def current_key() -> str:
    return settings.QINGQIAN_AUDIT_KEY


def keyring() -> dict[str, str]:
    """Every key that may verify: key id -> key (the current one and the old ones)."""
    keys = [*settings.QINGQIAN_AUDIT_OLD_KEYS, current_key()]
    return {key_id(key): key for key in keys}


def _mac(key: str, body: str) -> str:
    return hmac.new(key.encode(), body.encode("utf-8"), hashlib.sha256).hexdigest()


# --- hashing events --------------------------------------------------------------------------


def _legacy_body(fields: dict) -> dict:
    """What the plain SHA-256 of the events written before the switch covers."""
    return {
        "seq": fields["seq"],
        "at": fields["occurred_at"].astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": fields["actor_id"],
        "org": fields["organisation_id"],
        "verb": fields["verb"],
        "target": [fields["target_type"], str(fields["target_id"])],
        "payload": fields["payload"],
        "prev": fields["prev_hash"],
    }


def event_hash(*, key: str, **fields) -> str:
    """The HMAC of one event: its content, client address, key id and the previous hash."""
    body = {
        **_legacy_body(fields),
        "client": fields["client_address"],
        "scheme": HMAC_SHA256,
        "key": key_id(key),
    }
    return _mac(key, canonical_json(body))


def legacy_event_hash(**fields) -> str:
    """The plain SHA-256 of an event written before the chain was keyed."""
    return hashlib.sha256(canonical_json(_legacy_body(fields)).encode("utf-8")).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict:
    return {
        "seq": event.seq,
        "occurred_at": event.occurred_at,
        "actor_id": event.actor_id,
        "organisation_id": event.organisation_id,
        "verb": event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "payload": event.payload,
        "client_address": event.client_address,
        "prev_hash": event.prev_hash,
    }


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
        "client_address": current_client_address(),
        "prev_hash": prev_hash,
    }
    key = current_key()
    event = AuditEvent(
        **fields, scheme=HMAC_SHA256, key_id=key_id(key), hash=event_hash(key=key, **fields)
    )
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


# --- verifying -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """One line of a checkpoint file: the chain's head at a moment, signed."""

    line: int
    seq: int
    hash: str


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    legacy_events: int = 0  # plain SHA-256 events from before the chain was keyed
    checkpoints: int = 0


@dataclass
class _Walk:
    keys: dict[str, str]
    prev_hash: str = GENESIS_HASH
    expected_seq: int = 1
    legacy: int = 0
    signers: list[str] = field(default_factory=list)  # key ids, in the order they signed


def _legacy_fault(event: AuditEvent, walk: _Walk) -> str:
    if walk.signers:
        return "an unkeyed (plain SHA-256) event after keyed ones: the chain was rewritten"
    if event.client_address or event.key_id:
        return "an unkeyed event carries fields its hash does not cover"
    if not hmac.compare_digest(legacy_event_hash(**_hashed_fields(event)), event.hash):
        return "content does not match its hash"
    return ""


def _keyed_fault(event: AuditEvent, walk: _Walk) -> str:
    key = walk.keys.get(event.key_id)
    if key is None:
        return (
            f"signed with an unknown audit key (id {event.key_id!r}): rewritten without the "
            "key, or an earlier key is missing from QINGQIAN_AUDIT_OLD_KEYS"
        )
    if event.key_id in walk.signers[:-1]:
        return f"signed with audit key {event.key_id!r} after that key was replaced"
    if not hmac.compare_digest(event_hash(key=key, **_hashed_fields(event)), event.hash):
        return "content does not match its hash (altered, or hashed without the audit key)"
    return ""


def _event_fault(event: AuditEvent, walk: _Walk) -> str:
    if event.prev_hash != walk.prev_hash:
        return "previous-hash link broken (an event was removed)"
    if event.scheme == SHA256:
        return _legacy_fault(event, walk)
    if event.scheme == HMAC_SHA256:
        return _keyed_fault(event, walk)
    return f"unknown hash scheme {event.scheme!r}"


def _checkpoint_fault(event: AuditEvent, checkpoints: dict[int, list[Checkpoint]]) -> str:
    for checkpoint in checkpoints.get(event.seq, ()):
        if checkpoint.hash != event.hash:
            return f"does not match checkpoint line {checkpoint.line}: the chain was rewritten"
    return ""


def verify_chain(checkpoints: Iterable[Checkpoint] = ()) -> ChainReport:
    """Walk the whole chain in order; stop at the first event that does not fit.
    Each checkpoint's event must still carry the hash the checkpoint saw."""
    checkpoints = list(checkpoints)
    by_seq: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        by_seq.setdefault(checkpoint.seq, []).append(checkpoint)
    walk = _Walk(keys=keyring())

    def broken(seq: int, reason: str) -> ChainReport:
        checked = walk.expected_seq - 1
        return ChainReport(False, checked, seq, reason, walk.legacy, len(checkpoints))

    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != walk.expected_seq:
            return broken(walk.expected_seq, f"event #{walk.expected_seq} is missing")
        fault = _event_fault(event, walk) or _checkpoint_fault(event, by_seq)
        if fault:
            return broken(event.seq, fault)
        if event.scheme == SHA256:
            walk.legacy += 1
        elif not walk.signers or walk.signers[-1] != event.key_id:
            walk.signers.append(event.key_id)
        walk.prev_hash, walk.expected_seq = event.hash, walk.expected_seq + 1
    checked = walk.expected_seq - 1
    for checkpoint in checkpoints:
        if checkpoint.seq > checked:
            return broken(
                checked + 1,
                f"checkpoint line {checkpoint.line} names event #{checkpoint.seq} but the chain "
                f"ends at #{checked}: events were removed",
            )
        if checkpoint.seq == 0 and checkpoint.hash != GENESIS_HASH:
            return broken(1, f"checkpoint line {checkpoint.line} does not match the empty chain")
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != checked or head.hash != walk.prev_hash):
        return broken(checked + 1, "events after the last one were removed")
    return ChainReport(True, checked, legacy_events=walk.legacy, checkpoints=len(checkpoints))


# --- checkpoints outside the database --------------------------------------------------------


class CheckpointError(ValueError):
    """A checkpoint file that cannot be trusted: unreadable, or a line altered."""


def chain_head() -> tuple[int, str]:
    """The chain's tip as committed: (seq, hash); (0, genesis) for an empty chain."""
    head = AuditHead.objects.filter(pk=1).first()
    return (head.seq, head.hash) if head is not None else (0, GENESIS_HASH)


def checkpoint_file() -> Path:
    return Path(settings.QINGQIAN_AUDIT_CHECKPOINT_FILE)


def _signed_fields(line: dict) -> str:
    return canonical_json({name: line[name] for name in ("seq", "hash", "time", "key")})


def checkpoint_line() -> dict:
    """The head, when and under which key, with an HMAC of all of it."""
    seq, head_hash = chain_head()
    key = current_key()
    line = {
        "seq": seq,
        "hash": head_hash,
        "time": timezone.now().astimezone(UTC).isoformat(timespec="seconds"),
        "key": key_id(key),
    }
    return {**line, "mac": _mac(key, _signed_fields(line))}


def write_checkpoint(path: Path | None = None) -> dict:
    """Append the current head to the checkpoint file, synced to disk."""
    path = Path(path or checkpoint_file())
    path.parent.mkdir(parents=True, exist_ok=True)
    line = checkpoint_line()
    with path.open("a", encoding="utf-8") as file:
        file.write(canonical_json(line) + "\n")
        file.flush()
        os.fsync(file.fileno())
    return line


class ChainBroken(Exception):
    """The chain does not verify: no checkpoint may vouch for it."""


def checkpoint_if_intact(path: Path | None = None) -> dict:
    """Verify the chain, then append its head to the checkpoint file; a
    checkpoint of a rewritten chain would vouch for the rewrite."""
    report = verify_chain()
    if not report.ok:
        raise ChainBroken(f"audit log BROKEN at event #{report.broken_seq}: {report.reason}")
    return write_checkpoint(path)


def _parse_checkpoint(number: int, text: str, keys: dict[str, str]) -> Checkpoint:
    try:
        line = json.loads(text)
        signed = _signed_fields(line)
        seq, head_hash, mac = int(line["seq"]), str(line["hash"]), str(line["mac"])
        signer = str(line["key"])
    except (ValueError, TypeError, KeyError):
        raise CheckpointError(f"checkpoint line {number} is not a checkpoint") from None
    key = keys.get(signer)
    if key is None:
        raise CheckpointError(
            f"checkpoint line {number} was signed with an unknown audit key ({signer!r})"
        )
    if not hmac.compare_digest(_mac(key, signed), mac):
        raise CheckpointError(f"checkpoint line {number} was altered (its HMAC does not match)")
    return Checkpoint(line=number, seq=seq, hash=head_hash)


def read_checkpoints(path: Path) -> list[Checkpoint]:
    """Every line of a checkpoint file, each checked against its HMAC."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CheckpointError(f"cannot read the checkpoint file {path}: {error}") from error
    keys = keyring()
    return [
        _parse_checkpoint(number, line, keys)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def latest_checkpoint(path: Path | None = None) -> str:
    """The last line of the checkpoint file as written; '' when there is none or
    the file cannot be read (printed on reports for an auditor to compare)."""
    try:
        lines = Path(path or checkpoint_file()).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return next((line.strip() for line in reversed(lines) if line.strip()), "")
