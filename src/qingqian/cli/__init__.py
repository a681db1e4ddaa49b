"""The `qingqian` command: one entry point for users and operators.

Each subcommand lives in its own module in this package and exposes
`register(subparsers)`, which adds its parser and sets `handler`. A handler
returns the process exit code. Commands that need the database call
`qingqian.cli.base.setup_django()` first; the pure ones (money, uscc, size...)
stay fast and import no Django.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = [
    "qingqian.cli.project",  # demo, init, serve, seed-demo, manage, audit
    "qingqian.cli.money",
    "qingqian.cli.uscc",
    "qingqian.cli.regions",
    "qingqian.cli.size",
    "qingqian.cli.calendar",
    "qingqian.cli.interest",
    "qingqian.cli.payment_term",
    "qingqian.cli.worker",  # worker, reminders
    "qingqian.cli.scheduler",  # scheduler
    "qingqian.cli.ledger",  # ledger import, ledger template
    "qingqian.cli.stats",  # stats rebuild, stats snapshot
    "qingqian.cli.accounts",  # accounts reset-two-factor
    "qingqian.cli.orgs",  # orgs bootstrap
    "qingqian.cli.staff",  # staff import
    "qingqian.cli.deploy",  # deploy check
    "qingqian.cli.docs",  # docs --write, docs --check
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qingqian", description="Qingqian (清欠) arrears-clearing platform"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["manage"]:
        from qingqian.cli.base import run_django_command

        return run_django_command(argv[1:])
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
