"""`qingqian deadline` and `qingqian calendar ...` against the (seeded) database calendar."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qingqian.cli import main
from qingqian.core.models import AuditEvent, CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db
QINGQIAN = str(Path(sys.executable).with_name("qingqian"))

SCHEDULE_2027 = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,休,春节\n2027-02-20,班,春节\n"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- deadline ---------------------------------------------------------------------


def test_working_days_over_national_day_2026(capsys):
    assert run(capsys, "deadline", "2026-09-30", "--working-days", "10") == (0, "2026-10-20\n", "")


def test_calendar_days_roll_forward(capsys):
    # 2026-09-01 + 30 = 10-01, National Day until 10-07 -> 10-08
    assert run(capsys, "deadline", "2026-09-01", "--days", "30") == (0, "2026-10-08\n", "")


def test_deadline_json_has_the_rule(capsys):
    code, out, _ = run(capsys, "deadline", "2026-09-30", "--working-days", "10", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["date"] == "2026-10-20"
    assert data["provisional"] is False and data["missing_years"] == []
    assert "10 working days after 2026-09-30" in data["rule"]


def test_deadline_into_an_unknown_year_exits_2_naming_it(capsys):
    code, out, err = run(capsys, "deadline", "2026-12-01", "--working-days", "30")
    assert (code, out) == (2, "")
    assert "2027" in err


def test_provisional_deadline_is_marked(capsys):
    code, out, err = run(
        capsys, "deadline", "2026-12-01", "--working-days", "30", "--provisional", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert (data["date"], data["provisional"], data["missing_years"]) == (
        "2027-01-13",
        True,
        [2027],
    )
    assert "provisional" in err and "2027" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["2026-02-30", "--days", "3"], "START"),
        (["30/09/2026", "--days", "3"], "START"),
        (["2026-09-30", "--days", "-3"], "--days"),
        (["2026-09-30", "--working-days", "ten"], "--working-days"),
    ],
)
def test_bad_input_exits_1(capsys, argv, message):
    code, out, err = run(capsys, "deadline", *argv)
    assert (code, out) == (1, "")
    assert err.startswith("error: ") and message in err


def test_zero_days_is_the_start_date(capsys):
    assert run(capsys, "deadline", "2026-10-01", "--days", "0")[:2] == (0, "2026-10-01\n")


# --- calendar import / show / seed --------------------------------------------------


def test_import_a_year_then_count_into_it(capsys, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(SCHEDULE_2027, encoding="utf-8")
    code, out, err = run(capsys, "calendar", "import", str(path))
    assert (code, out, err) == (0, "imported 2027: 2 holidays, 1 make-up working days\n", "")
    assert CalendarYear.objects.get(year=2027).source == "import 2027.csv"
    assert run(capsys, "deadline", "2026-12-01", "--working-days", "30")[:2] == (0, "2027-01-13\n")


def test_import_of_a_file_with_the_chinese_header(capsys, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("日期,类别,名称\n2027-10-01,休,国庆节\n2027-10-09,班,国庆节调休\n", "utf-8-sig")
    code, out, err = run(capsys, "calendar", "import", str(path))
    assert (code, out, err) == (0, "imported 2027: 1 holidays, 1 make-up working days\n", "")


def test_bad_import_reports_every_line_and_writes_nothing(capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "date,kind,name\n2027-01-01,holiday,x\n2027-13-01,holiday,x\n2027-01-06,workday,x\n",
        encoding="utf-8",
    )
    before = (CalendarDay.objects.count(), AuditEvent.objects.count())
    code, out, err = run(capsys, "calendar", "import", str(path))
    assert (code, out) == (1, "")
    assert "line 3:" in err and "line 4:" in err and "nothing imported" in err
    assert (CalendarDay.objects.count(), AuditEvent.objects.count()) == before
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_import_of_a_missing_file(capsys, tmp_path):
    code, _, err = run(capsys, "calendar", "import", str(tmp_path / "none.csv"))
    assert code == 1 and "cannot read" in err


def test_show_a_year(capsys):
    code, out, _ = run(capsys, "calendar", "show", "2026")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2026: schedule from chinesecalendar 1.11.0"
    assert "2026-10-10 Sat workday  National Day" in lines
    assert "2026-02-15 Sun holiday  Spring Festival" in lines


def test_show_json(capsys):
    code, out, _ = run(capsys, "calendar", "show", "2026", "--json")
    data = json.loads(out)
    assert code == 0 and data["year"] == 2026
    assert {"date": "2026-09-20", "weekday": "Sun", "kind": "workday", "name": "National Day"} in (
        data["days"]
    )


def test_show_unknown_year_exits_2(capsys):
    code, out, err = run(capsys, "calendar", "show", "2027")
    assert (code, out) == (2, "")
    assert "2027" in err


def test_seed_when_already_seeded(capsys):
    code, out, _ = run(capsys, "calendar", "seed")
    assert code == 0 and out.startswith("nothing to add")


# --- the real command, where the exact stdout matters ---------------------------------


def test_real_command_prints_only_the_date(tmp_path):
    env = {**os.environ, "QINGQIAN_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run([QINGQIAN, "manage", "migrate", "-v", "0"], env=env, check=True)
    seed = subprocess.run([QINGQIAN, "calendar", "seed"], env=env, capture_output=True, text=True)
    assert seed.stdout.startswith("calendar years added: 2004-2026 (23)")
    done = subprocess.run(
        [QINGQIAN, "deadline", "2026-09-30", "--working-days", "10"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "2026-10-20\n", "")
    unknown = subprocess.run(
        [QINGQIAN, "deadline", "2026-12-01", "--working-days", "30"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert "2027" in unknown.stderr
