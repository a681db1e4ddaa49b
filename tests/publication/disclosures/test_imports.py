"""The bulk import of large enterprises' disclosures filed elsewhere: all or
nothing, every bad row reported, clean rows filed and cross-checked."""

import io
from datetime import date

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied

from qingqian.publication.disclosures import imports
from qingqian.publication.models import Disclosure, DisclosureFlag

HEADER = ",".join(imports.TEMPLATE_HEADER)
ON = date(2026, 7, 10)
NOTE = "国家企业信用信息公示系统年报，2026-07-10导出"


def run(actor, text, *, encoding="utf-8", name="disclosures.csv"):
    return imports.disclosures_import(
        actor=actor, fileobj=io.BytesIO(text.encode(encoding)), filename=name, note=NOTE, on=ON
    )


def test_a_clean_file_files_every_row_and_cross_checks_it(ledger_2025, body, debtor, user):
    text = f'{HEADER}\n{body.uscc},2025,否,0,0,\n{debtor.uscc},2025,是,1,"1,000.00",一笔\n'
    result = run(user("gd-intake"), text)
    assert (result.filed, result.flagged) == (2, 2)
    version = Disclosure.objects.get(enterprise=body).versions.get()
    assert version.filed_by == user("gd-intake")
    assert version.count_reason == version.amount_reason == f"导入：{NOTE}"
    assert version.flag.kind == DisclosureFlag.Kind.NONE_BUT_OVERDUE
    assert version.flag.items.count() == 3
    other = Disclosure.objects.get(enterprise=debtor).versions.get()
    assert (other.overdue_count, other.overdue_amount_fen) == (1, 1_000_00)


def test_one_bad_row_and_nothing_is_written(ledger_2025, body, debtor, agency, user):
    text = (
        f"{HEADER}\n"
        f"{body.uscc},2025,否,0,0,\n"  # fine
        f"{agency.uscc},2025,否,0,0,\n"  # an agency publishes itself, not in an annual report
        f"{debtor.uscc},2030,是,1,10,\n"  # no such period
        f"{debtor.uscc},2025,也许,1,10,\n"  # neither yes nor no
        f"{body.uscc},2025,否,0,0,\n"  # twice
        f"{debtor.uscc},2024,否,2,0,\n"  # "none" with a number
    )
    with pytest.raises(imports.ImportRefused) as refused:
        run(user("gd-intake"), text)
    problems = [(p.row, p.column.split(" / ")[1]) for p in refused.value.problems]
    assert problems == [
        (3, "uscc"),
        (4, "year"),
        (5, "has_overdue"),
        (6, "uscc"),
        (7, "has_overdue"),
    ]
    assert not Disclosure.objects.exists()


def test_bodies_outside_the_jurisdiction_and_those_who_filed_are_refused(
    body, rep, enterprise_2025, user
):
    text = f"{HEADER}\n{body.uscc},2025,否,0,0,\n"
    with pytest.raises(imports.ImportRefused) as refused:
        run(user("js-intake"), text)
    assert refused.value.problems[0].reason == "该主体不在您的辖区内。"
    from qingqian.publication.disclosures import services

    services.disclosure_file(
        actor=rep,
        period=enterprise_2025,
        enterprise=body,
        has_overdue=False,
        overdue_count=0,
        overdue_amount_fen=0,
        on=date(2026, 5, 1),
    )
    with pytest.raises(imports.ImportRefused) as refused:
        run(user("gd-intake"), text)
    assert "已在平台上填报" in refused.value.problems[0].reason


@pytest.mark.parametrize("username", ["gd-handler", "supervisor", "debtor-demo", "sme-demo"])
def test_only_an_sme_authority_that_keeps_ledgers_imports(user, username, body):
    with pytest.raises(PermissionDenied):
        run(user(username), f"{HEADER}\n{body.uscc},2025,否,0,0,\n")


def test_gb18030_csv_and_xlsx_are_read(body, debtor, user):
    result = run(user("gd-intake"), f"{HEADER}\n{body.uscc},2025,否,0,0,无\n", encoding="gb18030")
    assert result.filed == 1
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, imports.TEMPLATE_HEADER)
    sheet.write_row(1, 0, [debtor.uscc, 2025, "否", 0, 0, ""])
    workbook.close()
    buffer.seek(0)
    result = imports.disclosures_import(
        actor=user("gd-intake"), fileobj=buffer, filename="d.xlsx", note=NOTE, on=ON
    )
    assert result.filed == 1
    assert Disclosure.objects.count() == 2


def test_a_file_without_the_columns_is_refused(user):
    with pytest.raises(imports.ImportRefused) as refused:
        run(user("gd-intake"), "name,amount\nx,1\n")
    assert "缺少列" in refused.value.problems[0].reason


def test_the_import_page(client_for, body):
    client = client_for("gd-intake")
    assert client.get("/disclosures/import/").status_code == 200
    upload = io.BytesIO(f"{HEADER}\n{body.uscc},2025,否,0,0,\n".encode())
    upload.name = "d.csv"
    answer = client.post("/disclosures/import/", {"file": upload, "note": NOTE})
    assert answer.status_code == 200
    assert answer.context["result"].filed == 1
    bad = io.BytesIO(f"{HEADER}\n{body.uscc},2025,也许,0,0,\n".encode())
    bad.name = "bad.csv"
    refused = client.post("/disclosures/import/", {"file": bad, "note": NOTE})
    assert refused.status_code == 400 and refused.context["problem_total"] >= 1
    assert client_for("gd-handler").get("/disclosures/import/").status_code == 403
