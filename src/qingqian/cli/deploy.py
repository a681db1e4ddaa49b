"""`qingqian deploy check`: is this installation fit for production?

Each check prints one line, ok / warning / error, and the command exits 1 when
any check is an error (warnings do not fail it). It goes further than the
refusal at start-up (qingqian.core.production), which checks only the named
demo accounts: here every active account is tried against the demo password.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass
from datetime import date

from qingqian.cli.base import print_json, setup_django

OK, WARNING, ERROR = "ok", "warning", "error"
# The State Council publishes next year's holiday schedule in late October or
# November: ask for it from November, insist in December (deadlines counted
# across New Year would otherwise be provisional or refused).
SCHEDULE_WARNING_MONTH, SCHEDULE_ERROR_MONTH = 11, 12


@dataclass(frozen=True)
class Finding:
    check: str
    status: str
    message: str


def register(subparsers) -> None:
    deploy = subparsers.add_parser("deploy", help="checks before and after deploying")
    actions = deploy.add_subparsers(dest="deploy_command", metavar="ACTION")
    actions.required = True
    check = actions.add_parser(
        "check",
        help="keys, demo passwords, two-factor exemptions, CJK font, next year's holidays",
    )
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=run_deploy_check)


def run_deploy_check(args) -> int:
    setup_django()
    from django.utils import timezone

    progress = None if args.json or not sys.stderr.isatty() else _print_progress
    findings = run_checks(today=timezone.localdate(), progress=progress)
    failed = any(finding.status == ERROR for finding in findings)
    if args.json:
        print_json({"ok": not failed, "checks": [asdict(finding) for finding in findings]})
    else:
        for finding in findings:
            print(f"{finding.status.upper():<8} {finding.check}: {finding.message}")
    return 1 if failed else 0


def run_checks(*, today: date, progress=None) -> list[Finding]:
    return [
        check_secret_key(),
        check_audit_key(),
        check_demo_passwords(progress=progress),
        check_two_factor_exemptions(),
        check_cjk_font(),
        check_holiday_schedule(today=today),
    ]


def _print_progress(done: int, total: int) -> None:
    end = "\n" if done == total else ""
    print(f"\rtrying the demo password: {done}/{total} accounts", end=end, file=sys.stderr)


def check_secret_key() -> Finding:
    from qingqian.core.production import secret_key_problem

    problem = secret_key_problem()
    return Finding("secret key", ERROR if problem else OK, problem or "set, long, not the demo key")


def check_audit_key() -> Finding:
    from qingqian.core.production import audit_key_problem

    problem = audit_key_problem()
    message = problem or "set, long, not the demo key, distinct from the secret key"
    return Finding("audit key", ERROR if problem else OK, message)


def check_demo_passwords(*, progress=None) -> Finding:
    """Every active account against the demo password. `check_password` without a
    setter: trying a password must not rewrite its hash (an unaudited write)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import check_password

    from qingqian.core.production import DEMO_PASSWORD

    accounts = list(
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("username")
        .values_list("username", "password")
    )
    found = []
    for done, (username, encoded) in enumerate(accounts, start=1):
        if check_password(DEMO_PASSWORD, encoded):
            found.append(username)
        if progress:
            progress(done, len(accounts))
    if found:
        return Finding(
            "demo password",
            ERROR,
            f"{len(found)} of {len(accounts)} active accounts have the demo password: "
            + ", ".join(found),
        )
    return Finding(
        "demo password", OK, f"{len(accounts)} active accounts checked, none has the demo password"
    )


def check_two_factor_exemptions() -> Finding:
    """Active accounts excused from two-factor sign-in (only the demo's are)."""
    from django.contrib.auth import get_user_model

    users = get_user_model()
    exempt = list(
        users.objects.filter(is_active=True, two_factor_exempt=True)
        .order_by("username")
        .values_list("username", flat=True)
    )
    if exempt:
        return Finding(
            "two-factor exemptions",
            ERROR,
            f"{len(exempt)} active accounts sign in without a second factor: " + ", ".join(exempt),
        )
    return Finding("two-factor exemptions", OK, "no active account is exempt")


def check_cjk_font() -> Finding:
    from qingqian.core import pdf

    pdf.cjk_font_installed.cache_clear()  # look now, not at what an earlier call saw
    if pdf.cjk_font_installed():
        return Finding("CJK font", OK, "Noto CJK found by fontconfig (fc-list :lang=zh)")
    return Finding(
        "CJK font",
        ERROR,
        "no Noto CJK font found by fontconfig (fc-list :lang=zh): install the Debian "
        "package fonts-noto-cjk, or PDF notices and reports are refused",
    )


def check_holiday_schedule(*, today: date) -> Finding:
    from qingqian.core.models import CalendarYear

    known = set(CalendarYear.objects.values_list("year", flat=True))
    how = "enter it with `qingqian calendar import` or on the calendar administration page"
    if today.year not in known:
        return Finding(
            "holiday schedule", ERROR, f"this year's ({today.year}) schedule is missing: {how}"
        )
    upcoming = today.year + 1
    if upcoming in known:
        return Finding("holiday schedule", OK, f"{upcoming}'s schedule is entered")
    if today.month >= SCHEDULE_ERROR_MONTH:
        status = ERROR
    elif today.month >= SCHEDULE_WARNING_MONTH:
        status = WARNING
    else:
        return Finding(
            "holiday schedule", OK, f"{upcoming}'s schedule is not needed before 1 November"
        )
    return Finding(
        "holiday schedule",
        status,
        f"{upcoming}'s schedule is not entered (an error from 1 December): {how}",
    )
