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


@pytest.fixture
def before_the_lpr(make_item):
    """An agreed rate on a contract signed before the first one-year LPR (2019-08-20)."""
    return make_item(
        contract_signed_on=date(2018, 1, 1),
        due_on=date(2018, 6, 1),
        agreed_rate_percent=Decimal("6.000"),
    )


def test_interest_that_cannot_be_computed_says_why_in_chinese(client_for, before_the_lpr):
    page = item_page(client_for, before_the_lpr, "zh-hans")
    assert "合同签订日期：2019-08-20 之前没有发布一年期 LPR，2018-01-01 无可适用的 LPR" in page
    assert "cannot find the LPR" not in page


def test_interest_that_cannot_be_computed_says_why_in_english(client_for, before_the_lpr):
    page = item_page(client_for, before_the_lpr, "en")
    assert (
        "contract signing date: no one-year LPR was published before 2019-08-20, "
        "so none applies on 2018-01-01"
    ) in page
