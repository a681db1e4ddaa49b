"""`qingqian size`: SME size classification (划型) from the command line (no Django).

The public size self-test and `GET /api/v1/public/size/` answer through the
same `core.calculators` functions.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from zoneinfo import ZoneInfo

from qingqian.cli.base import cli_params, fail, option_error, print_json
from qingqian.core import calculators, sizeclass

SHANGHAI = ZoneInfo("Asia/Shanghai")
PARAMS = ("industry", "staff", "revenue", "assets", "date")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "size",
        help="classify an enterprise's size (工信部联企业〔2011〕300号)",
        description=(
            "Print large, medium, small or micro. Revenue and assets are in 10,000 yuan "
            "(万元). The standard in force on --date applies (use the contract signing date)."
        ),
    )
    parser.add_argument("--industry", help="industry id (see --list-industries)")
    parser.add_argument("--staff", help="staff (从业人员), persons")
    parser.add_argument("--revenue", help="revenue (营业收入), 10,000 yuan")
    parser.add_argument("--assets", help="total assets (资产总额), 10,000 yuan")
    parser.add_argument("--date", help="YYYY-MM-DD (default: today, Asia/Shanghai)")
    parser.add_argument("--list-industries", action="store_true", help="list industry ids")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=size_command)


def today_in_china() -> date:
    return datetime.now(SHANGHAI).date()


def size_command(args: argparse.Namespace) -> int:
    try:
        if args.list_industries:
            on_date = calculators.parse_date(args.date, "date") if args.date else None
            return _list_industries(on_date or today_in_china(), as_json=args.json)
        query = calculators.parse_size(cli_params(args, PARAMS), today_in_china())
        result = calculators.size_result(query)
    except calculators.InputError as exc:
        return fail(option_error(exc))
    except sizeclass.SizeClassError as exc:
        return fail(exc.message)
    if args.json:
        print_json(calculators.size_answer(result))
    else:
        print(result.size)
    return 0


def _list_industries(on_date: date, *, as_json: bool) -> int:
    industries = sizeclass.list_industries(on_date)
    if as_json:
        print_json(
            [{"id": i.id, "zh": i.zh, "en": i.en, "measures": list(i.measures)} for i in industries]
        )
        return 0
    width = max(len(i.id) for i in industries)
    for industry in industries:
        measures = ", ".join(industry.measures)
        print(f"{industry.id:<{width}}  {industry.zh}  {industry.en} ({measures})")
    return 0
