"""Campaign targets: the national administrator's audited acts, who sees which
province, and the month-by-month progress checked against figures worked out by
hand from the rule (docs/adr/0008-campaign-target-progress.md)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingqian.accounts.models import Organisation
from qingqian.core.models import AuditEvent
from qingqian.demo import demo_uscc
from qingqian.ledger import services as ledger_services
from qingqian.ledger.models import LedgerItem
from qingqian.ledger.selectors import LedgerFilter, ledger_totals
from qingqian.parties.models import Enterprise
from qingqian.supervision import verbs
from qingqian.supervision.dashboard import laggards
from qingqian.supervision.dashboard.services import laggard_rule_save
from qingqian.supervision.models import CampaignTarget, LaggardRule
from qingqian.supervision.targets import selectors, services

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 4, 15)
YUAN = 100  # fen


def entered(item: LedgerItem, day: date) -> LedgerItem:
    """Date an item's entry in the past (the ledger stamps entries with the current time)."""
    LedgerItem.objects.filter(pk=item.pk).update(
        created_at=datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)
    )
    return LedgerItem.objects.get(pk=item.pk)


def pay(user, item, day, yuan):
    ledger_services.payment_record(
        actor=user("gd-intake" if item.province_code == "440000" else "js-intake"),
        item=item,
        paid_on=day,
        amount_fen=yuan * YUAN,
        method="transfer",
    )


def below_five_million(user, **overrides):
    fields = {
        "name": "无分歧欠款500万元以下6月底前清零",
        "max_owed_fen": 5_000_000 * YUAN,
        "starts_on": date(2026, 1, 1),
        "due_on": date(2026, 6, 30),
        **overrides,
    }
    return services.campaign_target_create(actor=user("admin"), **fields)


@pytest.fixture
def ledger(make_item, user):
    """Guangdong: A ¥1,000,000 entered 10 Jan, paid 200,000 on 5 Feb and 300,000 on
    20 Mar; B ¥400,000 of which 100,000 disputed, entered 15 Feb, paid 100,000 on 1 Apr;
    C ¥5,000,000 exactly (not below the band). Jiangsu: E ¥2,000,000 entered 20 Jan."""
    a = entered(make_item(owed_fen=1_000_000 * YUAN), date(2026, 1, 10))
    pay(user, a, date(2026, 2, 5), 200_000)
    pay(user, a, date(2026, 3, 20), 300_000)
    b = entered(make_item(owed_fen=400_000 * YUAN, disputed_fen=100_000 * YUAN), date(2026, 2, 15))
    pay(user, b, date(2026, 4, 1), 100_000)
    entered(make_item(owed_fen=5_000_000 * YUAN), date(2026, 1, 5))
    jiangsu = Organisation.objects.get(name="江苏省中小企业主管部门")
    e = ledger_services.ledger_item_create(
        actor=user("js-intake"),
        owner=jiangsu,
        debtor=Enterprise.objects.get(name="江苏苏源交通投资集团有限公司"),
        creditor=Enterprise.objects.get(uscc=demo_uscc("320104", 3)),
        contract_number="JS-T-1",
        contract_signed_on=date(2025, 3, 1),
        due_on=date(2025, 6, 30),
        owed_fen=2_000_000 * YUAN,
    )
    entered(e, date(2026, 1, 20))


def figures(months):
    return [
        (
            m.as_of,
            m.identified_fen // YUAN,
            m.repaid_fen // YUAN,
            m.remaining_fen // YUAN,
            m.share_cleared,
        )
        for m in months
    ]


# --- progress, by hand ----------------------------------------------------------------


@pytest.mark.django_db
def test_each_province_month_by_month_against_the_hand_computed_figures(ledger, user):
    target = below_five_million(user)
    rows = selectors.target_progress(actor=user("supervisor"), target=target, today=TODAY)
    assert [row.province_code for row in rows] == ["320000", "440000"]
    jiangsu, guangdong = rows
    # identified = owed − disputed of the items entered by then; repaid = payments by then.
    assert figures(guangdong.months) == [
        (date(2026, 1, 31), 1_000_000, 0, 1_000_000, Decimal("0.0")),
        (date(2026, 2, 28), 1_300_000, 200_000, 1_100_000, Decimal("15.4")),
        (date(2026, 3, 31), 1_300_000, 500_000, 800_000, Decimal("38.5")),
        (date(2026, 4, 15), 1_300_000, 600_000, 700_000, Decimal("46.2")),
    ]
    assert figures(jiangsu.months)[-1] == (TODAY, 2_000_000, 0, 2_000_000, Decimal("0.0"))
    assert figures(selectors.total_progress(rows))[-1] == (
        TODAY,
        3_300_000,
        600_000,
        2_700_000,
        Decimal("18.2"),
    )


