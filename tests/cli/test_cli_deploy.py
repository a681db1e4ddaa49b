"""`qingqian deploy check`: each check failing and passing, the exit code and --json."""

import json
from datetime import date

import pytest

from qingqian.accounts.models import User
from qingqian.accounts.services import user_create
from qingqian.cli import deploy, main
from qingqian.core import pdf
from qingqian.core.models import CalendarYear
from qingqian.core.production import DEMO_PASSWORD

STRONG_SECRET_KEY = "s" * 50
STRONG_AUDIT_KEY = "a" * 50


@pytest.fixture
def production_keys(settings):
    settings.SECRET_KEY = STRONG_SECRET_KEY
    settings.QINGQIAN_AUDIT_KEY = STRONG_AUDIT_KEY


def official(username, password):
    """An intake official of the Guangdong office, like the demo's gd-intake."""
    like = User.objects.get(username="gd-intake")
    return user_create(
        actor=None,
        username=username,
        password=password,
        role=like.role,
        organisation=like.organisation,
        validate=False,
    )


@pytest.fixture
def only_account(db):
    """The demo accounts retired; one account left, with a password of its own."""
    account = official("operator", "a-real-Passphrase-2026")
    User.objects.exclude(pk=account.pk).update(is_active=False)
    return account


@pytest.fixture
def cjk_font():
    pdf.cjk_font_installed.cache_clear()
    if not pdf.cjk_font_installed():
        pytest.skip("the Noto CJK fonts are not installed here")


@pytest.fixture
def no_fontconfig(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # fc-list cannot be found: no fonts known
    yield
    pdf.cjk_font_installed.cache_clear()


def known_years(*years):
    CalendarYear.objects.exclude(year__in=years).delete()
    for year in years:
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "test"})


# --- keys -------------------------------------------------------------------------------------


def test_the_secret_key_check(settings):
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    assert deploy.check_secret_key().status == "error"
    settings.SECRET_KEY = "short"
    assert deploy.check_secret_key().status == "error"
    settings.SECRET_KEY = STRONG_SECRET_KEY
    assert deploy.check_secret_key().status == "ok"


def test_the_audit_key_check(settings):
    settings.SECRET_KEY = STRONG_SECRET_KEY
    for weak in (settings.DEMO_AUDIT_KEY, "short", STRONG_SECRET_KEY):
        settings.QINGQIAN_AUDIT_KEY = weak
        finding = deploy.check_audit_key()
        assert finding.status == "error" and "QINGQIAN_AUDIT_KEY" in finding.message
    settings.QINGQIAN_AUDIT_KEY = STRONG_AUDIT_KEY
    assert deploy.check_audit_key().status == "ok"


# --- accounts ---------------------------------------------------------------------------------


def test_any_active_account_with_the_demo_password_is_found(only_account):
    official("li-official", DEMO_PASSWORD)
    official("gone", DEMO_PASSWORD)
    User.objects.filter(username="gone").update(is_active=False)
    seen = []
    finding = deploy.check_demo_passwords(progress=lambda done, total: seen.append((done, total)))
    assert finding.status == "error"
    assert finding.message == "1 of 2 active accounts have the demo password: li-official"
    assert seen == [(1, 2), (2, 2)]


def test_no_demo_password_passes_and_says_how_many_were_checked(only_account):
    password_hash = User.objects.get(pk=only_account.pk).password
    finding = deploy.check_demo_passwords()
    assert finding.status == "ok" and finding.message.startswith("1 active accounts checked")
    assert User.objects.get(pk=only_account.pk).password == password_hash  # nothing rewritten


def test_active_demo_officials_exempt_from_two_factor_are_named(db):
    finding = deploy.check_two_factor_exemptions()
    assert finding.status == "error" and "gd-intake" in finding.message


def test_no_exempt_account_passes(only_account):
    assert deploy.check_two_factor_exemptions().status == "ok"


# --- the machine and the calendar ------------------------------------------------------------


def test_the_cjk_font_check_passes_with_the_font(cjk_font):
    assert deploy.check_cjk_font().status == "ok"


def test_the_cjk_font_check_fails_without_fontconfig(no_fontconfig):
    finding = deploy.check_cjk_font()
    assert finding.status == "error" and "fonts-noto-cjk" in finding.message


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 10, 31), "ok"),  # too early to expect next year's schedule
        (date(2026, 11, 1), "warning"),
        (date(2026, 12, 1), "error"),
    ],
)
def test_next_years_holiday_schedule_missing(db, today, status):
    known_years(2026)
    finding = deploy.check_holiday_schedule(today=today)
    assert finding.status == status and "2027" in finding.message


def test_next_years_holiday_schedule_entered(db):
    known_years(2026, 2027)
    assert deploy.check_holiday_schedule(today=date(2026, 12, 31)).status == "ok"


def test_this_years_holiday_schedule_missing_is_an_error(db):
    known_years(2025)
    finding = deploy.check_holiday_schedule(today=date(2026, 3, 1))
    assert finding.status == "error" and "2026" in finding.message


# --- the command ------------------------------------------------------------------------------


def test_the_command_passes_on_a_fit_installation(production_keys, only_account, cjk_font, capsys):
    today = date.today()
    known_years(today.year, today.year + 1)
    assert main(["deploy", "check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6
    assert all(line.startswith(("OK ", "SKIPPED ")) for line in lines), lines


def test_the_command_fails_naming_what_is_wrong(settings, only_account, no_fontconfig, capsys):
    settings.SECRET_KEY = STRONG_SECRET_KEY
    settings.QINGQIAN_AUDIT_KEY = STRONG_SECRET_KEY  # the same key twice
    official("li-official", DEMO_PASSWORD)
    assert main(["deploy", "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    status = {check["check"]: check["status"] for check in report["checks"]}
    assert report["ok"] is False
    assert status["secret key"] == "ok"
    assert status["audit key"] == status["demo password"] == status["CJK font"] == "error"
