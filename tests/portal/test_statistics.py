"""Open statistics: the figures of the tallies, small cells suppressed on the page
and in the downloads alike, at the boundary 4 → "<5", 5 → 5."""

import csv
import io
import re
from datetime import date

import pytest
from django.utils import timezone

from qingqian.ledger.models import LedgerTotal
from qingqian.portal.figures import SECONDARY, SUPPRESSED, count_cell, rate_cell
from qingqian.supervision.dashboard.snapshots import ledger_snapshot_take
from qingqian.supervision.models import ComplaintTally, Grain, LedgerSnapshot

MARCH = {"from": "2026-03", "to": "2026-03"}


def tally(measure: str, count: int, *, region: str = "440000", month=date(2026, 3, 1)):
    for grain, code in ((Grain.PROVINCE, region), (Grain.CITY, region[:4] + "00")):
        ComplaintTally.objects.create(
            grain=grain,
            region_code=code,
            month=month,
            debtor_type="large",
            measure=measure,
            count=count,
        )


def month_row(html: str, month: str) -> list[str]:
    row = re.search(rf'<th scope="row">{month}</th>(.*?)</tr>', html, re.S)
    assert row, f"no row for {month}"
    return re.findall(r"<td>(.*?)</td>", row.group(1))


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_rule_at_the_boundary():
    assert [count_cell(n) for n in (0, 1, 4, 5, 6)] == [0, SUPPRESSED, SUPPRESSED, 5, 6]
    four = {"met": 3, "breached": 1, "rate": 75}
    five = {"met": 4, "breached": 1, "rate": 80}
    assert rate_cell(four) == SUPPRESSED
    assert rate_cell(five) == 80
    assert rate_cell({"met": 0, "breached": 0, "rate": None}) is None