@pytest.mark.django_db
def test_the_latest_remaining_is_the_ledgers_undisputed_outstanding(ledger, user):
    target = below_five_million(user)
    gd = user("gd-intake")
    (row,) = selectors.target_progress(actor=gd, target=target, today=date(2026, 12, 4))
    band = LedgerFilter(region="44", max_owed_fen=5_000_000 * YUAN - 1)
    assert (
        row.latest.remaining_fen == ledger_totals(actor=gd, filters=band).undisputed_outstanding_fen
    )


@pytest.mark.django_db
def test_band_bounds_debtor_types_and_provinces_narrow_the_items(ledger, user):
    target = below_five_million(
        user, min_owed_fen=500_000 * YUAN, provinces=["440000"], debtor_types=["agency"]
    )
    assert not selectors.target_items(actor=user("supervisor"), target=target).exists()
    target = services.campaign_target_edit(
        actor=user("admin"),
        target=target,
        name=target.name,
        min_owed_fen=500_000 * YUAN,
        max_owed_fen=5_000_000 * YUAN,
        starts_on=target.starts_on,
        due_on=target.due_on,
        provinces=["440000"],
        debtor_types=["large"],
    )
    items = selectors.target_items(actor=user("supervisor"), target=target)
    assert sorted(i.owed_fen // YUAN for i in items) == [1_000_000]


@pytest.mark.django_db
def test_after_the_due_date_the_last_row_is_the_due_date():
    target = CampaignTarget(starts_on=date(2026, 5, 10), due_on=date(2026, 6, 30))
    assert selectors.checkpoints(target, date(2026, 9, 1)) == [date(2026, 5, 31), date(2026, 6, 30)]
    assert selectors.checkpoints(target, date(2026, 5, 20)) == [date(2026, 5, 20)]


# --- who sees what ----------------------------------------------------------------------


@pytest.mark.django_db
def test_provincial_officials_see_their_own_province_only(ledger, user, client_for):
    target = below_five_million(user)
    (row,) = selectors.target_progress(actor=user("gd-intake"), target=target, today=TODAY)
    assert row.province_code == "440000"
    page = client_for("js-intake").get(f"/supervision/targets/{target.pk}/").content.decode()
    assert "江苏省" in page and "广东省" not in page
    jiangsu_only = below_five_million(user, name="江苏专项", provinces=["320000"])
    assert (
        client_for("gd-intake").get(f"/supervision/targets/{jiangsu_only.pk}/").status_code == 404
    )
    listed = client_for("gd-intake").get("/supervision/targets/").content.decode()
    assert target.name in listed and "江苏专项" not in listed


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["sme-demo", "debtor-demo", "gd-handler"])
def test_parties_and_handlers_get_no_targets(client_for, user, username):
    target = below_five_million(user)
    client = client_for(username)
    assert client.get("/supervision/targets/").status_code == 403
    assert client.get(f"/supervision/targets/{target.pk}/").status_code == 403


@pytest.mark.django_db
def test_the_page_shows_the_figures_and_links_to_the_items_behind_them(ledger, user, client_for):
    target = below_five_million(user)
    page = client_for("gd-intake").get(f"/supervision/targets/{target.pk}/").content.decode()
    # Today is past the due date: the last row is as of the due date.
    last = page.split('data-testid="months-440000"')[1].split("</table>")[0].split("<tr>")[-1]
    assert "2026-06-30" in last and "¥1,300,000.00" in last and "46.2" in last
    assert "2026-07-31" not in page
    assert "欠款金额低于 ¥5,000,000.00" in page  # the band, its yen sign once
    assert "region=44&amp;max_owed=4999999.99" in page
    listing = client_for("gd-intake").get("/ledger/?region=44&max_owed=4999999.99")
    shown = {item.owed_fen for item in listing.context["items"]}
    assert shown == {1_000_000 * YUAN, 400_000 * YUAN}


# --- the administrator's acts -----------------------------------------------------------


@pytest.mark.django_db
def test_create_edit_close_are_audited(user):
    admin = user("admin")
    target = below_five_million(user)
    target = services.campaign_target_edit(
        actor=admin,
        target=target,
        name=target.name,
        max_owed_fen=3_000_000 * YUAN,
        starts_on=target.starts_on,
        due_on=target.due_on,
    )
    services.campaign_target_close(actor=admin, target=target)
    events = AuditEvent.objects.filter(target_id=target.pk, verb__startswith="supervision.target")
    assert [e.verb for e in events.order_by("seq")] == [
        verbs.TARGET_CREATE,
        verbs.TARGET_EDIT,
        verbs.TARGET_CLOSE,
    ]
    assert events.get(verb=verbs.TARGET_EDIT).payload["changed"] == ["max_owed_fen"]
    with pytest.raises(ValidationError):
        services.campaign_target_edit(
            actor=admin,
            target=target,
            name="x",
            max_owed_fen=1,
            starts_on=target.starts_on,
            due_on=target.due_on,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["supervisor", "gd-intake"])
