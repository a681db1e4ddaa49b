"""A large enterprise of Guangzhou with its own representative, and its ledger
at the end of 2025: the bodies the disclosure tests file for."""

from datetime import date

import pytest

from qingqian.accounts.models import Role, User
from qingqian.demo import demo_uscc
from qingqian.ledger import services as ledger_services
from qingqian.parties.models import Enterprise
from qingqian.publication.models import DisclosurePeriod

YEAR_END = date(2025, 12, 31)


@pytest.fixture
def body(db):
    return Enterprise.objects.create(
        uscc=demo_uscc("440104", 801),
        name="广州测试建工集团有限公司",
        type="large",
        region_code="440104",
    )


@pytest.fixture
def agency(db):
    return Enterprise.objects.create(
        uscc=demo_uscc("440103", 802), name="广州市测试局", type="agency", region_code="440103"
    )


def _representative(username, enterprise):
    return User.objects.create(username=username, role=Role.DEBTOR, enterprise=enterprise)


@pytest.fixture
def rep(body):
    return _representative("body-rep", body)


@pytest.fixture
def agency_rep(agency):
    return _representative("agency-rep", agency)


@pytest.fixture
def enterprise_2025(db):
    return DisclosurePeriod.objects.get(year=2025, filer_group="enterprise")


@pytest.fixture
def public_2025(db):
    return DisclosurePeriod.objects.get(year=2025, filer_group="public")


@pytest.fixture
def ledger_2025(make_item, user, body):
    """Six contracts of the body around the end of 2025. Overdue and unpaid on
    31 December: A (70,000 of 100,000 left), B (due 30 December), E (paid in
    full only on 5 January 2026): 3 contracts, 130,000.00 yuan. Not overdue:
    C (due on 31 December itself), D (paid on 31 December), F (due in 2026)."""
    keeper = user("gd-intake")
    items = {}
    for key, due_on, owed_yuan in [
        ("A", date(2025, 6, 30), 100_000),
        ("B", date(2025, 12, 30), 50_000),
        ("C", date(2025, 12, 31), 40_000),
        ("D", date(2025, 9, 30), 20_000),
        ("E", date(2025, 9, 30), 10_000),
        ("F", date(2026, 2, 1), 30_000),
    ]:
        items[key] = make_item(
            debtor=body,
            contract_number=f"YE-{key}",
            contract_signed_on=date(2025, 3, 1),
            due_on=due_on,
            owed_fen=owed_yuan * 100,
        )
    for key, paid_on, yuan in [
        ("A", date(2025, 11, 30), 30_000),
        ("D", date(2025, 12, 31), 20_000),
        ("E", date(2026, 1, 5), 10_000),
    ]:
        ledger_services.payment_record(
            actor=keeper, item=items[key], paid_on=paid_on, amount_fen=yuan * 100, method="transfer"
        )
    # Another body's overdue item: never counted for this one.
    make_item(contract_number="YE-OTHER", due_on=date(2025, 6, 30))
    return items
