import pytest
from django.db import connection, transaction

from qingqian.cli import main
from qingqian.core import audit
from qingqian.core.models import AppendOnlyError, AuditEvent


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
        " prev_hash, hash) VALUES (%s, %s, %s, '', '', '{}', %s, %s)",
        [last.seq + 1, last.occurred_at, "forged", last.hash, "f" * 64],
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
