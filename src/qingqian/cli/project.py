"""Project-level commands: init, seed-demo, demo, serve, audit."""

from __future__ import annotations

import os
import sys

from qingqian.cli.base import fail, print_json, setup_django


def register(subparsers) -> None:
    init = subparsers.add_parser("init", help="migrate the database and load reference data")
    init.set_defaults(handler=run_init)

    seed = subparsers.add_parser("seed-demo", help="create the demo organisations and accounts")
    seed.set_defaults(handler=run_seed_demo)

    demo = subparsers.add_parser("demo", help="init, seed the demo and serve on 127.0.0.1:8000")
    demo.add_argument("--port", default="8000")
    demo.set_defaults(handler=run_demo)

    serve = subparsers.add_parser("serve", help="serve the web UI and API (embedded server)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", default="8000")
    serve.set_defaults(handler=run_serve)

    audit = subparsers.add_parser("audit", help="the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION")
    audit_sub.required = True
    verify = audit_sub.add_parser("verify", help="check the HMAC chain of the audit log")
    verify.add_argument(
        "--checkpoints",
        metavar="FILE",
        help="a checkpoint file: every line must still match the chain",
    )
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=run_audit_verify)
    checkpoint = audit_sub.add_parser(
        "checkpoint", help="verify the chain, then append its head to a checkpoint file"
    )
    checkpoint.add_argument(
        "--file", help="the checkpoint file (default: QINGQIAN_AUDIT_CHECKPOINT_FILE)"
    )
    checkpoint.add_argument("--json", action="store_true")
    checkpoint.set_defaults(handler=run_audit_checkpoint)


def run_init(args) -> int:
    setup_django()
    from django.core.management import call_command

    from qingqian.reference.services.seed import seed_reference_data
    from qingqian.supervision.dashboard.services import laggard_rules_seed
    from qingqian.supervision.reports.services import report_definitions_seed

    call_command("migrate", interactive=False, verbosity=0)
    seed_reference_data(actor=None)
    laggard_rules_seed(actor=None)
    report_definitions_seed(actor=None)
    print("Database migrated; reference data (working-day calendar, LPR) loaded.")
    return 0


def run_seed_demo(args) -> int:
    setup_django()
    from qingqian.demo import DEMO_ACCOUNTS, seed_demo
    from qingqian.demo_complaints import seed_demo_complaints
    from qingqian.demo_disclosures import seed_demo_disclosures
    from qingqian.demo_ledger import seed_demo_ledger
    from qingqian.demo_portal import DEMO_SIGNUP_EMAIL, seed_demo_signup
    from qingqian.demo_supervision import (
        seed_demo_notice,
        seed_demo_supervision,
        seed_demo_target,
    )
    from qingqian.services.confirmations.demo import seed_demo_confirmations
    from qingqian.supervision.dashboard.snapshots import ledger_snapshot_take
    from qingqian.supervision.reports.tasks import generate_due_reports

    seed_demo()
    created = seed_demo_complaints()
    if created:
        print(f"Created {created} demo complaints in every state.")
    items = seed_demo_ledger()
    if items:
        print(f"Imported {items} demo ledger items.")
    ledger_snapshot_take()
    if seed_demo_supervision():
        print("Opened two demo supervision cases.")
    if seed_demo_notice():
        print("Published a demo notice.")
    if seed_demo_target():
        print("Set a demo campaign target.")
    if seed_demo_signup():
        print(f"An SME sign-up ({DEMO_SIGNUP_EMAIL}) awaits gd-intake's check.")
    if seed_demo_disclosures():
        print("debtor-demo filed its 2025 disclosure of overdue SME payments.")
    if seed_demo_confirmations():
        print("sme-demo asked debtor-demo to confirm an amount owed.")
    reports = generate_due_reports()
    if reports:
        print(f"Generated {reports} provincial reports of the last completed periods.")
    print_demo_accounts(DEMO_ACCOUNTS)
    return 0


def print_demo_accounts(accounts) -> None:
    from qingqian.core.production import DEMO_PASSWORD

    print(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for username, description in accounts:
        print(f"  {username:<13} {description}")


def run_demo(args) -> int:
    # The demo runs with the public demo key and passwords, which production refuses.
    os.environ.setdefault("QINGQIAN_DEBUG", "1")
    os.environ.setdefault("QINGQIAN_BASE_URL", f"http://127.0.0.1:{args.port}")  # e-mail links
    run_init(args)
    run_seed_demo(args)
    # Background tasks (notifications, deadline reminders) run in threads of this
    # process: no separate `qingqian worker` for the demo.
    from qingqian.cli.worker import start_inprocess_worker

    start_inprocess_worker()
    print("Background tasks run in this process (e-mails are printed here).", flush=True)
    print(f"Serving on http://127.0.0.1:{args.port}/  (Ctrl+C stops)", flush=True)
    return _runserver("127.0.0.1", args.port)


def run_serve(args) -> int:
    setup_django()
    from qingqian.core.production import refuse_unsafe_production

    refuse_unsafe_production()
    return _runserver(args.host, args.port)


def _runserver(host: str, port: str) -> int:
    setup_django()
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
    return 0


def run_audit_verify(args) -> int:
    setup_django()
    from qingqian.core import audit

    try:
        checkpoints = audit.read_checkpoints(args.checkpoints) if args.checkpoints else []
    except audit.CheckpointError as error:
        return fail(f"audit checkpoints BROKEN: {error}")
    report = audit.verify_chain(checkpoints)
    if args.json:
        print_json(report.__dict__)
    elif report.ok:
        print(f"audit log intact: {report.checked} events verified{_verify_details(report)}")
    else:
        print(
            f"audit log BROKEN at event #{report.broken_seq}: {report.reason} "
            f"({report.checked} events verified before it)",
            file=sys.stderr,
        )
    return 0 if report.ok else 1


def _verify_details(report) -> str:
    details = []
    if report.checkpoints:
        details.append(f"{report.checkpoints} checkpoints matched")
    if report.legacy_events:
        details.append(
            f"the first {report.legacy_events} from before the chain was keyed (plain SHA-256)"
        )
    return f" ({'; '.join(details)})" if details else ""


def run_audit_checkpoint(args) -> int:
    setup_django()
    from qingqian.core import audit

    path = args.file or audit.checkpoint_file()
    try:
        line = audit.checkpoint_if_intact(path)
    except audit.ChainBroken as error:
        return fail(f"no checkpoint written: {error}")
    if args.json:
        print_json({**line, "file": str(path)})
    else:
        print(f"checkpoint of event #{line['seq']} appended to {path}")
    return 0
