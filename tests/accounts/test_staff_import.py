"""Bulk onboarding from CSV: all rows invited in one go, or none with every
wrong row named by number and column; UTF-8 (BOM or not) and GBK files."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from qingqian.accounts.models import User
from qingqian.cli import main as cli
from qingqian.core.models import AuditEvent
from tests.accounts.staff_helpers import GD_FINANCE, GUANGZHOU, JIANGSU, last_event, org

IMPORT = "/accounts/staff/import/"


def csv_bytes(rows, encoding="utf-8") -> bytes:
    lines = ["name,email,organisation_id,role", *(",".join(map(str, row)) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def three_rows():
    return [
        ("张三", "zhang@example.cn", org(GUANGZHOU).pk, "intake"),
        ("李四", "li@example.cn", org(GD_FINANCE).pk, "处理人员"),  # the role by its Chinese name
        ("王五", "wang@example.cn", org(GUANGZHOU).pk, "Supervisor"),
    ]


def upload(client, data: bytes, captured):
    with captured(execute=True):
        return client.post(IMPORT, {"file": SimpleUploadedFile("staff.csv", data, "text/csv")})


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_three_staff_invited_in_one_go(
    client, gd_admin, immediate_tasks, django_capture_on_commit_callbacks, encoding
):
    client.force_login(gd_admin)
    response = upload(client, csv_bytes(three_rows(), encoding), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    people = User.objects.filter(email__in=["zhang@example.cn", "li@example.cn", "wang@example.cn"])
    assert {(p.first_name, p.role, p.organisation.name) for p in people} == {
        ("张三", "intake", GUANGZHOU),
        ("李四", "handler", GD_FINANCE),
        ("王五", "supervisor", GUANGZHOU),
    }
    assert sorted(m.to[0] for m in mail.outbox) == [
        "li@example.cn",
        "wang@example.cn",
        "zhang@example.cn",
    ]
    event = last_event()
    assert (event.verb, event.payload["rows"]) == ("user.import", 3)
    assert AuditEvent.objects.filter(verb="user.invite").count() == 3


@pytest.mark.django_db
def test_one_bad_row_writes_nothing_and_the_report_names_row_and_column(
    client, gd_admin, immediate_tasks, django_capture_on_commit_callbacks
):
    rows = three_rows()
    rows.insert(
        1, ("赵六", "zhao@example.cn", org(JIANGSU).pk, "intake")
    )  # another province: row 3
    rows.append(("钱七", "zhang@example.cn", org(GUANGZHOU).pk, "sme"))  # row 6: twice, and a role
    users, events = User.objects.count(), AuditEvent.objects.count()
    client.force_login(gd_admin)
    response = upload(client, csv_bytes(rows), django_capture_on_commit_callbacks)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 3, errors
    assert errors[0].startswith("第3行") and "单位编号" in errors[0]
    assert any(e.startswith("第6行") and "电子邮箱" in e and "第2行" in e for e in errors)
    assert any(e.startswith("第6行") and "角色" in e for e in errors)
    assert (User.objects.count(), AuditEvent.objects.count(), mail.outbox) == (users, events, [])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"nom,mail\r\nx,y\r\n",
        b"name,email,organisation_id,role\r\n",
        b"\xff\xfe\x00bad",
        b"x" * (1024 * 1024 + 1),
    ],
)
def test_files_that_are_not_a_staff_list_are_refused_on_the_file(client, gd_admin, data):
    client.force_login(gd_admin)
    response = client.post(
        IMPORT, {"file": SimpleUploadedFile("staff.csv", data or b" ", "text/csv")}
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]


@pytest.mark.django_db
def test_the_template_names_the_columns_and_an_organisation_of_the_administrator(client, gd_admin):
    client.force_login(gd_admin)
    response = client.get("/accounts/staff/import/template/")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "name,email,organisation_id,role"
    assert f",{gd_admin.organisation_id},intake" in text.splitlines()[1]
    page = client.get(IMPORT).content.decode()
    assert JIANGSU not in page and GUANGZHOU in page


@pytest.mark.django_db
def test_the_command_line_imports_as_the_named_administrator(
    gd_admin, tmp_path, immediate_tasks, capsys
):
    path = tmp_path / "staff.csv"
    path.write_bytes(csv_bytes(three_rows(), "gbk"))
    assert cli(["staff", "import", str(path), "--actor", "gd-admin"]) == 0
    assert User.objects.filter(email="li@example.cn", organisation=org(GD_FINANCE)).exists()
    assert "3" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([("赵六", "zhao@example.cn", org(JIANGSU).pk, "intake")]))
    assert cli(["staff", "import", str(bad), "--actor", "gd-admin"]) != 0
    assert (
        "第2行" in capsys.readouterr().err
        or not User.objects.filter(email="zhao@example.cn").exists()
    )
