"""The findings' pages: proposed from a ledger item, stepped through by the
officials who may, the enterprise states its case; others see nothing."""

from __future__ import annotations

import pytest

from qingqian.publication.models import Finding
from tests.publication.findings.test_findings import credit_list  # noqa: F401

pytestmark = pytest.mark.django_db


def step(client, finding, action, **data):
    return client.post(f"/findings/{finding.pk}/{action}/", data)


def test_from_proposal_to_the_statement_of_the_case(
    client_for,
    make_item,
    credit_list,  # noqa: F811
):
    item = make_item(owed_fen=80_000_00)
    supervisor, admin = client_for("supervisor"), client_for("admin")
    form = supervisor.get(f"/findings/propose/ledger_item/{item.pk}/")
    assert form.status_code == 200 and "广东粤海城建集团有限公司" in form.content.decode()
    empty = supervisor.post(f"/findings/propose/ledger_item/{item.pk}/", {"text": ""})
    assert empty.status_code == 200 and not Finding.objects.exists()
    created = supervisor.post(
        f"/findings/propose/ledger_item/{item.pk}/", {"text": "经督办仍不支付"}
    )
    finding = Finding.objects.get()
    assert created["Location"] == f"/findings/{finding.pk}/"
    step(supervisor, finding, "review", text="依据充分")
    page = supervisor.get(f"/findings/{finding.pk}/").content.decode()
    assert 'data-testid="step-decide"' in page  # offered, but the service refuses the proposer
    step(
        supervisor,
        finding,
        "decide",
        credit_list=credit_list.pk,
        legal_basis="第二十六条",
        facts="逾期",
    )
    finding.refresh_from_db()
    assert finding.state == Finding.State.UNDER_REVIEW
    step(
        admin, finding, "decide", credit_list=credit_list.pk, legal_basis="第二十六条", facts="逾期"
    )
    step(admin, finding, "notify")
    finding.refresh_from_db()
    assert finding.state == Finding.State.NOTIFIED and finding.defence_due_on > finding.notified_on
    refused = admin.post(f"/findings/{finding.pk}/publish/", follow=True).content.decode()
    assert finding.defence_due_on.isoformat() in refused  # not before the window ends
    debtor = client_for("debtor-demo")
    assert (
        'data-testid="step-state-case"' in debtor.get(f"/findings/{finding.pk}/").content.decode()
    )
    step(debtor, finding, "state-case", text="我单位已安排付款")
    finding.refresh_from_db()
    assert finding.statement == "我单位已安排付款"


def test_others_see_no_finding(client_for, make_item, credit_list, user):  # noqa: F811
    from qingqian.publication.findings import services

    finding = services.finding_propose(
        actor=user("supervisor"), origin=make_item(owed_fen=1_00), grounds="x"
    )
    for outsider in ("js-intake", "sme-demo", "gd-handler"):
        client = client_for(outsider)
        assert client.get(f"/findings/{finding.pk}/").status_code == 404
        assert client.post(f"/findings/{finding.pk}/review/", {"text": "x"}).status_code == 404


def test_the_national_administrator_adds_a_list_on_its_page(client_for):
    from qingqian.publication.models import CreditList

    data = {
        "code": "arrears-serious",
        "name": "严重拖欠名单",
        "legal_basis": "依据",
        "source": "",
        "publication_months": "36",
        "defence_working_days": "5",
        "repair_conditions": "全部清偿",
        "is_active": "on",
    }
    admin = client_for("admin")
    refused = admin.post("/findings/lists/", data)
    assert refused.status_code == 200 and "source" in refused.context["form"].errors
    admin.post("/findings/lists/", {**data, "source": "某办法第十条"})
    assert CreditList.objects.get().source == "某办法第十条"
    supervisor = client_for("supervisor").post(
        "/findings/lists/", {**data, "code": "x", "source": "s"}
    )
    assert supervisor.status_code == 403
