"""`qingqian ledger import FILE --org CODE`: import a ledger return, with progress;
`qingqian ledger template OUT`: write the import template (CSV or XLSX by suffix)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from qingqian.cli.base import fail, print_json, setup_django


def register(subparsers) -> None:
    ledger = subparsers.add_parser("ledger", help="ledger (台账) imports and templates")
    commands = ledger.add_subparsers(dest="ledger_command", metavar="ACTION")
    commands.required = True

    imports = commands.add_parser("import", help="import a ledger return (CSV or XLSX)")
    imports.add_argument("file", type=Path)
    imports.add_argument(
        "--org",
        required=True,
        metavar="CODE",
        help="the keeping organisation: the region code of an SME authority "
        "(440000 = Guangdong's) or an organisation id prefixed with # (#12)",
    )
    imports.add_argument("--json", action="store_true", help="print the outcome as JSON")
    imports.add_argument("--errors", type=Path, help="write the error report (CSV) here")
    imports.set_defaults(handler=run_import)

    template = commands.add_parser("template", help="write the import template")
    template.add_argument("out", type=Path, help="a .csv or .xlsx path")
    template.set_defaults(handler=run_template)


def run_import(args) -> int:
    if not args.file.is_file():
        return fail(f"{args.file}: no such file", 2)
    setup_django()
    from django.core.exceptions import ValidationError

    from qingqian.core.sqlite_backend.busy import waiting_longer
    from qingqian.ledger.imports import ledger_import_run, ledger_import_upload

    owner = find_organisation(args.org)
    if owner is None:
        return fail(f"--org {args.org}: no such SME authority or organisation", 2)
    try:
        with args.file.open("rb") as fileobj:
            record = ledger_import_upload(
                actor=None, owner=owner, fileobj=fileobj, original_name=args.file.name
            )
    except ValidationError as refused:
        return fail("; ".join(refused.messages), 2)
    bar = ProgressBar(sys.stderr, quiet=args.json)
    with waiting_longer():  # behind another import's writer, rather than fail
        record = ledger_import_run(record, on_progress=bar.show)
    bar.done()
    if args.errors and record.error_count:
        write_error_report(record, args.errors)
    return report(record, as_json=args.json)


def find_organisation(code: str):
    from qingqian.accounts.models import Organisation

    if code.startswith("#") and code[1:].isdigit():
        return Organisation.objects.filter(pk=int(code[1:])).first()
    authorities = Organisation.objects.exclude(kind=Organisation.Kind.HANDLING_DEPARTMENT)
    return authorities.filter(region_code=code).first()


def write_error_report(record, path: Path) -> None:
    from qingqian.ledger.writers import error_report_csv

    with path.open("wb") as out:
        for chunk in error_report_csv(record.errors.all().iterator()):
            out.write(chunk)


def report(record, *, as_json: bool) -> int:
    outcome = {
        "import": record.pk,
        "state": record.state,
        "rows": record.rows_read,
        "created": record.created_count,
        "updated": record.updated_count,
        "unchanged": record.unchanged_count,
        "errors": record.error_count,
        "message": record.message,
        "sha256": record.sha256,
    }
    if as_json:
        print_json(outcome)
    elif record.state == "done":
        print(
            f"imported {record.rows_read} rows: {record.created_count} new, "
            f"{record.updated_count} updated, {record.unchanged_count} unchanged"
        )
    else:
        print(f"refused, nothing written: {record.message or ''}", file=sys.stderr)
        for error in record.errors.all()[:20]:
            print(f"  row {error.row}, {error.column}: {error.reason}", file=sys.stderr)
        if record.error_count > 20:
            print(f"  ... {record.error_count - 20} more (use --errors FILE)", file=sys.stderr)
    return 0 if record.state == "done" else 1


def run_template(args) -> int:
    setup_django()
    from qingqian.ledger.writers import template_csv, template_xlsx

    suffix = args.out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        return fail("the template file must end in .csv or .xlsx", 2)
    with args.out.open("wb") as out:
        if suffix == ".xlsx":
            template_xlsx(out)
        else:
            out.write(template_csv())
    print(f"wrote {args.out}")
    return 0


class ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(self, stream, *, quiet: bool = False):
        self.stream, self.quiet, self.last = stream, quiet, 0.0

    def show(self, fraction: float, rows: int) -> None:
        now = time.monotonic()
        if self.quiet or now - self.last < 0.1:
            return
        self.last = now
        filled = int(self.WIDTH * min(max(fraction, 0.0), 1.0))
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {fraction:6.1%}  {rows:,} rows")
        self.stream.flush()

    def done(self) -> None:
        if not self.quiet and self.last:
            self.stream.write("\n")
