import json

import pytest
from django.conf import settings
from django.db import connection, transaction

from qingqian.cli import main
from qingqian.core import audit
from qingqian.core.models import AppendOnlyError, AuditEvent, AuditHead


def append(verb="test.event", payload=None):
    with transaction.atomic():
        return audit.record(actor=None, verb=verb, target=("test.thing", 7), payload=payload or {})


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def chain(db):
    return [append(payload={"n": n, "text": "清欠 ✓"}) for n in range(3)]


def test_events_chain_by_hash(chain):
    first, second, third = chain
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert second.seq == first.seq + 1
    assert audit.verify_chain().ok


def test_record_refuses_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        audit.record(actor=None, verb="test.event")


def test_payload_is_stored_canonically(db):
    from datetime import date
    from decimal import Decimal

    event = append(payload={"when": date(2026, 10, 20), "rate": Decimal("3.45")})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.payload == {"when": "2026-10-20", "rate": "3.45"}
    assert audit.verify_chain().ok


def test_altered_payload_is_detected_and_named(chain):
    victim = chain[1]
    raw("UPDATE core_auditevent SET payload = %s WHERE id = %s", ['{"n": 99}', victim.pk])
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_seq == victim.seq
    assert "hash" in report.reason


def test_altered_verb_is_detected(chain):
    raw("UPDATE core_auditevent SET verb = %s WHERE id = %s", ["x.y", chain[0].pk])
    assert audit.verify_chain().broken_seq == chain[0].seq


def test_deleted_event_is_detected(chain):
    raw("DELETE FROM core_auditevent WHERE id = %s", [chain[1].pk])
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == chain[1].seq


def test_deleted_last_event_is_detected(chain):
    raw("DELETE FROM core_auditevent WHERE id = %s", [chain[2].pk])
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == chain[2].seq


def test_inserted_event_is_detected(chain):
    """A forged row slipped in with the next free seq but a made-up hash."""
    last = chain[-1]
    raw(
        "UPDATE core_audithead SET seq = seq + 1 WHERE id = 1",
        [],
    )
    raw(
        "INSERT INTO core_auditevent (seq, occurred_at, verb, target_type, target_id, payload,"
        " client_address, scheme, key_id, prev_hash, hash)"
        " VALUES (%s, %s, %s, '', '', '{}', '', %s, %s, %s, %s)",
        [last.seq + 1, last.occurred_at, "forged", "hmac-sha256", last.key_id, last.hash, "f" * 64],
    )
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == last.seq + 1


def test_no_code_path_updates_or_deletes_events(chain):
    event = AuditEvent.objects.get(pk=chain[0].pk)
    event.verb = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["verb"])
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.event"
    assert audit.verify_chain().ok


