"""The dashboard over the API: the same figures as the page, scoped, with clear errors."""

from qingqian.supervision.dashboard import selectors as dashboard


def test_stats_equal_the_dashboard_and_are_scoped(api_client_for, user):
    client = api_client_for("gd-intake")
    body = client.get("/api/v1/stats/", {"from": "2025-01", "to": "2026-11"}).json()
    figures = dashboard.dashboard(actor=user("gd-intake"), start="2025-01", end="2026-11")
    assert body["jurisdiction"]["prefix"] == "44"
    assert body["complaints"]["received"] == figures["complaints"]["received"]
    assert body["ledger"]["identified_fen"] == figures["ledger"]["identified_fen"]
    assert body["period"] == {"from": "2025-01", "to": "2026-11"}
    assert client.get("/api/v1/stats/", {"region": "32"}).status_code == 404


def test_bad_queries_name_the_field(api_client_for):
    client = api_client_for("supervisor")
    answer = client.get("/api/v1/stats/", {"from": "2026-13"})
    assert answer.status_code == 400
    assert "from" in answer.json()["fields"]
    assert client.get("/api/v1/stats/", {"region": "4"}).status_code == 400
    assert client.get("/api/v1/stats/facts/", {"measure": "nonsense"}).status_code == 400
    assert client.get("/api/v1/stats/", {"from": "2026-05", "to": "2026-01"}).status_code == 400


def test_parties_get_no_figures(api_client_for):
    assert api_client_for("sme-demo").get("/api/v1/stats/").status_code == 403
    assert api_client_for("sme-demo").get("/api/v1/stats/laggards/").status_code == 403


def test_facts_and_laggards(api_client_for):
    client = api_client_for("supervisor")
    facts = client.get("/api/v1/stats/facts/", {"measure": "received"}).json()
    assert facts["count"] == len(facts["results"]) or facts["next"]
    assert client.get("/api/v1/stats/laggards/").json()["results"] is not None
