"""The officials who draft, review and approve typical cases, and a finished
complaint full of personal data to draft from."""

from __future__ import annotations

import pytest

from qingqian.accounts.models import User
from qingqian.complaints.models import Complaint
from qingqian.publication.typical_cases import services
from tests.publication.typical_cases.complaints import closed_complaint_with_personal_data
from tests.supervision.test_cases import GD, make_official


@pytest.fixture
def closed_complaint(draft, user) -> Complaint:
    return closed_complaint_with_personal_data(draft, user)


@pytest.fixture
def drafter(user) -> User:
    return user("gd-intake")  # Guangdong's SME authority


@pytest.fixture
def reviewer(db) -> User:
    return make_official("gd-supervisor", GD)  # same organisation: reviews and approves


@pytest.fixture
def approver(user) -> User:
    return user("supervisor")  # national: a level above


@pytest.fixture
def typical_case(closed_complaint, drafter):
    return services.typical_case_draft(
        actor=drafter, complaint=closed_complaint, kind="exposure", title="拖欠设备款典型案例"
    )
