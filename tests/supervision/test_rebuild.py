"""`qingqian stats rebuild` repairs tallies that drifted from the complaints' history."""

import json

from qingqian.cli import main as cli
from qingqian.demo_complaints import seed_demo_complaints
from qingqian.supervision.dashboard import tallies
from qingqian.supervision.models import ComplaintTally


def test_rebuild_repairs_drifted_tallies(db, capsys):
    seed_demo_complaints()
    ComplaintTally.objects.filter(measure="received").update(count=999)
    assert +tallies.stored().regions != +tallies.recount().regions
    assert cli(["stats", "rebuild", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["region_rows"] == ComplaintTally.objects.exclude(count=0).count()
    assert +tallies.stored().regions == +tallies.recount().regions
