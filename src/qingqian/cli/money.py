"""`qingqian money parse|format`: the money rules from the command line (no Django)."""

from __future__ import annotations

import argparse
import re

from qingqian.cli.base import fail, print_json
from qingqian.core import money

_FEN = re.compile(r"-?[0-9]+", re.ASCII)


def register(subparsers) -> None:
    parser = subparsers.add_parser("money", help="parse and format amounts (integer fen)")
    actions = parser.add_subparsers(dest="money_command", metavar="ACTION")
    actions.required = True

    parse = actions.add_parser(
        "parse",
        help="yuan text -> fen",
        description="Print the amount in integer fen. Use `--` before a negative amount.",
    )
    parse.add_argument("text", help='amount in yuan, e.g. "1,234.56" or "¥1,234.00"')
    parse.add_argument("--allow-negative", action="store_true", help="accept a leading minus")
    parse.add_argument("--json", action="store_true", help="print JSON")
    parse.set_defaults(handler=parse_command)

    fmt = actions.add_parser("format", help="fen -> display text")
    fmt.add_argument("fen", help="integer fen, e.g. 123456")
    fmt.add_argument("--locale", choices=money.LOCALES, default="zh-CN")
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.set_defaults(handler=format_command)


def parse_command(args: argparse.Namespace) -> int:
    try:
        fen = money.parse_yuan(args.text, allow_negative=args.allow_negative)
    except money.MoneyError as exc:
        return fail(f"{exc.message} [{exc.code}]")
    if args.json:
        print_json({"input": args.text, "fen": fen, "yuan": money.to_yuan_str(fen)})
    else:
        print(fen)
    return 0


def format_command(args: argparse.Namespace) -> int:
    text = args.fen.strip()
    if not _FEN.fullmatch(text):
        return fail(f"{args.fen!r} is not a whole number of fen")
    try:
        fen = int(text)
        formatted = money.format_yuan(fen, args.locale)
    except money.MoneyError as exc:
        return fail(f"{exc.message} [{exc.code}]")
    if args.json:
        print_json(
            {
                "fen": fen,
                "locale": args.locale,
                "formatted": formatted,
                "yuan": money.to_yuan_str(fen),
            }
        )
    else:
        print(formatted)
    return 0
