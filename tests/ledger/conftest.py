from datetime import date

import pytest

from qingqian.accounts.models import Organisation
from qingqian.demo import demo_uscc
from qingqian.ledger import services
from qingqian.parties.models import Enterprise


@pytest.fixture
def gd_authority(db):
    return Organisation.objects.get(name="广东省中小企业主管部门")


@pytest.fixture
def debtor(db):
    return Enterprise.objects.get(uscc=demo_uscc("440104", 4))  # 粤海城建, large, Guangzhou


@pytest.fixture
def creditor(db):
    return Enterprise.objects.get(uscc=demo_uscc("440106", 1))  # 明达机电, SME


@pytest.fixture
def make_item(user, gd_authority, debtor, creditor):
    """make_item(owed_fen=..., contract_number=...) → an item kept by Guangdong."""
    counter = iter(range(1, 10_000))

    def make(**overrides):
        fields = {
            "actor": user("gd-intake"),
            "owner": gd_authority,
            "debtor": debtor,
            "creditor": creditor,
            "contract_number": f"T-{next(counter):04d}",
            "contract_signed_on": date(2025, 3, 1),
            "due_on": date(2025, 6, 30),
            "owed_fen": 100_000_00,
            **overrides,
        }
        return services.ledger_item_create(**fields)

    return make
