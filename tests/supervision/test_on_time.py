"""One definition of on time and breached for every stage: a clock still running past
its due date is breached from the day after it, on the page, the API, the laggard
rules and the reports; an extension granted late cannot erase the breach."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from qingqian.accounts.models import Organisation
from qingqian.complaints import services
from qingqian.complaints.models import Deadline
from qingqian.demo import demo_uscc
from qingqian.demo_complaints import seed_demo_complaints
from qingqian.parties.models import Enterprise
from qingqian.supervision.dashboard import laggards, tallies
from qingqian.supervision.dashboard import selectors as dashboard
from qingqian.supervision.dashboard.snapshots import ledger_snapshot_take
from qingqian.supervision.models import LaggardRule
from qingqian.supervision.reports.figures import platform_figures

STAGES = ("review", "transfer", "handling")
XINJIANG = "650000"  # no demo complaints: what is created here is all it has


def running_late(prefix: str = "") -> dict[str, int]:
    """Clocks still running past their due date, by stage, as the rows say."""
    today = timezone.localdate()
    late = Deadline.objects.filter(
        status="open", due_on__lt=today, complaint__debtor_region_code__startswith=prefix
    )
    return {stage: late.filter(stage=stage).count() for stage in STAGES}


@pytest.fixture
def demo_complaints(db):
    seed_demo_complaints()


def test_demo_national_on_time_rates_count_the_clocks_running_late(
    demo_complaints, user, client_for, api_client_for
):
    late = running_late()
    assert any(late.values()), "the demo has complaints overdue now"
    figures = dashboard.dashboard(actor=user("supervisor"))["complaints"]["on_time"]
    page = client_for("supervisor").get("/supervision/").content.decode()
    stats = api_client_for("supervisor").get("/api/v1/stats/").json()["complaints"]["on_time"]
    for stage, n in late.items():
        if not n:
            continue
        assert figures[stage]["breached_open"] == n
        assert figures[stage]["breached"] >= n
        assert figures[stage]["rate"] < 100
        assert f'data-testid="breached-open-{stage}">{n}<' in page
        assert stats[stage]["breached_open"] == n
        assert stats[stage]["rate"] == float(figures[stage]["rate"]) < 100


@pytest.fixture
def xinjiang_complaint(user, draft):
    """complaint(submitted_on) → a complaint against a Xinjiang agency, submitted that day."""
    debtor = Enterprise.objects.create(
        uscc=demo_uscc("650102", 901), name="乌鲁木齐市某局", type="agency", region_code="650102"
    )
    sme = user("sme-demo")

    def make(submitted_on: date, number: str = "XJ-1"):
        complaint = draft(
            debtor=debtor,
            contract_number=number,
            payment_due_on=date(2025, 7, 30),
            amount_owed_fen=50_000_00,
            amount_paid_fen=0,
        )
        return services.complaint_submit(actor=sme, complaint=complaint, on=submitted_on)

    return make


def test_laggard_rule_flags_a_province_whose_complaints_sit_unreviewed(user, xinjiang_complaint):
    LaggardRule.objects.update(active=False)
    LaggardRule.objects.create(
        kind="on_time_below", level="province", stage="review", threshold=Decimal("80")
    )
    today = timezone.localdate()
    complaint = xinjiang_complaint(today - timedelta(days=40))  # 10 working days long past
    review = complaint.deadlines.get(stage="review")
    assert review.status == "open" and review.due_on < today
    [flag] = [f for f in laggards.laggards(actor=user("supervisor")) if f.code == XINJIANG]
    assert flag.value == Decimal("0.0")  # no review on time, one breached


def test_a_clock_is_breached_from_the_day_after_its_due_date(user, xinjiang_complaint):
    today = timezone.localdate()
    review = xinjiang_complaint(today - timedelta(days=40)).deadlines.get(stage="review")

    def review_figures(on):
        figures = dashboard.dashboard(actor=user("supervisor"), region="65", today=on)
        return figures["complaints"]["on_time"]["review"]

    assert review_figures(review.due_on)["breached"] == 0  # due today: not yet late
    assert review_figures(review.due_on + timedelta(days=1))["breached"] == 1
    assert review_figures(review.due_on + timedelta(days=1))["rate"] == Decimal("0.0")
    facts = dashboard.facts_behind(actor=user("supervisor"), region="65", measure="review_breached")
    assert list(facts) == [review]


def test_reports_count_the_clocks_running_late_at_the_end_of_their_period(user, xinjiang_complaint):
    today = timezone.localdate()
    complaint = xinjiang_complaint(today - timedelta(days=90))
    complaint = services.complaint_accept(
        actor=user("miit-intake"), complaint=complaint, on=today - timedelta(days=89)
    )
    transfer = complaint.deadlines.get(stage="transfer")
    assert transfer.due_on < today
    month_after_due = (transfer.due_on.replace(day=28) + timedelta(days=4)).replace(day=1)
    start = transfer.due_on.replace(day=1)
    end = month_after_due - timedelta(days=1)
    # Late at the end of the month it fell due: breached in that month's report.
    if transfer.due_on < end:
        figures = platform_figures("65", start, end, today=today, keys=["transfer_breached"])
        assert figures == {"transfer_breached": 1}
    figures = platform_figures(
        "65", today.replace(day=1), today, today=today, keys=["transfer_breached"]
    )
    assert figures == {"transfer_breached": 1}


def _gd_in_handling(user, draft, received: date):
    complaint = services.complaint_submit(
        actor=user("sme-demo"),
        complaint=draft(
            debtor=Enterprise.objects.get(uscc=demo_uscc("440104", 4)),
            contract_number="GZ-LATE-1",
            amount_paid_fen=0,
        ),
        on=received - timedelta(days=2),
    )
    complaint = services.complaint_accept(
        actor=user("gd-intake"), complaint=complaint, on=received - timedelta(days=1)
    )
    complaint = services.complaint_transfer(
        actor=user("gd-intake"),
        complaint=complaint,
        department=Organisation.objects.get(name="广东省财政厅"),
        on=received,
    )
    return services.complaint_debtor_response(
        actor=user("gd-handler"), complaint=complaint, confirmed_fen=100, disputed_fen=0
    )


def test_an_extension_granted_late_cannot_erase_the_breach(user, draft):
    today = timezone.localdate()
    complaint = _gd_in_handling(user, draft, received=today - timedelta(days=45))

    def handling():
        figures = dashboard.dashboard(actor=user("supervisor"), region="44")
        return figures["complaints"]["on_time"]["handling"]

    before = handling()
    extend = {"actor": user("gd-handler"), "approved_by": "张处长", "reason": "需核对结算单。"}
    complaint = services.complaint_extend(complaint=complaint, total_days=90, **extend)
    after = handling()
    assert after["breached"] == before["breached"]  # still counted
    assert after["breached_open"] == before["breached_open"] - 1  # now frozen breached
    late, running = complaint.deadlines.filter(stage="handling").order_by("pk")
    assert (late.status, late.ended_by, late.ended_on) == ("breached", "extend", today)
    assert running.status == "open" and running.due_on > today
    kept, recounted = tallies.stored(), tallies.recount()
    assert +kept.regions == +recounted.regions


def test_extended_counts_complaints_with_the_number_of_extensions_beside(user, client_for, draft):
    today = timezone.localdate()
    complaint = _gd_in_handling(user, draft, received=today - timedelta(days=5))
    before = dashboard.dashboard(actor=user("supervisor"), region="44")["complaints"]
    extend = {"actor": user("gd-handler"), "approved_by": "张处长", "reason": "需核对结算单。"}
    complaint = services.complaint_extend(complaint=complaint, total_days=60, **extend)
    complaint = services.complaint_extend(complaint=complaint, total_days=90, **extend)
    after = dashboard.dashboard(actor=user("supervisor"), region="44")["complaints"]
    assert after["extended"] == before["extended"] + 1
    assert after["extensions"] == before["extensions"] + 2
    kept, recounted = tallies.stored(), tallies.recount()
    assert +kept.regions == +recounted.regions
    assert +kept.departments == +recounted.departments


def test_the_current_months_row_is_the_headline_figure(client_for, user, make_item):
    make_item(owed_fen=100_000_00)
    ledger_snapshot_take()
    make_item(owed_fen=7_000_00)  # after the month's snapshot
    figures = dashboard.dashboard(actor=user("supervisor"))
    [current] = [row for row in figures["by_month"] if row["live"]]
    headline = figures["ledger"]["undisputed_outstanding_fen"]
    assert current["undisputed_outstanding_fen"] == headline
    page = client_for("supervisor").get("/supervision/").content.decode()
    assert 'data-testid="month-undisputed-live"' in page


def test_demo_review_rule_flags_provinces_whose_complaints_sit_unreviewed(demo_complaints, user):
    """The default review rule, on the demo, set to flag any breach: each province's value
    is the rate the rows give, counting the reviews still not done past their due date
    as breached, so every province with one is flagged."""
    [rule] = LaggardRule.objects.filter(kind="on_time_below", stage="review", active=True)
    rule.threshold = Decimal("100")
    rule.save()
    today = timezone.localdate()
    since = laggards.window(rule, today).first
    reviews = Deadline.objects.filter(stage="review")
    ended = reviews.filter(ended_by__in=["accept", "not-accept"], ended_on__gte=since)
    late_now = reviews.filter(status="open", due_on__lt=today)
    expected = {}
    for province in {
        c[:2] for c in reviews.values_list("complaint__debtor_region_code", flat=True)
    }:
        mine = {"complaint__debtor_region_code__startswith": province}
        met = ended.filter(status="met", **mine).count()
        breached = ended.filter(status="breached", **mine).count() + late_now.filter(**mine).count()
        if met + breached:
            expected[province + "0000"] = dashboard.rate(met, met + breached)
    flags = {f.code: f.value for f in laggards.laggards(actor=user("supervisor")) if f.rule == rule}
    assert flags == {code: v for code, v in expected.items() if v < rule.threshold}
    unreviewed = {
        c[:2] + "0000" for c in late_now.values_list("complaint__debtor_region_code", flat=True)
    }
    assert unreviewed and unreviewed <= set(flags)
