"""Findings of dishonesty: the procedure's table (every allowed and forbidden
move), the statement window on the real 2025/2026 calendars, publication and
expiry dates, four eyes, scope, credit repair against the ledger, and the
change record credit-sharing platforms read."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingqian.accounts.models import Organisation, Role, User
from qingqian.ledger import services as ledger_services
from qingqian.publication.findings import services
from qingqian.publication.findings.transitions import (
    ENTERPRISE,
    FINDING_TRANSITIONS,
    OFFICIAL,
    SYSTEM,
)
from qingqian.publication.models import Finding, ListingChange
from tests.publication.findings.findings import sample_list

S = Finding.State
pytestmark = pytest.mark.django_db

# Every move of the procedure: (action, from-states, to-state, who).
EXPECTED = {
    ("review", frozenset({S.PROPOSED}), S.UNDER_REVIEW, OFFICIAL),
    ("decide", frozenset({S.UNDER_REVIEW}), S.DECIDED, OFFICIAL),
    ("notify", frozenset({S.DECIDED}), S.NOTIFIED, OFFICIAL),
    ("state-case", frozenset({S.NOTIFIED}), None, ENTERPRISE),
    ("publish", frozenset({S.NOTIFIED}), S.PUBLISHED, OFFICIAL),
    (
        "drop",
        frozenset({S.PROPOSED, S.UNDER_REVIEW, S.DECIDED, S.NOTIFIED}),
        S.DROPPED,
        OFFICIAL,
    ),
    ("object", frozenset({S.PUBLISHED}), S.UNDER_OBJECTION, ENTERPRISE),
    ("uphold", frozenset({S.UNDER_OBJECTION}), S.PUBLISHED, OFFICIAL),
    ("withdraw", frozenset({S.UNDER_OBJECTION}), S.WITHDRAWN, OFFICIAL),
    ("request-repair", frozenset({S.PUBLISHED}), S.REPAIR_REQUESTED, ENTERPRISE),
    ("refuse-repair", frozenset({S.REPAIR_REQUESTED}), S.PUBLISHED, OFFICIAL),
    ("repair", frozenset({S.REPAIR_REQUESTED}), S.REPAIRED, OFFICIAL),
    (
        "expire",
        frozenset({S.PUBLISHED, S.UNDER_OBJECTION, S.REPAIR_REQUESTED}),
        S.EXPIRED,
        SYSTEM,
    ),
}


def test_the_table_is_the_procedure():
    table = {(action, t.sources, t.target, *t.roles) for action, t in FINDING_TRANSITIONS.items()}
    assert table == EXPECTED


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("action", sorted(FINDING_TRANSITIONS))
def test_every_move_is_allowed_exactly_from_its_states(state, action):
    sources = next(sources for name, sources, *_ in EXPECTED if name == action)
    assert FINDING_TRANSITIONS.allowed(state, action) == (state in sources)


@pytest.fixture
def credit_list():
    return sample_list()


@pytest.fixture
def proposed(user, make_item):
    item = make_item(owed_fen=100_000_00)
    return services.finding_propose(
        actor=user("supervisor"),
        origin=item,
        grounds="长期拖欠，经督办仍不支付",
        on=date(2026, 9, 1),
    ), item


def notified(user, finding, credit_list, on: date) -> Finding:
    services.finding_review(actor=user("supervisor"), finding=finding, note="事实清楚，依据充分")
    services.finding_decide(
        actor=user("admin"),
        finding=finding,
        credit_list=credit_list,
        legal_basis=credit_list.legal_basis,
        facts="逾期未支付货款100000元",
        on=on,
    )
    return services.finding_notify(actor=user("admin"), finding=finding, on=on)


def test_the_statement_window_counts_working_days_over_national_day_2026(
    user, proposed, credit_list
):
    finding, _item = proposed
    finding = notified(user, finding, credit_list, date(2026, 9, 30))
    # 10-1..10-7 off; 10-8 (1), 10-9 (2), Saturday 10-10 worked (3), 10-12 (4), 10-13 (5).
    assert finding.defence_due_on == date(2026, 10, 13)
    assert not finding.defence_due_provisional
    debtor = user("debtor-demo")
    services.finding_state_case(
        actor=debtor, finding=finding, text="已在协商", on=date(2026, 10, 13)
    )
    with pytest.raises(ValidationError):
        services.finding_state_case(
            actor=debtor, finding=finding, text="补充", on=date(2026, 10, 14)
        )
    with pytest.raises(ValidationError):  # not while the enterprise may still state its case
        services.finding_publish(actor=user("admin"), finding=finding, on=date(2026, 10, 13))
    finding = services.finding_publish(actor=user("admin"), finding=finding, on=date(2026, 10, 14))
    assert (finding.state, finding.published_on, finding.ends_on) == (
        S.PUBLISHED,
        date(2026, 10, 14),
        date(2027, 10, 14),
    )
    assert services.findings_expire(on=date(2027, 10, 14)) == 0  # its last day
    assert services.findings_expire(on=date(2027, 10, 15)) == 1
    finding.refresh_from_db()
    assert (finding.state, finding.removed_on) == (S.EXPIRED, date(2027, 10, 15))
    kinds = list(ListingChange.objects.values_list("kind", "reason"))
    assert kinds == [("listed", "published"), ("removed", "expired")]


def test_the_window_over_the_2025_spring_festival(user, proposed, credit_list):
    finding, _item = proposed
    finding = notified(user, finding, credit_list, date(2025, 1, 24))
    # Sunday 1-26 worked (1), 1-27 (2), 1-28..2-4 off, 2-5 (3), 2-6 (4), 2-7 (5).
    assert finding.defence_due_on == date(2025, 2, 7)


def test_the_proposer_does_not_decide_and_others_do_not_act(user, proposed, credit_list):
    finding, _item = proposed
    services.finding_review(actor=user("supervisor"), finding=finding, note="审查")
    with pytest.raises(PermissionDenied):
        services.finding_decide(
            actor=user("supervisor"),
            finding=finding,
            credit_list=credit_list,
            legal_basis="x",
            facts="y",
        )
    jiangsu = User.objects.create(
        username="js-supervisor",
        role=Role.SUPERVISOR,
        organisation=Organisation.objects.get(name="江苏省中小企业主管部门"),
    )
    for outsider in (jiangsu, user("gd-intake"), user("debtor-demo"), user("sme-demo")):
        with pytest.raises(PermissionDenied):
            services.finding_decide(
                actor=outsider,
                finding=finding,
                credit_list=credit_list,
                legal_basis="x",
                facts="y",
            )
    with pytest.raises(ValidationError) as refused:
        services.finding_decide(
            actor=user("admin"), finding=finding, credit_list=credit_list, legal_basis=" ", facts=""
        )
    assert {"legal_basis", "facts"} <= set(refused.value.message_dict)
    finding.refresh_from_db()
    assert finding.state == S.UNDER_REVIEW and finding.decided_by is None


def test_objection_shows_under_review_then_is_decided(user, proposed, credit_list):
    finding, _item = proposed
    finding = notified(user, finding, credit_list, date(2026, 9, 30))
    services.finding_publish(actor=user("admin"), finding=finding, on=date(2026, 10, 14))
    services.finding_object(actor=user("debtor-demo"), finding=finding, text="款项已有争议")
    finding.refresh_from_db()
    assert finding.state == S.UNDER_OBJECTION
    services.finding_decide_objection(
        actor=user("admin"), finding=finding, upheld=False, reason="争议成立"
    )
    finding.refresh_from_db()
    assert finding.state == S.WITHDRAWN
    assert list(ListingChange.objects.values_list("kind", flat=True)) == [
        "listed",
        "under_review",
        "removed",
    ]


def test_credit_repair_needs_the_arrears_paid(user, proposed, credit_list):
    finding, item = proposed
    finding = notified(user, finding, credit_list, date(2026, 9, 30))
    services.finding_publish(actor=user("admin"), finding=finding, on=date(2026, 10, 14))
    debtor = user("debtor-demo")
    with pytest.raises(ValidationError, match="100,000.00"):
        services.finding_request_repair(actor=debtor, finding=finding, text="已付清")
    for other in item.debtor.ledger_debts.exclude(pk=item.pk):
        assert other.outstanding_fen == 0  # the demo holds no other debt of this debtor
    ledger_services.ledger_confirm(actor=debtor, item=item)
    ledger_services.payment_record(
        actor=debtor,
        item=item,
        paid_on=date(2026, 10, 20),
        amount_fen=100_000_00,
        method="transfer",
    )
    services.finding_request_repair(actor=debtor, finding=finding, text="已于10月20日付清")
    services.finding_decide_repair(
        actor=user("admin"), finding=finding, approved=True, reason="已清偿"
    )
    finding.refresh_from_db()
    assert finding.state == S.REPAIRED and finding.removed_on is not None
    assert ListingChange.objects.last().reason == "repaired"


def test_months_end_on_the_same_day_or_the_months_last():
    assert services.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert services.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert services.add_months(date(2026, 10, 14), 36) == date(2029, 10, 14)


def test_the_enterprise_is_told_before_listing_and_the_officials_of_its_reply(
    user, proposed, credit_list, django_capture_on_commit_callbacks
):
    from qingqian.notifications.models import Notification

    finding, _item = proposed
    with django_capture_on_commit_callbacks(execute=True):
        finding = notified(user, finding, credit_list, date(2026, 9, 30))
    (told,) = Notification.objects.filter(recipient=user("debtor-demo"))
    assert "2026-10-13" in told.body and "测试名单" in told.body
    with django_capture_on_commit_callbacks(execute=True):
        services.finding_state_case(
            actor=user("debtor-demo"), finding=finding, text="已协商", on=date(2026, 10, 9)
        )
    officials = set(
        Notification.objects.exclude(recipient=user("debtor-demo")).values_list(
            "recipient__username", flat=True
        )
    )
    assert officials == {"supervisor", "admin"}


def test_the_prior_notice_names_the_list_the_basis_and_the_last_day(
    user, proposed, credit_list, client_for
):
    from tests.pdfs import pdf_text

    finding, _item = proposed
    finding = notified(user, finding, credit_list, date(2026, 9, 30))
    response = client_for("debtor-demo").get(f"/findings/{finding.pk}/prior-notice.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "失信认定事先告知书",
        "广东粤海城建集团有限公司",
        "测试名单",
        "2026年10月13日",
    ):
        assert expected in text, expected
    assert (
        client_for("js-intake").get(f"/findings/{finding.pk}/prior-notice.pdf").status_code == 404
    )


def test_only_the_national_administrator_keeps_the_lists(user, gd_authority):
    fields = {
        "code": "arrears-serious",
        "name": "严重拖欠名单",
        "legal_basis": "依据",
        "source": "某办法第十条",
        "publication_months": 36,
        "defence_working_days": 5,
        "repair_conditions": "全部清偿",
        "is_active": True,
    }
    provincial = User.objects.create(
        username="gd-admin-x", role=Role.ADMIN, organisation=gd_authority
    )
    for outsider in (provincial, user("supervisor")):
        with pytest.raises(PermissionDenied):
            services.credit_list_save(actor=outsider, **fields)
    with pytest.raises(ValidationError) as refused:
        services.credit_list_save(
            actor=user("admin"), **{**fields, "source": "", "publication_months": 0}
        )
    assert set(refused.value.message_dict) == {"source", "publication_months"}
    saved = services.credit_list_save(actor=user("admin"), **fields)
    changed = services.credit_list_save(
        actor=user("admin"), credit_list=saved, **{**fields, "publication_months": 24}
    )
    assert changed.pk == saved.pk and changed.publication_months == 24
