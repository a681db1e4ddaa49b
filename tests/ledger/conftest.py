"""Fixtures of the ledger's import tests."""

import io

import pytest

from qingqian.accounts.models import Organisation
from qingqian.ledger import imports


@pytest.fixture
def gd(db):
    return Organisation.objects.get(name="广东省中小企业主管部门")


@pytest.fixture
def run_import(user, gd):
    def run(data: bytes, *, name="return.csv", owner=None, actor="gd-intake"):
        record = imports.ledger_import_upload(
            actor=user(actor), owner=owner or gd, fileobj=io.BytesIO(data), original_name=name
        )
        return imports.ledger_import_run(record)

    return run
