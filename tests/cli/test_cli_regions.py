"""`qingqian regions lookup|import`."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qingqian.cli import main

QINGQIAN = str(Path(sys.executable).with_name("qingqian"))
# MCA county list as of 2024-12-31 (see src/qingqian/core/data/REGIONS_SOURCE.md).
SHARED_COUNTIES = Path(__file__).resolve().parents[1] / "fixtures" / "counties_2024.csv"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- lookup ---


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("440300", "440300  深圳市  prefecture  province: 440000 广东省"),
        ("110000", "110000  北京市  province  province: 110000 北京市"),
        ("652900", "652900  阿克苏地区  prefecture  province: 650000 新疆维吾尔自治区"),
    ],
)
def test_lookup_shipped(capsys, code, line):
    assert run(capsys, "regions", "lookup", code) == (0, line + "\n", "")


def test_lookup_json(capsys):
    code, out, _ = run(capsys, "regions", "lookup", "440300", "--json")
    assert code == 0
    assert json.loads(out) == {
        "code": "440300",
        "name": "深圳市",
        "level": "prefecture",
        "province_code": "440000",
        "province_name": "广东省",
        "source": "shipped",
    }


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("990000", "no province has the prefix 99"),
        ("4403", "not a 6-digit region code"),
        ("110100", "not a known prefecture-level code"),
    ],
)
def test_lookup_unknown_exits_1(capsys, code, message):
    result, out, err = run(capsys, "regions", "lookup", code)
    assert (result, out) == (1, "")
    assert message in err


@pytest.mark.django_db
def test_lookup_county_reads_the_database(capsys, tmp_path):
    code, out, err = run(capsys, "regions", "lookup", "440305")
    assert (code, out) == (1, "")
    assert "not an imported county-level code (province 广东省)" in err

    csv_file = tmp_path / "counties.csv"
    csv_file.write_text("440305,南山区\n", encoding="utf-8")
    assert run(capsys, "regions", "import", str(csv_file))[0] == 0
    code, out, _ = run(capsys, "regions", "lookup", "440305", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["name"], data["level"], data["source"]) == ("南山区", "county", "imported")
    assert data["province_name"] == "广东省"


# --- import ---


@pytest.mark.django_db
def test_import_the_real_list_with_extra_columns(capsys, tmp_path):
    from qingqian.core.models import AuditEvent, Region

    csv_file = tmp_path / "counties.csv"
    shutil.copy(SHARED_COUNTIES, csv_file)
    before = AuditEvent.objects.count()
    assert run(capsys, "regions", "import", str(csv_file)) == (
        0,
        "imported 2846 county-level regions\n",
        "",
    )
    assert Region.objects.count() == 2846
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-seq").first().verb == "regions.import"


@pytest.mark.django_db
def test_import_json_and_bom(capsys, tmp_path):
    csv_file = tmp_path / "counties.csv"
    csv_file.write_text("\ufeffcode,name\n440305,南山区\n440306,宝安区\n", encoding="utf-8")
    code, out, _ = run(capsys, "regions", "import", str(csv_file), "--json")
    assert code == 0
    assert json.loads(out) == {"imported": 2}


@pytest.mark.django_db
def test_import_with_bad_rows_reports_each_and_writes_nothing(capsys, tmp_path):
    from qingqian.core.models import AuditEvent, Region

    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(
        "code,name\n440305,南山区\n440300,深圳市\n99010,短码\n440306,\n440305,南山区\n",
        encoding="utf-8",
    )
    before = AuditEvent.objects.count()
    code, out, err = run(capsys, "regions", "import", str(csv_file))
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0] == f"{csv_file}: line 3: 440300: province and prefecture codes ship with " + (
        "the package; only county codes import"
    )
    assert lines[1] == f"{csv_file}: line 4: 99010: code must be 6 digits"
    assert lines[2] == f"{csv_file}: line 5: 440306: name is empty"
    assert lines[3] == f"{csv_file}: line 6: 440305: duplicate code (first on line 2)"
    assert lines[4] == "error: 4 bad row(s); nothing imported"
    assert not Region.objects.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read"), (b"\xff\xfe\x00bad", "cannot read"), (b"\n\n", "has no rows")],
)
def test_import_unreadable_files(capsys, tmp_path, content, message):
    csv_file = tmp_path / "counties.csv"
    if content is not None:
        csv_file.write_bytes(content)
    code, out, err = run(capsys, "regions", "import", str(csv_file))
    assert (code, out) == (1, "")
    assert message in err


def test_console_script():
    done = subprocess.run(
        [QINGQIAN, "regions", "lookup", "440300"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (
        0,
        "440300  深圳市  prefecture  province: 440000 广东省\n",
    )
