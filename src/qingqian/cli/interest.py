"""`qingqian interest`: overdue interest under the SME Payment Regulations.

Prints the total in yuan (e.g. `45500.00`) and nothing else on stdout;
warnings (a contract signed before 2020-09-01, payments after the end date)
go to stderr. `--json` gives the rate basis and the per-period breakdown.
An agreed rate reads the one-year LPR from the database (the table
administrators maintain); the statutory rate needs no database. The public
calculator page and `GET /api/v1/public/interest/` answer through the same
`core.calculators` functions.
"""

from __future__ import annotations

import sys

from qingqian.cli.base import cli_params, fail, option_error, print_json, setup_django


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


PARAMS = ("principal", "due", "end", "agreed_rate", "signed", "payment", "from_regulations_start")


def run_interest(args) -> int:
    from qingqian.core import calculators, money

    try:
        query = calculators.parse_interest(cli_params(args, PARAMS))
        lpr_table = _database_lpr_table() if query.agreed_annual_rate is not None else None
        result = calculators.interest_result(query, lpr_table)
    except calculators.InputError as exc:
        return fail(option_error(exc))
    except ValueError as exc:  # the rule's own refusal (InterestError)
        return fail(str(exc))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        print_json(calculators.interest_answer(result))
    else:
        print(money.to_yuan_str(result.total_fen))
    return 0


def _database_lpr_table():
    setup_django()
    from qingqian.core.selectors import load_lpr_table

    return load_lpr_table()
