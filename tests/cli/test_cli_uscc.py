"""`qingqian uscc CODE...`."""

import json
import subprocess
import sys
from pathlib import Path

from qingqian.cli import main

QINGQIAN = str(Path(sys.executable).with_name("qingqian"))
HUAWEI = "914403001922038216"
TENCENT = "9144030071526726XG"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_all_valid_exits_0(capsys):
    code, out, err = run(capsys, "uscc", HUAWEI, "9144 0300 7152 6726 xg")
    assert (code, err) == (0, "")
    assert out == f"{HUAWEI}  valid\n{TENCENT}  valid\n"


def test_any_invalid_exits_1_with_one_line_per_code(capsys):
    code, out, _ = run(capsys, "uscc", HUAWEI, "91440300192203821X", "123", "")
    assert code == 1
    assert out.splitlines() == [
        f"{HUAWEI}  valid",
        "91440300192203821X  invalid: check digit mismatch (expected 6)",
        "123  invalid: must be 18 characters, got 3",
        "(empty)  invalid: no code given",
    ]


def test_json_lists_every_code(capsys):
    code, out, _ = run(capsys, "uscc", "--json", TENCENT.lower(), "91440300192203821X")
    assert code == 1
    assert json.loads(out) == [
        {
            "input": TENCENT.lower(),
            "valid": True,
            "code": TENCENT,
            "reason": "valid",
            "reason_code": "ok",
        },
        {
            "input": "91440300192203821X",
            "valid": False,
            "code": "91440300192203821X",
            "reason": "check digit mismatch (expected 6)",
            "reason_code": "check_digit",
        },
    ]


def test_json_all_valid_exits_0(capsys):
    code, out, _ = run(capsys, "uscc", HUAWEI, "--json")
    assert code == 0
    assert json.loads(out)[0]["valid"] is True


def test_console_script():
    done = subprocess.run(
        [QINGQIAN, "uscc", HUAWEI, "91440300192203821X"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == (
        f"{HUAWEI}  valid\n91440300192203821X  invalid: check digit mismatch (expected 6)\n"
    )