@pytest.mark.django_db
def test_page_shows_four_as_under_five_and_five_as_five(client):
    tally("received", 4)
    tally("accepted", 5)
    tally("transfer_met", 4)
    tally("handling_met", 4)
    tally("handling_breached", 1)
    response = client.get("/public/statistics/44/", MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    received, accepted, transferred, resolved, review, transfer, handling = month_row(
        html, "2026-03"
    )
    assert (received, accepted, transferred, resolved) == ("&lt;5", "5", "0", "0")
    assert review == "—"  # nothing rated
    assert transfer == "&lt;5"  # 4 rated clocks
    assert handling == "80.0"  # 4 of 5 on time
    assert "以免识别具体投诉" in html or "no individual complaint can be identified" in html


@pytest.mark.django_db
def test_csv_writes_the_same_cells_and_names_period_and_moment(client):
    tally("received", 4)
    tally("accepted", 5)
    response = client.get(
        "/public/statistics/", {**MARCH, "region": "44", "download": "months", "format": "csv"}
    )
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert re.search(
        r"statistics-44-months-2026-03_2026-03-extracted-\d{8}T\d{6}\.csv", disposition
    )
    header, row = csv_rows(response)
    assert len(header) == 8
    assert row[:5] == ["2026-03", "<5", "5", "0", "0"]


@pytest.mark.django_db
def test_national_provinces_table_counts_each_province_apart(client):
    tally("received", 6, region="440000")
    tally("received", 3, region="320000")
    tally("received", 5, region="310000")
    response = client.get(
        "/public/statistics/", {**MARCH, "download": "provinces", "format": "csv"}
    )
    rows = {row[0]: row for row in csv_rows(response)[1:]}
    assert len(rows) == 34  # every province, with or without complaints
    assert rows["44"][2] == "6"
    assert rows["32"][2] == "<5"
    assert rows["31"][2] == SECONDARY  # 14 - 6 would give Jiangsu's 3 away
    assert rows["11"][2] == "0"
    national = client.get("/public/statistics/", MARCH).content.decode()
    assert month_row(national, "2026-03")[0] == "14"


def provinces_csv(client, params=MARCH) -> dict[str, list[str]]:
    response = client.get(
        "/public/statistics/", {**params, "download": "provinces", "format": "csv"}
    )
    return {row[0]: row for row in csv_rows(response)[1:]}


def province_cells(html: str, prefix: str) -> list[str]:
    row = re.search(rf'<th scope="row">{prefix}</th>(.*?)</tr>', html, re.S)
    assert row, f"no row for {prefix}"
    return re.findall(r"<td>(.*?)</td>", row.group(1))


@pytest.mark.django_db
@pytest.mark.parametrize(("jiangsu", "shown"), [(4, ["<5", "x", "7"]), (5, ["5", "6", "7"])])
def test_one_small_province_hides_the_smallest_other_too(client, jiangsu, shown):
    """The total (14 + Jiangsu) is on the page: with Jiangsu alone "<5", the
    total minus the others would give it; the smallest other (Guangdong's 6)
    is hidden as "x". At 5 nothing is suppressed, so nothing needs hiding."""
    tally("received", jiangsu, region="320000")
    tally("received", 6, region="440000")
    tally("received", 7, region="310000")
    rows = provinces_csv(client)
    assert [rows[p][2] for p in ("32", "44", "31")] == shown
    assert rows["11"][2] == "0"  # a zero is never the one hidden: it reveals nothing
    html = client.get("/public/statistics/", MARCH).content.decode()
    page = [province_cells(html, p)[1] for p in ("32", "44", "31")]
    assert page == [cell.replace("<", "&lt;") for cell in shown]  # the page says the same


@pytest.mark.django_db
def test_two_small_provinces_need_no_second_hiding(client):
    tally("received", 3, region="320000")
    tally("received", 2, region="310000")
    tally("received", 6, region="440000")
    rows = provinces_csv(client)
    assert [rows[p][2] for p in ("32", "31", "44")] == ["<5", "<5", "6"]


@pytest.mark.django_db
def test_each_column_hides_its_own_second_cell(client):
    tally("received", 9, region="320000")
    tally("received", 8, region="440000")
    tally("accepted", 2, region="320000")
    tally("accepted", 8, region="440000")
    tally("accepted", 6, region="310000")
    rows = provinces_csv(client)
    assert [rows[p][2] for p in ("32", "44", "31")] == ["9", "8", "0"]
    assert [rows[p][3] for p in ("32", "44", "31")] == ["<5", "8", SECONDARY]


@pytest.mark.django_db
def test_one_small_month_hides_the_smallest_other_month(client):
    """A month row's cells add up to the period's total (the headline): one "<5"
    month is protected by hiding the smallest other non-zero month."""
    for month, count in ((1, 4), (2, 9), (3, 6), (4, 0)):
        tally("received", count, month=date(2026, month, 1))
    params = {"from": "2026-01", "to": "2026-04"}
    html = client.get("/public/statistics/44/", params).content.decode()
    page = [month_row(html, f"2026-0{m}")[0] for m in (1, 2, 3, 4)]
    assert page == ["&lt;5", "9", SECONDARY, "0"]
    response = client.get(
        "/public/statistics/", {**params, "region": "44", "download": "months", "format": "csv"}
    )
    assert [row[1] for row in csv_rows(response)[1:]] == ["<5", "9", SECONDARY, "0"]


@pytest.mark.django_db
def test_a_provinces_four_amounts_are_hidden_together(client):
    """Identified = cleared + outstanding: hiding one amount of a row would be
    undone by the other two, so the second province's four amounts go together."""

    def ledger(province: str, items: int, owed: int, paid: int):
        LedgerTotal.objects.create(
            region_code=province,
            province_code=province,
            debtor_type="large",
            status="partly_paid",
            category="undisputed",
            items=items,
            owed_fen=owed,
            paid_fen=paid,
        )

    ledger("320000", 3, 900_00, 100_00)
    ledger("440000", 5, 800_00, 300_00)
    ledger("310000", 6, 700_00, 200_00)  # the smallest other identified amount
    rows = provinces_csv(client, {})
    assert rows["32"][-4:] == ["<5"] * 4
    assert rows["31"][-4:] == [SECONDARY] * 4
    assert rows["44"][-4:] == ["800.00", "300.00", "500.00", "500.00"]


@pytest.mark.django_db
def test_ledger_amounts_of_fewer_than_five_items_are_suppressed(client, make_item):
    for _ in range(4):
        make_item(owed_fen=100_00)

    def guangdong():
        response = client.get("/public/statistics/", {"download": "provinces", "format": "csv"})
        return {row[0]: row for row in csv_rows(response)[1:]}["44"][-4:]

    assert guangdong() == ["<5"] * 4
    make_item(owed_fen=100_00)
    assert guangdong() == ["500.00", "0.00", "500.00", "500.00"]


@pytest.mark.django_db
def test_a_province_page_shows_only_that_province(client):
    tally("received", 7, region="440000")
    tally("received", 9, region="320000")
    html = client.get("/public/statistics/", {**MARCH, "region": "32"}).content.decode()
    assert month_row(html, "2026-03")[0] == "9"
    assert 'data-testid="table-provinces"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "field_words"),
    [
        ("/public/statistics/99/", ("province", "省")),
        ("/public/statistics/4401/", ("2-digit", "2 位")),
        ("/public/statistics/?from=2026-13", ("YYYY-MM",)),
    ],
)
def test_a_bad_request_is_refused_with_its_reason(client, url, field_words):
    response = client.get(url)
    assert response.status_code == 400
    assert any(words in response.content.decode() for words in field_words)


