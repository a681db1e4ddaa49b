"""`qingqian audit checkpoint` and `qingqian audit verify --checkpoints`."""

import json

import pytest
from django.db import connection, transaction

from qingqian.cli import main
from qingqian.core import audit


def append(n):
    with transaction.atomic():
        return audit.record(actor=None, verb="test.event", payload={"n": n})


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def chain(db):
    return [append(n) for n in range(3)]


def test_checkpoint_appends_one_signed_line_per_run(chain, tmp_path, capsys):
    checkpoints = tmp_path / "anchors" / "audit.jsonl"
    assert main(["audit", "checkpoint", "--file", str(checkpoints)]) == 0
    assert f"#{chain[-1].seq}" in capsys.readouterr().out
    append(3)
    assert main(["audit", "checkpoint", "--file", str(checkpoints), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    lines = [json.loads(line) for line in checkpoints.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [chain[-1].seq, chain[-1].seq + 1]
    assert printed["hash"] == lines[1]["hash"] and printed["mac"] == lines[1]["mac"]
    assert main(["audit", "verify", "--checkpoints", str(checkpoints)]) == 0
    assert "2 checkpoints matched" in capsys.readouterr().out


def test_checkpoint_goes_to_the_configured_file(chain, tmp_path, settings):
    settings.QINGQIAN_AUDIT_CHECKPOINT_FILE = tmp_path / "configured.jsonl"
    assert main(["audit", "checkpoint"]) == 0
    assert json.loads(settings.QINGQIAN_AUDIT_CHECKPOINT_FILE.read_text())["seq"] == chain[-1].seq


def test_a_broken_chain_gets_no_checkpoint(chain, tmp_path, capsys):
    raw("UPDATE core_auditevent SET verb = %s WHERE id = %s", ["x.y", chain[1].pk])
    checkpoints = tmp_path / "audit.jsonl"
    assert main(["audit", "checkpoint", "--file", str(checkpoints)]) == 1
    assert f"#{chain[1].seq}" in capsys.readouterr().err
    assert not checkpoints.exists()


def test_verify_names_a_truncation_before_the_last_checkpoint(chain, tmp_path, capsys):
    checkpoints = tmp_path / "audit.jsonl"
    assert main(["audit", "checkpoint", "--file", str(checkpoints)]) == 0
    raw("DELETE FROM core_auditevent WHERE seq >= %s", [chain[1].seq])
    raw("UPDATE core_audithead SET seq = %s, hash = %s WHERE id = 1", [chain[0].seq, chain[0].hash])
    assert main(["audit", "verify"]) == 0  # without the anchor the shorter chain looks whole
    capsys.readouterr()
    assert main(["audit", "verify", "--checkpoints", str(checkpoints)]) == 1
    err = capsys.readouterr().err
    assert f"BROKEN at event #{chain[1].seq}" in err and "checkpoint line 1" in err


def test_verify_names_a_tampered_checkpoint_line(chain, tmp_path, capsys):
    checkpoints = tmp_path / "audit.jsonl"
    assert main(["audit", "checkpoint", "--file", str(checkpoints)]) == 0
    line = json.loads(checkpoints.read_text())
    line["hash"] = chain[0].hash
    checkpoints.write_text(json.dumps(line) + "\n")
    assert main(["audit", "verify", "--checkpoints", str(checkpoints)]) == 1
    assert "checkpoint line 1 was altered" in capsys.readouterr().err


def test_verify_names_an_unreadable_checkpoint_file(chain, tmp_path, capsys):
    assert main(["audit", "verify", "--checkpoints", str(tmp_path / "absent.jsonl")]) == 1
    assert "cannot read the checkpoint file" in capsys.readouterr().err
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text("not json\n")
    assert main(["audit", "verify", "--checkpoints", str(garbage)]) == 1
    assert "line 1 is not a checkpoint" in capsys.readouterr().err


def test_verify_json_reports_the_checkpoints(chain, tmp_path, capsys):
    checkpoints = tmp_path / "audit.jsonl"
    assert main(["audit", "checkpoint", "--file", str(checkpoints)]) == 0
    capsys.readouterr()
    assert main(["audit", "verify", "--checkpoints", str(checkpoints), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["checkpoints"] == 1 and report["checked"] == chain[-1].seq
