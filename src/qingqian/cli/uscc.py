"""`qingqian uscc CODE...`: check unified social credit codes (no Django)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from qingqian.cli.base import print_json
from qingqian.core.uscc import check_uscc


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "uscc",
        help="check unified social credit codes",
        description="Check each code; exit 0 when all are valid, 1 otherwise.",
    )
    parser.add_argument("codes", nargs="+", metavar="CODE", help="18-character USCC")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(handler=uscc_command)


def uscc_command(args: argparse.Namespace) -> int:
    results = [(raw, check_uscc(raw)) for raw in args.codes]
    if args.json:
        print_json([{"input": raw, **asdict(result)} for raw, result in results])
    else:
        for _raw, result in results:
            verdict = "valid" if result.valid else f"invalid: {result.reason}"
            print(f"{result.code or '(empty)'}  {verdict}")
    return 0 if all(result.valid for _raw, result in results) else 1
