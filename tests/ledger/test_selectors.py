"""The ledger's `<noun>_get` selectors: the record within the actor's scope, or 404."""

import io

import pytest
from django.http import Http404

from qingqian.core.queries import MAX_ID
from qingqian.ledger import selectors, services
from qingqian.ledger.imports import ledger_import_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_item(make_item, user):
    item = make_item(owed_fen=500_00)
    services.payment_record(
        actor=user("gd-intake"),
        item=item,
        paid_on=item.due_on,
        amount_fen=100_00,
        method="transfer",
    )
    services.legal_route_open(
        actor=user("gd-intake"), item=item, kind="mediation", body="调解", filed_on=item.due_on
    )
    return item


def test_each_get_answers_within_the_scope_and_404_outside(paid_item, user):
    payment, proceeding = paid_item.payments.get(), paid_item.proceedings.get()
    lookups = [
        (selectors.ledger_item_get, paid_item),
        (selectors.payment_get, payment),
        (selectors.proceeding_get, proceeding),
    ]
    for get, record in lookups:
        assert get(actor=user("gd-intake"), pk=record.pk) == record
        with pytest.raises(Http404):
            get(actor=user("js-intake"), pk=record.pk)
        for missing in (record.pk + 1000, MAX_ID + 1):
            with pytest.raises(Http404):
                get(actor=user("gd-intake"), pk=missing)


def test_import_get_within_the_keeping_organisations(make_item, user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = ledger_import_upload(
        actor=user("gd-intake"),
        owner=make_item().owner,
        fileobj=io.BytesIO(b"x,y\n1,2\n"),
        original_name="a.csv",
    )
    assert selectors.ledger_import_get(actor=user("gd-intake"), pk=record.pk) == record
    with pytest.raises(Http404):
        selectors.ledger_import_get(actor=user("js-intake"), pk=record.pk)
    with pytest.raises(Http404):
        selectors.ledger_import_get(actor=user("sme-demo"), pk=record.pk)