def test_only_the_national_administrator_sets_targets(user, client_for, username):
    with pytest.raises(PermissionDenied):
        services.campaign_target_create(
            actor=user(username), name="x", max_owed_fen=1, starts_on=TODAY, due_on=TODAY
        )
    assert client_for(username).get("/supervision/targets/new/").status_code == 403
    assert not CampaignTarget.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"min_owed_fen": 5_000_000 * YUAN}, "min_owed_fen"),
        ({"due_on": date(2025, 12, 31)}, "due_on"),
        ({"provinces": ["810000"]}, "provinces"),
        ({"debtor_types": ["sme"]}, "debtor_types"),
        ({"name": "  "}, "name"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(user, fields, named):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        below_five_million(user, **fields)
    assert set(refused.value.message_dict) == {named}
    assert not CampaignTarget.objects.exists() and AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_the_administrator_sets_a_target_through_the_form(client_for):
    client = client_for("admin")
    form = {
        "name": "500万元以下",
        "max_owed": "5,000,000",
        "provinces": ["440000", "320000"],
        "starts_on": "2026-01-01",
        "due_on": "2026-06-30",
    }
    response = client.post("/supervision/targets/new/", form)
    assert response.status_code == 302
    target = CampaignTarget.objects.get()
    assert (target.max_owed_fen, target.provinces) == (500_000_000, ["320000", "440000"])
    refused = client.post("/supervision/targets/new/", {**form, "min_owed": "6000000"})
    assert refused.status_code == 400 and "min_owed" in refused.context["form"].errors
    assert CampaignTarget.objects.count() == 1
    assert client.post(f"/supervision/targets/{target.pk}/close/").status_code == 302
    target.refresh_from_db()
    assert target.state == CampaignTarget.State.CLOSED


# --- the laggard rule -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_laggard_rule_flags_provinces_below_the_share(ledger, user):
    target = below_five_million(user)
    rule = laggard_rule_save(
        actor=user("admin"),
        rule=LaggardRule(
            kind=LaggardRule.Kind.TARGET_SHARE_BELOW,
            level=LaggardRule.Level.PROVINCE,
            threshold=Decimal("30"),
            target=target,
        ),
    )
    flagged = {
        f.code: f.value
        for f in laggards.laggards(actor=user("supervisor"), today=TODAY)
        if f.rule == rule
    }
    assert flagged == {"320000": Decimal("0.0")}  # Guangdong has cleared 46.2%
    rule.threshold = Decimal("50")
    laggard_rule_save(actor=user("admin"), rule=rule)
    flagged = {
        f.code for f in laggards.laggards(actor=user("gd-intake"), today=TODAY) if f.rule == rule
    }
    assert flagged == {"440000"}


@pytest.mark.django_db
def test_a_target_rule_needs_its_target(user):
    with pytest.raises(ValidationError) as refused:
        laggard_rule_save(
            actor=user("admin"),
            rule=LaggardRule(
                kind=LaggardRule.Kind.TARGET_SHARE_BELOW,
                level=LaggardRule.Level.PROVINCE,
                threshold=Decimal("30"),
            ),
        )
    assert set(refused.value.message_dict) == {"target"}


# --- the API ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_gives_the_same_figures_within_the_callers_scope(ledger, user, api_client_for):
    target = below_five_million(user)
    client = api_client_for("gd-intake")
    assert [t["id"] for t in client.get("/api/v1/stats/targets/").json()["results"]] == [target.pk]
    body = client.get(f"/api/v1/stats/targets/{target.pk}/").json()
    assert [row["code"] for row in body["progress"]] == ["440000"]
    last = body["progress"][0]["months"][-1]
    assert (last["as_of"], last["identified_fen"], last["repaid_fen"], last["remaining_fen"]) == (
        "2026-06-30",
        1_300_000 * YUAN,
        600_000 * YUAN,
        700_000 * YUAN,
    )
    assert last["share_cleared"] == 46.2 and body["total"][-1] == last
    jiangsu_only = below_five_million(user, name="江苏专项", provinces=["320000"])
    assert client.get(f"/api/v1/stats/targets/{jiangsu_only.pk}/").status_code == 404
    assert api_client_for("sme-demo").get("/api/v1/stats/targets/").status_code == 403
