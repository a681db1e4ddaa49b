"""A ledger item's overdue-interest basis and warnings read in the reader's
language (the pure rule words them in English for the CLI)."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings


def item_page(client_for, item, language):
    client = client_for("gd-intake")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(f"/ledger/{item.pk}/?as_of=2021-03-31").content.decode()


@pytest.fixture
def old_contract(make_item):
    """Signed before the Regulations, at an agreed rate below the LPR of that day."""
    return make_item(
        contract_signed_on=date(2019, 10, 8),
        due_on=date(2020, 3, 31),
        agreed_rate_percent=Decimal("3.00"),
    )


def test_interest_basis_and_warning_in_chinese(client_for, old_contract):
    page = item_page(client_for, old_contract, "zh-hans")
    assert "低于合同签订日 2019-10-08 施行的一年期 LPR" in page
    assert "合同于 2019-10-08 签订，早于《条例》施行日 2020-09-01" in page
    assert "agreed" not in page and "Regulations took effect" not in page


def test_interest_basis_and_warning_in_english(client_for, old_contract):
    page = item_page(client_for, old_contract, "en")
    assert "raised to the one-year LPR of" in page and "signing date 2019-10-08" in page
    assert "The contract was signed on 2019-10-08, before the Regulations took effect" in page


def test_statutory_basis_in_chinese(client_for, make_item):
    page = item_page(client_for, make_item(), "zh-hans")
    assert "法定利率每日万分之五" in page and "statutory" not in page
