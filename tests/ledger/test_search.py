"""The ledger list's search: a party's name fragment, a credit code or contract
number prefix, within the actor's scope, on the page and through the API."""

import pytest
from django.urls import reverse

from qingqian.demo import demo_uscc
from qingqian.ledger import selectors
from qingqian.parties.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def searched(make_item, debtor):
    """Three items whose parties and contract numbers tell them apart."""
    roads = {
        "uscc": demo_uscc("440103", 951),
        "name": "荔湾区路桥管理所",
        "type": "institution",
        "region_code": "440103",
    }
    pines = Enterprise.objects.create(
        uscc=demo_uscc("440106", 952), name="青松软件有限公司", type="sme", region_code="440106"
    )
    return {
        "roads": make_item(debtor=roads, contract_number="LW-2025-001"),
        "pines": make_item(creditor=pines, contract_number="QS-7"),
        "plain": make_item(contract_number="ZZ-LW-9"),
    }


def found(user, text: str) -> set:
    items = selectors.ledger_items(actor=user, filters=selectors.LedgerFilter(search=text))
    return set(items.values_list("contract_number", flat=True))


@pytest.mark.parametrize(
    ("text", "contracts"),
    [
        ("路桥", {"LW-2025-001"}),  # a two-character fragment of the debtor's name
        ("荔湾区路桥管理所", {"LW-2025-001"}),  # the whole name
        ("青松", {"QS-7"}),  # the creditor's name
        ("软件有限", {"QS-7"}),  # from its middle
        ("LW-2025", {"LW-2025-001"}),  # a contract number prefix, not its middle (ZZ-LW-9)
        ("QS-7", {"QS-7"}),  # a contract number in full
        ("无此名称", set()),
    ],
)
def test_search_finds_by_name_fragment_and_contract_number_prefix(searched, user, text, contracts):
    assert found(user("gd-intake"), text) == contracts


def test_search_finds_by_credit_code_exact_or_prefix_in_any_case(searched, user):
    official = user("gd-intake")
    code = searched["pines"].creditor.uscc
    assert found(official, code) == {"QS-7"}
    assert found(official, code[:14].lower()) == {"QS-7"}
    debtor_code = searched["roads"].debtor.uscc
    assert found(official, debtor_code) == {"LW-2025-001"}
    assert found(official, debtor_code[1:]) == set()  # a prefix, not any part


def test_search_stays_within_the_scope(searched, user):
    assert found(user("js-intake"), "路桥") == set()
    assert found(user("sme-demo"), "青松") == set()  # another SME's item


def test_so_common_a_fragment_matches_many_parties_still_answers(searched, user, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_LISTED_PARTIES", 1)
    assert found(user("gd-intake"), "有限公司") >= {"QS-7"}
    assert found(user("gd-intake"), "有限公司") == found(user("gd-intake"), "有限")


def test_the_list_page_and_the_api_search_with_totals(searched, client_for):
    client = client_for("gd-intake")
    page = client.get(reverse("ledger:list"), {"q": "路桥"}).content.decode()
    assert "LW-2025-001" in page and "QS-7" not in page
    assert 'data-testid="total-items">1<' in page
    answer = client.get("/api/v1/ledger/items/", {"q": "青松"}).json()
    assert [item["contract_number"] for item in answer["results"]] == ["QS-7"]
    exact = client.get("/api/v1/ledger/items/", {"contract": "LW-2025"}).json()
    assert exact["results"] == []  # `contract` stays an exact contract number
