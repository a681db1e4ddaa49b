"""`qingqian interest`: the total in yuan on stdout, warnings on stderr, errors exit 1."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qingqian.cli import main

QINGQIAN = str(Path(sys.executable).with_name("qingqian"))
BASE = ["interest", "--principal", "1000000.00", "--due", "2025-03-31", "--end", "2025-06-30"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_statutory_rate(capsys):
    # 91 days x 0.05% x 1,000,000 = 45,500.00
    assert run(capsys, *BASE) == (0, "45500.00\n", "")


def test_real_command_prints_exactly_the_total():
    done = subprocess.run([QINGQIAN, *BASE], capture_output=True, text=True, check=True)
    assert (done.stdout, done.stderr) == ("45500.00\n", "")


def test_payments_split_the_periods(capsys):
    # 04-01..04-10 on 10,000 = 50.00; 04-11..04-20 on 6,000 = 30.00
    argv = ["interest", "--principal", "10,000", "--due", "2025-03-31", "--end", "2025-04-20"]
    assert run(capsys, *argv, "--payment", "2025-04-10:4000.00")[:2] == (0, "80.00\n")


def test_json_breakdown(capsys):
    code, out, _ = run(capsys, *BASE, "--payment", "2025-04-30:500000", "--json")
    assert code == 0
    data = json.loads(out)
    # April: 30 days on 1,000,000 = 15,000; May-June: 61 days on 500,000 = 15,250
    assert data["total_yuan"] == "30250.00"
    assert [(p["from"], p["to"], p["days"], p["interest_yuan"]) for p in data["periods"]] == [
        ("2025-04-01", "2025-04-30", 30, "15000.00"),
        ("2025-05-01", "2025-06-30", 61, "15250.00"),
    ]
    assert data["basis"]["kind"] == "statutory"


@pytest.mark.django_db
def test_agreed_rate_below_lpr_reads_the_database_lpr(capsys):
    # 100,000 yuan, 10 days at 3.45% (LPR on 2023-09-01): 10,000,000 x 0.0345 x 10 / 365
    argv = ["interest", "--principal", "100000", "--due", "2024-06-30", "--end", "2024-07-10"]
    code, out, _ = run(capsys, *argv, "--agreed-rate", "2.5", "--signed", "2023-09-01", "--json")
    data = json.loads(out)
    assert (code, data["total_yuan"], data["basis"]["kind"]) == (0, "94.52", "agreed_raised_to_lpr")


def test_signing_before_the_regulations_warns_on_stderr(capsys):
    argv = ["interest", "--principal", "10000", "--due", "2020-06-30", "--end", "2020-09-10"]
    code, out, err = run(capsys, *argv, "--signed", "2019-12-01")
    assert (code, out) == (0, "360.00\n")  # 72 days x 5.00
    assert err.startswith("warning: contract signed 2019-12-01")
    code, out, _ = run(capsys, *argv, "--signed", "2019-12-01", "--from-regulations-start")
    assert (code, out) == (0, "50.00\n")  # 2020-09-01..09-10


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--agreed-rate", "3"], "--signed"),
        (["--agreed-rate", "3.1.2", "--signed", "2023-01-01"], "--agreed-rate"),
        (["--payment", "2025-04-01"], "DATE:AMOUNT"),
        (["--payment", "2025-04-01:1.005"], "--payment"),
        (["--payment", "2025-04-01:2000000"], "more than"),
        (["--signed", "2023-02-30"], "--signed"),
    ],
)
def test_bad_options_exit_1(capsys, extra, message):
    code, out, err = run(capsys, *BASE, *extra)
    assert (code, out) == (1, "")
    assert err.startswith("error: ") and message in err


def test_bad_principal_exits_1(capsys):
    argv = ["interest", "--principal", "1e6", "--due", "2025-03-31", "--end", "2025-06-30"]
    code, _, err = run(capsys, *argv)
    assert code == 1 and "--principal" in err
