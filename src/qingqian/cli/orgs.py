"""`qingqian orgs bootstrap`: the SME authorities a fresh installation needs.

The national authority and one authority per mainland provincial-level unit;
on request also the five cities with separate planning status, the Xinjiang
Production and Construction Corps and every prefecture-level city. Run it as
often as you like: what exists already is left alone. A system act in the
audit log, like the other imports run from here."""

from __future__ import annotations

from collections import Counter

from qingqian.cli.base import print_json, setup_django


def register(subparsers) -> None:
    orgs = subparsers.add_parser("orgs", help="organisations: create the SME authorities")
    commands = orgs.add_subparsers(dest="orgs_command", metavar="ACTION")
    commands.required = True
    bootstrap = commands.add_parser(
        "bootstrap",
        help="create the national and the 31 provincial SME authorities (those missing)",
    )
    bootstrap.add_argument(
        "--planning-cities",
        action="store_true",
        help="also Dalian, Qingdao, Ningbo, Xiamen and Shenzhen (separate planning status)",
    )
    bootstrap.add_argument(
        "--xpcc",
        action="store_true",
        help="also the Xinjiang Production and Construction Corps (platform code 660000)",
    )
    bootstrap.add_argument(
        "--prefectures", action="store_true", help="also every prefecture-level authority"
    )
    bootstrap.add_argument("--json", action="store_true", help="print JSON")
    bootstrap.set_defaults(handler=run_bootstrap)


def run_bootstrap(args) -> int:
    setup_django()
    from qingqian.accounts.services import organisations_bootstrap

    created, present = organisations_bootstrap(
        actor=None,
        planning_cities=args.planning_cities,
        prefectures=args.prefectures,
        xpcc=args.xpcc,
    )
    by_kind = Counter(organisation.kind for organisation in created)
    if args.json:
        print_json({"created": dict(by_kind), "already_present": present})
    elif created:
        kinds = ", ".join(f"{count} {kind}" for kind, count in by_kind.items())
        print(f"created {len(created)} organisations ({kinds}); {present} already present")
    else:
        print(f"created nothing: all {present} organisations already present")
    return 0
