"""`qingqian payment-term`: the latest lawful payment date of a contract.

Prints the date (YYYY-MM-DD), or `none` where the Regulations in force at
signing set no number (a large enterprise's term under the 2020 text);
`--json` gives the version, the start, the term, the articles and the notes.
The public calculator and `GET /api/v1/public/payment-term/` answer through
the same `core.calculators` functions.
"""

from __future__ import annotations

from qingqian.cli.base import cli_params, fail, option_error, print_json, setup_django

PARAMS = (
    "buyer_type",
    "signed",
    "delivered",
    "accepted",
    "acceptance_ends",
    "settled",
    "agreed_days",
    "third_party",
)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "payment-term",
        help="the latest lawful payment date under the Regulations in force at signing",
        description="Agencies and public institutions: 30 days, or an agreed term of at "
        "most 60 days; large enterprises: 60 days from 2025-06-01, a reasonable agreed "
        "term before. The term runs from delivery, from acceptance (or the end of a "
        "delayed acceptance period), or from the confirmed settlement; a last day that "
        "is not a working day moves to the next one.",
    )
    parser.add_argument(
        "--buyer-type", required=True, metavar="TYPE", help="agency, institution or large"
    )
    parser.add_argument("--signed", required=True, metavar="DATE", help="contract signing date")
    parser.add_argument("--delivered", metavar="DATE", help="delivery date")
    parser.add_argument("--accepted", metavar="DATE", help="inspection or acceptance passed on")
    parser.add_argument(
        "--acceptance-ends", metavar="DATE", help="end of the agreed acceptance period"
    )
    parser.add_argument(
        "--settled", metavar="DATE", help="both parties confirmed the settlement amount on"
    )
    parser.add_argument("--agreed-days", metavar="N", help="the agreed payment term in days")
    parser.add_argument(
        "--third-party",
        action="store_true",
        help="payment was made conditional on a third party's payment",
    )
    parser.add_argument("--json", action="store_true", help="the articles, start and notes")
    parser.set_defaults(handler=run_payment_term)


def run_payment_term(args) -> int:
    from qingqian.core import calculators, payment_term

    try:
        facts = calculators.parse_payment_term(cli_params(args, PARAMS))
    except calculators.InputError as exc:
        return fail(option_error(exc))
    setup_django()
    from qingqian.core import selectors

    try:
        result = calculators.payment_term_result(facts, selectors.load_calendar())
    except payment_term.PaymentTermError as exc:
        return fail(option_error(exc))
    if args.json:
        print_json(result.as_dict())
    else:
        print(result.deadline.date.isoformat() if result.deadline else "none")
    return 0
