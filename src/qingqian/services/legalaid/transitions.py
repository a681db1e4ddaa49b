"""The life of a legal aid request as a table. "Who" is a standing towards the
request: the requesting SME (SME), the legal service it is assigned to
(PROVIDER), the SME authority's officials of its region (OFFICIAL)."""

from __future__ import annotations

from qingqian.core.transitions import TransitionTable, transition
from qingqian.services.models import AidRequest

SME = "sme"
PROVIDER = "provider"
OFFICIAL = "official"

S = AidRequest.State
OPEN = {S.REQUESTED, S.ACCEPTED, S.APPOINTMENT_SET}

AID_TRANSITIONS = TransitionTable(
    [
        transition("assign", {S.REQUESTED}, None, OFFICIAL),
        transition("accept", {S.REQUESTED}, S.ACCEPTED, PROVIDER),
        transition("decline", {S.REQUESTED}, S.DECLINED, PROVIDER),
        transition("appointment", {S.ACCEPTED, S.APPOINTMENT_SET}, S.APPOINTMENT_SET, PROVIDER),
        transition("outcome", {S.ACCEPTED, S.APPOINTMENT_SET}, S.COMPLETED, PROVIDER),
        transition("rate", {S.COMPLETED}, None, SME),
        transition("withdraw", OPEN, S.WITHDRAWN, SME),
    ]
)
