"""The dashboard over the API: the same figures as the page, scoped, with clear errors."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from qingqian.complaints import services
from qingqian.complaints.models import Deadline
from qingqian.demo import demo_uscc
from qingqian.parties.models import Enterprise
from qingqian.supervision.dashboard import selectors as dashboard
from qingqian.supervision.models import LaggardRule


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


def test_stages_running_late_are_breached_in_the_stats_and_their_facts(api_client_for, user, draft):
    """A review not done past its due date: counted breached (and still open) by
    /stats/, listed by /stats/facts/, and judged by the laggard rule."""
    sme = user("sme-demo")
    complaint = draft(
        debtor=Enterprise.objects.get(uscc=demo_uscc("440104", 4)),
        contract_number="GZ-UNREVIEWED",
        amount_owed_fen=10_000_00,
        amount_paid_fen=0,
    )
    today = timezone.localdate()
    complaint = services.complaint_submit(
        actor=sme, complaint=complaint, on=today - timedelta(days=40)
    )
    late = Deadline.objects.filter(
        stage="review",
        status="open",
        due_on__lt=today,
        complaint__debtor_region_code__startswith="44",
    )
    assert late.filter(complaint=complaint).exists()
    client = api_client_for("supervisor")
    review = client.get("/api/v1/stats/", {"region": "44"}).json()["complaints"]["on_time"][
        "review"
    ]
    assert review["breached_open"] == late.count()
    assert review["breached"] >= late.count() and review["rate"] < 100
    facts = client.get(
        "/api/v1/stats/facts/", {"region": "44", "measure": "review_breached"}
    ).json()
    numbers = {row["complaint"]["tracking_number"] for row in facts["results"]}
    assert facts["count"] == review["breached"]
    assert complaint.tracking_number in numbers or facts["next"]
    LaggardRule.objects.filter(kind="on_time_below", stage="review").update(
        threshold=Decimal("100"), active=True
    )
    flags = client.get("/api/v1/stats/laggards/").json()["results"]
    [guangdong] = [f for f in flags if f["code"] == "440000" and f["rule"]["stage"] == "review"]
    assert guangdong["value"] == review["rate"]
