"""The demo's confirmation request is sent once, however often the demo is seeded."""

import pytest

from qingqian.services.confirmations.demo import CONTRACT, seed_demo_confirmations
from qingqian.services.models import ConfirmationRequest

pytestmark = pytest.mark.django_db


def test_the_demo_request_is_sent_once():
    assert seed_demo_confirmations() == 1
    assert seed_demo_confirmations() == 0
    request = ConfirmationRequest.objects.get(contract_number=CONTRACT)
    assert (request.sme.name, request.debtor.name) == (
        "广州市明达机电设备有限公司",
        "广东粤海城建集团有限公司",
    )
    assert request.state == ConfirmationRequest.State.REQUESTED