def snapshot(month: int, items, cleared: int, outstanding: int, region: str = "440000"):
    LedgerSnapshot.objects.create(
        month=date(2026, month, 1),
        grain=Grain.PROVINCE,
        region_code=region,
        cleared_fen=cleared,
        outstanding_fen=outstanding,
        items=items,
    )


@pytest.mark.django_db
def test_arrears_by_month_withhold_amounts_of_fewer_than_five_items(client):
    """Each month's end as its snapshot holds it: 4 items "<5", 5 items the
    amounts, a snapshot that did not count its items and a month without one "—"."""
    snapshot(1, 4, 100_00, 300_00)
    snapshot(2, 5, 200_00, 400_00)
    snapshot(3, None, 250_00, 450_00)
    params = {"from": "2026-01", "to": "2026-04"}
    response = client.get(
        "/public/statistics/", {**params, "region": "44", "download": "arrears", "format": "csv"}
    )
    assert csv_rows(response)[1:] == [
        ["2026-01", "<5", "<5"],
        ["2026-02", "200.00", "400.00"],
        ["2026-03", "", ""],
        ["2026-04", "", ""],
    ]
    html = client.get("/public/statistics/44/", params).content.decode()
    table = re.search(r'data-testid="table-arrears">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r"<td>(.*?)</td>", table) == [
        "&lt;5", "&lt;5", "¥200.00", "¥400.00", "—", "—", "—", "—"
    ]  # fmt: skip
    snapshot(1, 1, 1_00, 0, region="320000")  # a second province, nationally summed
    national = client.get("/public/statistics/", {**params, "download": "arrears", "format": "csv"})
    assert csv_rows(national)[1][1:] == ["101.00", "300.00"]  # 4 + 1 items


@pytest.mark.django_db
def test_this_months_arrears_are_the_ledger_now(client, make_item):
    for _ in range(5):
        make_item(owed_fen=100_00)
    this_month = f"{timezone.localdate():%Y-%m}"
    response = client.get(
        "/public/statistics/",
        {"from": this_month, "to": this_month, "download": "arrears", "format": "csv"},
    )
    assert csv_rows(response)[1:] == [[this_month, "0.00", "500.00"]]


@pytest.mark.django_db
def test_the_snapshot_job_counts_the_items(make_item):
    for _ in range(3):
        make_item(owed_fen=100_00)
    ledger_snapshot_take()
    row = LedgerSnapshot.objects.get(grain=Grain.PROVINCE, region_code="440000")
    assert row.items == 3 and row.outstanding_fen == 300_00
