"""`qingqian stats rebuild | snapshot`: repair the supervision figures, take a ledger snapshot."""

from __future__ import annotations

from qingqian.cli.base import print_json, setup_django


def register(subparsers) -> None:
    stats = subparsers.add_parser("stats", help="supervision figures: rebuild, snapshot")
    commands = stats.add_subparsers(dest="stats_command", metavar="ACTION")
    commands.required = True
    rebuild = commands.add_parser(
        "rebuild", help="recount the complaint tallies from the complaints' history"
    )
    rebuild.add_argument("--json", action="store_true", help="print the row counts as JSON")
    rebuild.set_defaults(handler=run_rebuild)
    snapshot = commands.add_parser("snapshot", help="take this month's ledger snapshot now")
    snapshot.set_defaults(handler=run_snapshot)


def run_rebuild(args) -> int:
    setup_django()
    from qingqian.supervision.dashboard.tallies import rebuild

    tallies = rebuild()
    counts = {
        "region_rows": sum(1 for n in tallies.regions.values() if n),
        "department_rows": sum(1 for n in tallies.departments.values() if n),
        "handling_time_rows": sum(1 for n in tallies.times.values() if n),
    }
    if args.json:
        print_json(counts)
    else:
        print("Supervision tallies rebuilt: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def run_snapshot(args) -> int:
    setup_django()
    from qingqian.supervision.dashboard.snapshots import ledger_snapshot_take

    print(f"Ledger snapshot taken: {ledger_snapshot_take()} region rows.")
    return 0
