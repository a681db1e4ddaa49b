"""`qingqian staff import FILE --actor ADMIN`: invite the officials of a CSV.

The administrator named by --actor acts (the invitations are theirs in the
audit log, and only into organisations of their subtree), as on the web
(Staff → Import from CSV, where the columns and organisation ids are listed)."""

from __future__ import annotations

from pathlib import Path

from qingqian.cli.base import fail, setup_django


def register(subparsers) -> None:
    staff = subparsers.add_parser("staff", help="staff accounts: import a CSV of officials")
    commands = staff.add_subparsers(dest="staff_command", metavar="ACTION")
    commands.required = True
    imports = commands.add_parser(
        "import",
        help="invite every official of a CSV (name,email,organisation_id,role), "
        "all or none; the invitations are e-mailed by the worker",
    )
    imports.add_argument("file", type=Path, help="the CSV file (UTF-8 or GBK)")
    imports.add_argument(
        "--actor", required=True, metavar="ADMIN", help="the administrator doing it (username)"
    )
    imports.set_defaults(handler=run_import)


def run_import(args) -> int:
    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from qingqian.accounts.models import User
    from qingqian.accounts.services import users_import

    admin = User.objects.filter(username=args.actor, is_active=True).first()
    if admin is None:
        return fail(f"--actor {args.actor}: no such active user", 2)
    try:
        data = args.file.read_bytes()
    except OSError as error:
        return fail(f"{args.file}: {error.strerror}", 2)
    try:
        people = users_import(actor=admin, name=args.file.name, data=data)
    except PermissionDenied:
        return fail(f"{args.actor} may not manage staff (administrators only)", 2)
    except ValidationError as error:
        return fail("nothing imported:\n" + "\n".join(error.messages), 1)
    print(f"{len(people)} invited: the worker sends the invitation e-mails.")
    return 0
