"""`qingqian regions lookup|import`: administrative division codes.

`lookup` answers provinces and prefectures from the shipped data without
touching Django; only a county-level code needs the database (counties are
imported there). `import` loads a county CSV through the audited service.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qingqian.cli.base import fail, print_json, setup_django
from qingqian.core import regions


def register(subparsers) -> None:
    parser = subparsers.add_parser("regions", help="administrative division codes (GB/T 2260)")
    actions = parser.add_subparsers(dest="regions_command", metavar="ACTION")
    actions.required = True

    lookup = actions.add_parser("lookup", help="name, level and province of a code")
    lookup.add_argument("code", help="6-digit code, e.g. 440300")
    lookup.add_argument("--json", action="store_true", help="print JSON")
    lookup.set_defaults(handler=lookup_command)

    load = actions.add_parser(
        "import",
        help="import county-level codes from a CSV",
        description=(
            "CSV of code,name (header optional; with a header the `code` and `name` columns, "
            "or 代码/名称, are used and extra columns ignored). All rows are checked first; "
            "if any is bad, each is reported and nothing is written."
        ),
    )
    load.add_argument("file", type=Path, help="UTF-8 CSV file")
    load.add_argument("--json", action="store_true", help="print JSON")
    load.set_defaults(handler=import_command)


class _NotFound(Exception):
    """A code that is well formed but names nothing we know; the message says why."""


def lookup_command(args: argparse.Namespace) -> int:
    code = args.code.strip()
    try:
        province = regions.province_of(code)
        name, level, source = _find(code)
    except (regions.RegionError, _NotFound) as exc:
        return fail(str(exc))
    if args.json:
        print_json(
            {
                "code": code,
                "name": name,
                "level": level,
                "province_code": province.code,
                "province_name": province.name,
                "source": source,
            }
        )
    else:
        print(f"{code}  {name}  {level}  province: {province.code} {province.name}")
    return 0


def _find(code: str) -> tuple[str, str, str]:
    """(name, level, source) of a code; shipped data first, the database for counties."""
    shipped = regions.lookup(code)
    if shipped is not None:
        return shipped.name, shipped.level, "shipped"
    if regions.level_of_code(code) != "county":
        raise _NotFound(f"{code} is not a known prefecture-level code")
    name = _county_name(code)
    if name is None:
        raise _NotFound(
            f"{code} is not an imported county-level code "
            f"(province {regions.province_of(code).name}); see `qingqian regions import`"
        )
    return name, "county", "imported"


def _county_name(code: str) -> str | None:
    setup_django()
    from django.db import DatabaseError

    from qingqian.core.region_selectors import county_name

    try:
        return county_name(code)
    except DatabaseError as exc:
        raise _NotFound(f"cannot read county-level regions from the database: {exc}") from exc


def import_command(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return fail(f"cannot read {args.file}: {exc}")
    rows = regions.read_county_csv(text)
    if not rows:
        return fail(f"{args.file} has no rows")
    setup_django()
    from qingqian.reference.services.regions import CountyRowsError, regions_import

    try:
        count = regions_import(actor=None, rows=rows)
    except CountyRowsError as exc:
        for problem in exc.problems:
            print(f"{args.file}: {problem}", file=sys.stderr)
        return fail(f"{len(exc.problems)} bad row(s); nothing imported")
    if args.json:
        print_json({"imported": count})
    else:
        print(f"imported {count} county-level regions")
    return 0
