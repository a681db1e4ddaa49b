"""Open statistics: the figures of the tallies, small cells suppressed on the page
and in the downloads alike, at the boundary 4 → "<5", 5 → 5."""

import csv
import io
import re
from datetime import date

import pytest

from qingqian.portal.figures import SUPPRESSED, count_cell, rate_cell
from qingqian.supervision.models import ComplaintTally, Grain

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
    tally("received", 5, region="440000")
    tally("received", 3, region="320000")
    response = client.get(
        "/public/statistics/", {**MARCH, "download": "provinces", "format": "csv"}
    )
    rows = {row[0]: row for row in csv_rows(response)[1:]}
    assert len(rows) == 34  # every province, with or without complaints
    assert rows["44"][2] == "5"
    assert rows["32"][2] == "<5"
    assert rows["11"][2] == "0"
    national = client.get("/public/statistics/", MARCH).content.decode()
    assert month_row(national, "2026-03")[0] == "8"


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
