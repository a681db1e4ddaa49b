"""The public register: search by two or more characters of the name or by
credit code through the index, never an SME; one enterprise's public record
with small counts suppressed and its payment behaviour from confirmed items."""

from __future__ import annotations

from datetime import date

import pytest

from qingqian.ledger import services as ledger_services
from qingqian.parties.models import Enterprise
from qingqian.parties.services import enterprise_update
from qingqian.publication.register import selectors

pytestmark = pytest.mark.django_db
DEBTOR = "广东粤海城建集团有限公司"


def names(text: str) -> list[str]:
    return [enterprise.name for enterprise in selectors.register_search(text)]


def test_two_characters_or_the_credit_code_find_the_debtor(debtor):
    assert DEBTOR in names("粤海")
    assert DEBTOR in names("粤海城建集团")
    assert DEBTOR in names(debtor.uscc[:8])
    assert DEBTOR in names(debtor.uscc.lower())
    assert DEBTOR not in names("粤海集团")  # not in a row in the name
    assert selectors.search_q("粤") is None and names("粤") == []


def test_no_sme_is_in_the_register(creditor, client):
    assert creditor.type == Enterprise.Type.SME
    assert names(creditor.name[:4]) == [] and names(creditor.uscc) == []
    assert client.get(f"/public/register/{creditor.uscc}/").status_code == 404


def test_the_index_follows_new_and_renamed_enterprises(user, debtor):
    enterprise_update(actor=user("admin"), enterprise=debtor, name="广东海晏建设集团有限公司")
    assert names("粤海") == []
    assert "广东海晏建设集团有限公司" in names("海晏")
    Enterprise.objects.create(
        uscc="91440101MA5CXXXX1A", name="广州市鹭洲水务公司", type="soe", region_code="440100"
    )
    assert names("鹭洲") == ["广州市鹭洲水务公司"]


def test_the_page_and_its_payment_behaviour(client, user, make_item, debtor):
    item = make_item(owed_fen=100_000_00, due_on=date(2025, 6, 30))
    answerer = user("debtor-demo")
    ledger_services.ledger_confirm(actor=answerer, item=item)
    for paid_on, amount in ((date(2025, 6, 20), 60_000_00), (date(2025, 7, 30), 40_000_00)):
        ledger_services.payment_record(
            actor=answerer, item=item, paid_on=paid_on, amount_fen=amount, method="transfer"
        )
    (year,) = selectors.payment_behaviour(debtor)
    assert year == {
        "year": 2025,
        "payments": 2,
        "late_payments": 1,
        "late_share": 40.0,  # 40,000 of 100,000 yuan paid after the due date
        "median_days_late": 30,  # 2025-06-30 → 2025-07-30
    }
    page = client.get(f"/public/register/{debtor.uscc}/").content.decode()
    assert DEBTOR in page and "40.0%" in page
    search = client.get("/public/register/", {"q": "粤海"}).content.decode()
    assert f"/public/register/{debtor.uscc}/" in search


def test_unconfirmed_items_do_not_count(user, make_item, debtor):
    item = make_item(owed_fen=10_000_00, due_on=date(2025, 6, 30))
    ledger_services.payment_record(
        actor=user("debtor-demo"),
        item=item,
        paid_on=date(2025, 9, 1),
        amount_fen=10_000_00,
        method="transfer",
    )
    assert selectors.payment_behaviour(debtor) == []


def test_a_case_naming_the_debtor_is_on_its_page(client, draft, user, debtor):
    from tests.portal.test_no_personal_data import typical_case_from_personal_data

    case = typical_case_from_personal_data(draft, user)
    page = client.get(f"/public/register/{debtor.uscc}/").content.decode()
    assert f"/public/cases/{case.pk}/" in page and case.published_title in page


def test_an_entry_shows_its_disclosures_as_they_stand(client, debtor):
    from qingqian.demo_disclosures import seed_demo_disclosures
    from qingqian.publication.models import DisclosureVersion

    assert seed_demo_disclosures() == 1
    (version,) = DisclosureVersion.objects.filter(disclosure__enterprise=debtor)
    (row,) = selectors.public_disclosures(debtor)
    assert (row["year"], row["has_overdue"], row["count"], row["corrections"]) == (
        2025,
        version.has_overdue,
        version.overdue_count,
        0,
    )
    page = client.get(f"/public/register/{debtor.uscc}/").content.decode()
    assert 'data-testid="register-disclosures"' in page and "2025" in page


def test_every_published_disclosure_downloads(client, debtor):
    from qingqian.demo_disclosures import seed_demo_disclosures

    seed_demo_disclosures()
    response = client.get("/public/register/disclosures/", {"format": "csv"})
    assert "extracted" in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("uscc,name,type,region_code,year,has_overdue")
    assert len(lines) == 2 and lines[1].startswith(f"{debtor.uscc},{debtor.name},large,")
    assert client.get("/public/register/disclosures/", {"format": "pdf"}).status_code == 404
