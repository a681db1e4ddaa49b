"""`qingqian stats rebuild` repairs tallies that drifted from the complaints' history."""

import json

from django.utils import timezone

from qingqian.cli import main as cli
from qingqian.core import audit
from qingqian.core.models import AuditEvent
from qingqian.demo_complaints import seed_demo_complaints
from qingqian.supervision.dashboard import tallies
from qingqian.supervision.models import ComplaintTally, LedgerSnapshot


def test_rebuild_repairs_drifted_tallies(db, capsys):
    seed_demo_complaints()
    ComplaintTally.objects.filter(measure="received").update(count=999)
    assert +tallies.stored().regions != +tallies.recount().regions
    assert cli(["stats", "rebuild", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["region_rows"] == ComplaintTally.objects.exclude(count=0).count()
    assert +tallies.stored().regions == +tallies.recount().regions


def test_rebuild_is_audited_as_a_system_act(db, capsys):
    assert cli(["stats", "rebuild"]) == 0
    assert "rebuilt" in capsys.readouterr().out
    event = AuditEvent.objects.get(verb="supervision.tallies_rebuilt")
    assert event.actor_id is None and audit.verify_chain().ok


def test_the_ledger_snapshot_is_audited_as_a_system_act(db, make_item, capsys):
    make_item()  # gives the ledger totals a row to snapshot
    assert cli(["stats", "snapshot"]) == 0
    rows = LedgerSnapshot.objects.filter(month=timezone.localdate().replace(day=1))
    assert f"{rows.count()} region rows" in capsys.readouterr().out
    event = AuditEvent.objects.get(verb="supervision.ledger_snapshot_taken")
    assert (event.actor_id, event.target_id) == (None, rows[0].month.isoformat())
    assert event.payload == {"rows": rows.count()}
