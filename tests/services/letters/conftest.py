from datetime import date

import pytest

from qingqian.portal import signup
from qingqian.services.letters.services import LetterFacts, demand_letter_create

DEBTOR = "广东粤海城建集团有限公司"


def facts(**overrides) -> LetterFacts:
    """The hand-checked case: ¥100,000.00 due 2025-03-31, counted to 2025-04-30."""
    from qingqian.parties.models import Enterprise

    debtor = Enterprise.objects.get(name=DEBTOR)
    fields = {
        "debtor_name": debtor.name,
        "debtor_uscc": debtor.uscc,
        "debtor_type": "large",
        "contract_number": "T-LETTER-1",
        "contract_title": "设备采购合同",
        "contract_signed_on": date(2025, 1, 15),
        "sme_notified_at_signing": "yes",
        "principal_fen": 100_000_00,
        "due_on": date(2025, 3, 31),
        "interest_as_of": date(2025, 4, 30),
        "letter_date": date(2025, 5, 6),
        **overrides,
    }
    return LetterFacts(**fields)


@pytest.fixture
def write_letter(user):
    """write_letter(**overrides) → a letter by sme-demo (by `username` if given)."""

    def make(username="sme-demo", **overrides):
        return demand_letter_create(actor=user(username), facts=facts(**overrides))

    return make


@pytest.fixture
def unbound_sme(settings, tmp_path):
    """An SME account signed up and not yet bound to its enterprise."""
    from tests.portal.signups import particulars

    settings.QINGQIAN_SMS_BACKEND = "qingqian.notifications.sms.FileBackend"
    settings.QINGQIAN_SMS_FILE_PATH = str(tmp_path)
    account = signup.registration_start(**particulars()).user
    assert account.is_unbound_sme
    return account
