"""`qingqian money parse|format`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qingqian.cli import main

QINGQIAN = str(Path(sys.executable).with_name("qingqian"))


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("text", "fen"),
    [("1,234.56", "123456"), ("¥1,234.00", "123400"), ("1234.5", "123450"), ("0", "0")],
)
def test_parse_prints_fen(capsys, text, fen):
    assert run(capsys, "money", "parse", text) == (0, fen + "\n", "")


def test_parse_json(capsys):
    code, out, err = run(capsys, "money", "parse", "45,500", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"input": "45,500", "fen": 4550000, "yuan": "45500.00"}


@pytest.mark.parametrize(
    ("text", "code_word"),
    [
        ("1.234", "too_many_decimals"),
        ("1e5", "exponent"),
        ("NaN", "not_finite"),
        ("12,34", "bad_grouping"),
        ("abc", "invalid_format"),
        ("", "empty"),
        ("-5", "negative"),
    ],
)
def test_parse_bad_input_exits_1_with_reason(capsys, text, code_word):
    code, out, err = run(capsys, "money", "parse", text)
    assert (code, out) == (1, "")
    assert err.startswith("error: ")
    assert f"[{code_word}]" in err


def test_parse_negative_when_allowed(capsys):
    assert run(capsys, "money", "parse", "--allow-negative", "--", "-1.5") == (0, "-150\n", "")


@pytest.mark.parametrize(
    ("argv", "printed"),
    [
        (["123456"], "¥1,234.56"),
        (["123456", "--locale", "en"], "CNY 1,234.56"),
        (["-123456"], "-¥1,234.56"),
        (["0"], "¥0.00"),
    ],
)
def test_format(capsys, argv, printed):
    assert run(capsys, "money", "format", *argv) == (0, printed + "\n", "")


def test_format_json(capsys):
    code, out, _ = run(capsys, "money", "format", "4550000", "--locale", "en", "--json")
    assert code == 0
    assert json.loads(out) == {
        "fen": 4550000,
        "locale": "en",
        "formatted": "CNY 45,500.00",
        "yuan": "45500.00",
    }


@pytest.mark.parametrize("fen", ["12.5", "abc", "1e3", "1_000", "100000000000000000"])
def test_format_bad_input(capsys, fen):
    code, out, err = run(capsys, "money", "format", fen)
    assert (code, out) == (1, "")
    assert err.startswith("error: ")


def test_console_script():
    done = subprocess.run(
        [QINGQIAN, "money", "parse", "¥1,234.56"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "123456\n")
    done = subprocess.run(
        [QINGQIAN, "money", "parse", "1.001"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "too_many_decimals" in done.stderr


def test_pure_commands_do_not_load_django():
    """money, uscc, size and regions lookup of shipped codes stay fast: no Django."""
    script = (
        "import sys\n"
        "from qingqian.cli import main\n"
        "main(['money', 'parse', '1'])\n"
        "main(['money', 'format', '1'])\n"
        "main(['uscc', '914403001922038216'])\n"
        "main(['size', '--industry', 'retail', '--staff', '40', '--revenue', '800'])\n"
        "main(['regions', 'lookup', '440300'])\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "print(len(loaded))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "0"
