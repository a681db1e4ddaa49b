"""The dashboard pages: who may see which jurisdiction, clear refusals, downloads,
and links from a table's numbers to exactly the records they count."""

import csv
import io
import re

import pytest

from qingqian.demo_complaints import seed_demo_complaints


@pytest.fixture
def history(db):
    seed_demo_complaints()


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_who_sees_which_dashboard(client_for, history):
    assert client_for("supervisor").get("/supervision/").status_code == 200
    assert client_for("supervisor").get("/supervision/?region=4401").status_code == 200
    gd = client_for("gd-intake")
    page = gd.get("/supervision/")
    assert page.status_code == 200 and "广东省" in page.content.decode()
    assert gd.get("/supervision/?region=32").status_code == 404  # Jiangsu: not theirs
    assert client_for("sme-demo").get("/supervision/").status_code == 403
    assert client_for("debtor-demo").get("/supervision/").status_code == 403
    assert client_for("gd-handler").get("/supervision/").status_code == 403


@pytest.mark.parametrize(
    "query, field_text",
    [
        ("from=2026-13", "YYYY-MM"),
        ("from=2026-05&to=2026-01", "2026"),
        ("region=4", "2"),
        ("region=990000", ""),
        ("from=1900-01&to=2026-01", ""),
    ],
)
def test_bad_queries_are_refused_clearly(client_for, query, field_text):
    page = client_for("supervisor").get(f"/supervision/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()


def test_table_numbers_link_to_their_records(client_for, history):
    client = client_for("supervisor")
    page = client.get("/supervision/?region=44&from=2025-01&to=2026-12").content.decode()
    links = re.findall(
        r'href="(/supervision/facts/\?[^"]*measure=(?:received|overdue))">(\d+)<', page
    )
    assert len(links) > 4
    for url, shown in links:
        facts = client.get(url.replace("&amp;", "&") + "&format=csv")
        rows = list(csv.reader(io.StringIO(body(facts))))[1:]
        assert len(rows) == int(shown), url


def test_tables_download_as_csv_and_xlsx(client_for, history):
    client = client_for("supervisor")
    text = body(client.get("/supervision/?export=by_region&format=csv"))
    assert "广东省" in text and "江苏省" in text
    xlsx = client.get("/supervision/?export=by_month&format=xlsx")
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    laggards = body(client.get("/supervision/?export=laggards&format=csv"))
    assert "广东省" in laggards


def test_drill_down_refuses_unknown_measures(client_for):
    client = client_for("supervisor")
    assert client.get("/supervision/facts/?measure=nonsense").status_code == 400
    assert client.get("/supervision/facts/?measure=received&debtor_type=x").status_code == 400
