"""`qingqian accounts reset-two-factor USERNAME --by ADMIN`: clear a lost device.

The administrator named by --by acts (the reset is theirs in the audit log, and
only people of their jurisdiction can be reset), as on the web."""

from __future__ import annotations

from qingqian.cli.base import fail, setup_django


def register(subparsers) -> None:
    accounts = subparsers.add_parser("accounts", help="user accounts: reset a lost 2FA device")
    commands = accounts.add_subparsers(dest="accounts_command", metavar="ACTION")
    commands.required = True
    reset = commands.add_parser(
        "reset-two-factor",
        help="remove a person's authenticator and recovery codes; they enrol again "
        "at their next sign-in",
    )
    reset.add_argument("username", help="whose device was lost")
    reset.add_argument(
        "--by", required=True, metavar="ADMIN", help="the administrator doing it (username)"
    )
    reset.set_defaults(handler=run_reset_two_factor)


def run_reset_two_factor(args) -> int:
    setup_django()
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from qingqian.accounts.models import User
    from qingqian.accounts.services import two_factor_reset

    admin = User.objects.filter(username=args.by, is_active=True).first()
    if admin is None:
        return fail(f"--by {args.by}: no such active user", 2)
    person = User.objects.filter(username=args.username).first()
    not_found = f"{args.username}: no such user in the jurisdiction of {args.by}"
    if person is None:
        return fail(not_found, 2)
    try:
        two_factor_reset(actor=admin, user=person)
    except PermissionDenied:
        return fail(f"{args.by} may not reset two-factor sign-in (administrators only)", 2)
    except Http404:
        return fail(not_found, 2)
    print(f"Two-factor sign-in of {args.username} reset: they enrol again at their next sign-in.")
    return 0
