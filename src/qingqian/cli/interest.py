"""`qingqian interest`: overdue interest under the SME Payment Regulations.

Prints the total in yuan (e.g. `45500.00`) and nothing else on stdout;
warnings (a contract signed before 2020-09-01, payments after the end date)
go to stderr. `--json` gives the rate basis and the per-period breakdown.
An agreed rate reads the one-year LPR from the database (the table
administrators maintain); the statutory rate needs no database.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal

from qingqian.cli.base import fail, print_json, setup_django
from qingqian.cli.calendar import parse_cli_date

_RATE = re.compile(r"\d{1,2}(\.\d+)?%?", re.ASCII)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "interest",
        help="overdue interest on a late payment",
        description="Interest accrues for each day after --due up to and including "
        "--end (or a payment day) on the principal outstanding that day. With no "
        "agreed rate: 0.05%% a day; an agreed annual rate below the one-year LPR on "
        "the signing date is raised to it. Rounded half-up to the fen once.",
    )
    parser.add_argument("--principal", required=True, metavar="YUAN")
    parser.add_argument("--due", required=True, metavar="DATE", help="the payment due date")
    parser.add_argument("--end", required=True, metavar="DATE", help="count interest up to")
    parser.add_argument("--agreed-rate", metavar="PERCENT", help="agreed annual rate, e.g. 4.5")
    parser.add_argument("--signed", metavar="DATE", help="contract signing date")
    parser.add_argument(
        "--payment",
        action="append",
        default=[],
        metavar="DATE:AMOUNT",
        help="a payment in yuan, e.g. 2025-04-10:4000.00 (repeatable)",
    )
    parser.add_argument(
        "--from-regulations-start",
        action="store_true",
        help="start accrual no earlier than 2020-09-01 (contracts signed before it)",
    )
    parser.add_argument("--json", action="store_true", help="basis and per-period breakdown")
    parser.set_defaults(handler=run_interest)


def run_interest(args) -> int:
    from qingqian.core import interest, money

    try:
        inputs = _parse_inputs(args)
        if inputs["agreed_annual_rate"] is not None:
            inputs["lpr_table"] = _database_lpr_table()
        result = interest.overdue_interest(
            **inputs, accrue_from_regulations_start=args.from_regulations_start
        )
    except ValueError as exc:  # MoneyError, InterestError and bad options alike
        return fail(str(exc))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        print_json(_json(result))
    else:
        print(money.to_yuan_str(result.total_fen))
    return 0


def _parse_inputs(args) -> dict:
    """Every option parsed strictly; a ValueError names the option at fault."""
    from qingqian.core import money

    signed = parse_cli_date(args.signed, "--signed") if args.signed else None
    rate = _parse_rate(args.agreed_rate) if args.agreed_rate is not None else None
    if rate is not None and signed is None:
        raise ValueError(
            "--signed: an agreed rate needs the contract signing date, because it may "
            "not be below the one-year LPR on that date"
        )
    return {
        "principal_fen": _yuan(money, args.principal, "--principal"),
        "due_date": parse_cli_date(args.due, "--due"),
        "end_date": parse_cli_date(args.end, "--end"),
        "payments": [_parse_payment(money, text) for text in args.payment],
        "agreed_annual_rate": rate,
        "signed_on": signed,
    }


def _yuan(money, text: str, option: str) -> int:
    try:
        return money.parse_yuan(text)
    except money.MoneyError as exc:
        raise ValueError(f"{option}: {exc}") from None


def _parse_rate(text: str) -> Decimal:
    if not _RATE.fullmatch(text.strip()):
        raise ValueError(f"--agreed-rate: {text!r} must be an annual percent like 4.35")
    return Decimal(text.strip().rstrip("%"))


def _parse_payment(money, text: str):
    day, sep, amount = text.partition(":")
    if not sep:
        raise ValueError(f"--payment: {text!r} must be DATE:AMOUNT, e.g. 2025-04-10:4000.00")
    return parse_cli_date(day, "--payment date"), _yuan(money, amount, f"--payment {text}")


def _database_lpr_table():
    setup_django()
    from qingqian.core.selectors import load_lpr_table

    return load_lpr_table()


def _json(result) -> dict:
    from qingqian.core.money import to_yuan_str

    data = result.as_dict()
    data["total_yuan"] = to_yuan_str(result.total_fen)
    for period in data["periods"]:
        period["interest_yuan"] = to_yuan_str(period["interest_fen"])
    return data
