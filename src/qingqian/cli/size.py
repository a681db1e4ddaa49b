"""`qingqian size`: SME size classification (划型) from the command line (no Django)."""

from __future__ import annotations

import argparse
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from qingqian.cli.base import fail, print_json
from qingqian.core import sizeclass

SHANGHAI = ZoneInfo("Asia/Shanghai")
_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)


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
    parser.add_argument("--staff", type=_integer, help="staff (从业人员), persons")
    parser.add_argument("--revenue", type=_decimal, help="revenue (营业收入), 10,000 yuan")
    parser.add_argument("--assets", type=_decimal, help="total assets (资产总额), 10,000 yuan")
    parser.add_argument(
        "--date", type=_date, default=None, help="YYYY-MM-DD (default: today, Asia/Shanghai)"
    )
    parser.add_argument("--list-industries", action="store_true", help="list industry ids")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=size_command)


def _integer(text: str) -> int:
    if not _INTEGER.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return int(text)


def _decimal(text: str) -> Decimal:
    if not _DECIMAL.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a plain decimal number (e.g. 800.5)")
    return Decimal(text.strip())


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def today_in_china() -> date:
    return datetime.now(SHANGHAI).date()


def size_command(args: argparse.Namespace) -> int:
    on_date = args.date or today_in_china()
    try:
        if args.list_industries:
            return _list_industries(on_date, as_json=args.json)
        if not args.industry:
            return fail("--industry is required (see --list-industries)")
        result = sizeclass.classify(args.industry, args.staff, args.revenue, args.assets, on_date)
    except sizeclass.SizeClassError as exc:
        return fail(exc.message)
    if args.json:
        print_json({"size": result.size, "reason": result.reason, "standard": result.standard})
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
