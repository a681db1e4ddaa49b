"""`qingqian size`."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from qingqian.cli import main
from qingqian.cli import size as size_cli

QINGQIAN = str(Path(sys.executable).with_name("qingqian"))


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_issue_example_prints_small(capsys):
    argv = ["size", "--industry", "retail", "--staff", "40", "--revenue", "800"]
    assert run(capsys, *argv) == (0, "small\n", "")


@pytest.mark.parametrize(
    ("argv", "size"),
    [
        (["--industry", "agriculture", "--revenue", "20000"], "large"),
        (["--industry", "construction", "--revenue", "6000", "--assets", "5000"], "medium"),
        (
            ["--industry", "leasing_business_services", "--staff", "9", "--assets", "1000000"],
            "micro",
        ),
        (["--industry", "other", "--staff", "9"], "micro"),
        (["--industry", "retail", "--staff", "10", "--revenue", "99.99"], "micro"),
    ],
)
def test_sizes(capsys, argv, size):
    assert run(capsys, "size", *argv) == (0, size + "\n", "")


def test_exponent_is_refused_naming_the_option(capsys):
    code, out, err = run(
        capsys, "size", "--industry", "retail", "--staff", "10", "--revenue", "1e3"
    )
    assert (code, out) == (1, "")
    assert err.startswith("error: --revenue: ") and "not a plain decimal" in err


def test_json(capsys):
    code, out, _ = run(
        capsys, "size", "--industry", "retail", "--staff", "40", "--revenue", "800", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["size"] == "small"
    assert data["standard"] == "MIIT-2011-300"
    assert "staff 40 < 50" in data["reason"]


def test_date_before_the_standard(capsys):
    argv = ["size", "--industry", "retail", "--staff", "40", "--revenue", "800"]
    code, out, err = run(capsys, *argv, "--date", "2011-06-17")
    assert (code, out) == (1, "")
    assert "2011-06-18" in err
    assert run(capsys, *argv, "--date", "2011-06-18") == (0, "small\n", "")


def test_default_date_is_today_in_china(capsys, monkeypatch):
    monkeypatch.setattr(size_cli, "today_in_china", lambda: date(2011, 6, 1))
    code, _, err = run(capsys, "size", "--industry", "other", "--staff", "5")
    assert code == 1
    assert "2011-06-01" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--industry", "retail", "--staff", "40"], "revenue"),
        (["--industry", "mining", "--staff", "40"], "unknown industry"),
        (["--industry", "retail", "--staff", "-1", "--revenue", "5"], "staff may not be negative"),
        (["--staff", "40"], "--industry: this value is required"),
    ],
)
def test_errors_exit_1(capsys, argv, message):
    code, out, err = run(capsys, "size", *argv)
    assert (code, out) == (1, "")
    assert message in err


def test_list_industries(capsys):
    code, out, _ = run(capsys, "size", "--list-industries")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 16
    assert lines[0].split()[:2] == ["agriculture", "农、林、牧、渔业"]
    assert any(
        line.startswith("retail ") and "零售业" in line and "Retail" in line for line in lines
    )


def test_list_industries_json(capsys):
    code, out, _ = run(capsys, "size", "--list-industries", "--json")
    assert code == 0
    data = json.loads(out)
    assert {
        "id": "retail",
        "zh": "零售业",
        "en": "Retail",
        "measures": ["staff", "revenue"],
    } in data


def test_console_script():
    done = subprocess.run(
        [QINGQIAN, "size", "--industry", "retail", "--staff", "40", "--revenue", "800"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "small\n")