def test_cli_audit_verify_exit_codes(chain, capsys):
    assert main(["audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out
    raw("UPDATE core_auditevent SET target_id = %s WHERE id = %s", ["8", chain[2].pk])
    assert main(["audit", "verify"]) == 1
    assert f"#{chain[2].seq}" in capsys.readouterr().err


# --- an attacker who can write the database but does not hold the audit key -------------------


def rewrite_from(victim, hasher, last_seq=None, **changes):
    """What the attacker does: change one event, recompute every later hash (up to
    `last_seq`) with `hasher(event) -> (scheme, key id, hash)` and move the head."""
    victim = AuditEvent.objects.get(pk=victim.pk)
    prev_hash = victim.prev_hash
    events = AuditEvent.objects.filter(seq__gte=victim.seq, seq__lte=last_seq or 2**62)
    for event in events.order_by("seq"):
        for name, value in (changes if event.pk == victim.pk else {}).items():
            setattr(event, name, value)
        event.prev_hash = prev_hash
        scheme, key_id, event.hash = hasher(event)
        raw(
            "UPDATE core_auditevent SET verb = %s, payload = %s, client_address = %s,"
            " scheme = %s, key_id = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [
                event.verb,
                audit.canonical_json(event.payload),
                event.client_address,
                scheme,
                key_id,
                event.prev_hash,
                event.hash,
                event.pk,
            ],
        )
        prev_hash = event.hash
    if last_seq is None:
        raw("UPDATE core_audithead SET hash = %s WHERE id = 1", [prev_hash])


def fields_of(event):
    return audit._hashed_fields(event)


def plain_sha256(event):
    return "sha256", "", audit.legacy_event_hash(**fields_of(event))


def plain_sha256_keeping_the_scheme(event):
    return "hmac-sha256", event.key_id, audit.legacy_event_hash(**fields_of(event))


def wrong_key(event):
    key = "an attacker's guess at the audit key, long enough"
    return "hmac-sha256", audit.key_id(key), audit.event_hash(key=key, **fields_of(event))


def wrong_key_under_the_real_key_id(event):
    key = "an attacker's guess at the audit key, long enough"
    return "hmac-sha256", event.key_id, audit.event_hash(key=key, **fields_of(event))


@pytest.mark.parametrize(
    "hasher",
    [plain_sha256, plain_sha256_keeping_the_scheme, wrong_key, wrong_key_under_the_real_key_id],
)
def test_a_rewrite_without_the_key_is_detected(chain, hasher):
    victim = chain[1]
    rewrite_from(victim, hasher, payload={"n": 99})
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == victim.seq


def test_the_same_rewrite_with_the_key_would_pass(chain):
    """The check above fails for want of the key, not for some other trace."""

    def real_key(event):
        key = settings.QINGQIAN_AUDIT_KEY
        return "hmac-sha256", audit.key_id(key), audit.event_hash(key=key, **fields_of(event))

    rewrite_from(chain[1], real_key, payload={"n": 99})
    assert audit.verify_chain().ok


def test_events_are_hmac_under_the_audit_key(chain, settings):
    assert {event.scheme for event in chain} == {"hmac-sha256"}
    assert {event.key_id for event in chain} == {audit.key_id(settings.QINGQIAN_AUDIT_KEY)}
    settings.QINGQIAN_AUDIT_KEY = "some other key, say after a botched rotation"
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == 1  # the seeded data's first event
    assert "unknown audit key" in report.reason


def test_the_key_is_not_stored_in_the_database(chain, settings):
    key = settings.QINGQIAN_AUDIT_KEY
    for event in AuditEvent.objects.all():
        assert key not in audit.canonical_json(
            [event.hash, event.key_id, event.payload, event.prev_hash]
        )


# --- rotation and events from before the chain was keyed ---------------------------------------


def test_a_rotated_key_verifies_with_the_old_key_listed(chain, settings):
    old_key = settings.QINGQIAN_AUDIT_KEY
    settings.QINGQIAN_AUDIT_KEY = "the new audit key after rotation, 32+ chars"
    settings.QINGQIAN_AUDIT_OLD_KEYS = []
    after = append()
    assert after.key_id != chain[0].key_id
    assert not audit.verify_chain().ok  # the old events need the old key
    settings.QINGQIAN_AUDIT_OLD_KEYS = [old_key]
    assert audit.verify_chain().ok


def test_a_replaced_key_may_not_sign_again(chain, settings):
    """Whoever obtains a retired key cannot append events with it."""
    old_key = settings.QINGQIAN_AUDIT_KEY
    settings.QINGQIAN_AUDIT_KEY = "the new audit key after rotation, 32+ chars"
    settings.QINGQIAN_AUDIT_OLD_KEYS = [old_key]
    append()
    settings.QINGQIAN_AUDIT_KEY = old_key
    settings.QINGQIAN_AUDIT_OLD_KEYS = ["the new audit key after rotation, 32+ chars"]
    late = append()
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == late.seq and "replaced" in report.reason


def test_events_from_before_the_switch_verify_as_legacy(chain):
    """The whole chain so far as the code before the keyed chain wrote it."""
    rewrite_from(AuditEvent.objects.order_by("seq").first(), plain_sha256)
    legacy = AuditEvent.objects.count()
    keyed = append()
    assert keyed.prev_hash == AuditEvent.objects.get(seq=keyed.seq - 1).hash
    report = audit.verify_chain()
    assert report.ok and report.legacy_events == legacy and report.checked == legacy + 1


def test_a_legacy_event_altered_is_caught_by_the_first_keyed_event(chain):
    rewrite_from(AuditEvent.objects.order_by("seq").first(), plain_sha256)
    keyed = append()
    rewrite_from(chain[1], plain_sha256, last_seq=keyed.seq - 1, payload={"n": 99})
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == keyed.seq


def test_an_unkeyed_event_after_keyed_ones_is_refused(chain):
    rewrite_from(chain[2], plain_sha256)
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == chain[2].seq and "unkeyed" in report.reason


# --- the client's address --------------------------------------------------------------------


def test_the_client_address_of_a_web_request_is_recorded_and_covered(db, client):
    first_new = AuditHead.objects.get(pk=1).seq + 1
    response = client.post(
        "/accounts/login/",
        {"username": "gd-intake", "password": "demo-password"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    login = AuditEvent.objects.get(seq__gte=first_new, verb="auth.login")
    assert login.client_address == "203.0.113.7"
    assert audit.verify_chain().ok
    raw("UPDATE core_auditevent SET client_address = %s WHERE id = %s", ["198.51.100.1", login.pk])
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == login.seq


def test_outside_a_request_the_client_address_is_empty(chain):
    assert {event.client_address for event in chain} == {""}


# --- checkpoints outside the database ---------------------------------------------------------


def test_a_truncation_before_the_last_checkpoint_is_detected(chain, tmp_path):
    checkpoints = tmp_path / "checkpoints.jsonl"
    audit.write_checkpoint(checkpoints)
    raw("DELETE FROM core_auditevent WHERE seq >= %s", [chain[1].seq])
    raw("UPDATE core_audithead SET seq = %s, hash = %s WHERE id = 1", [chain[0].seq, chain[0].hash])
    assert audit.verify_chain().ok  # consistent in itself: only the anchor outside can tell
    report = audit.verify_chain(audit.read_checkpoints(checkpoints))
    assert not report.ok and report.broken_seq == chain[1].seq
    assert "checkpoint line 1" in report.reason and "removed" in report.reason


def test_a_rewrite_with_the_key_is_caught_by_an_earlier_checkpoint(chain, tmp_path, settings):
    """Even a thief of the key cannot rewrite what a checkpoint already anchors."""
    checkpoints = tmp_path / "checkpoints.jsonl"
    audit.write_checkpoint(checkpoints)
    key = settings.QINGQIAN_AUDIT_KEY

    def real_key(event):
        return "hmac-sha256", audit.key_id(key), audit.event_hash(key=key, **fields_of(event))

    rewrite_from(chain[1], real_key, payload={"n": 99})
    report = audit.verify_chain(audit.read_checkpoints(checkpoints))
    assert not report.ok and report.broken_seq == chain[2].seq and "rewritten" in report.reason


def test_a_tampered_checkpoint_line_is_detected(chain, tmp_path):
    checkpoints = tmp_path / "checkpoints.jsonl"
    audit.write_checkpoint(checkpoints)
    append()
    audit.write_checkpoint(checkpoints)
    lines = checkpoints.read_text().splitlines()
    assert len(audit.read_checkpoints(checkpoints)) == 2
    line = json.loads(lines[1])
    line["seq"] -= 1  # point the anchor back, to hide the newest event's removal
    checkpoints.write_text(lines[0] + "\n" + json.dumps(line) + "\n")
    with pytest.raises(audit.CheckpointError, match="line 2 was altered"):
        audit.read_checkpoints(checkpoints)


def test_a_checkpoint_line_names_the_head(chain, tmp_path):
    checkpoints = tmp_path / "checkpoints.jsonl"
    written = audit.write_checkpoint(checkpoints)
    assert (written["seq"], written["hash"]) == (chain[-1].seq, chain[-1].hash)
    assert set(written) == {"seq", "hash", "time", "key", "mac"}
    assert json.loads(audit.latest_checkpoint(checkpoints)) == written
    assert audit.latest_checkpoint(tmp_path / "absent.jsonl") == ""
