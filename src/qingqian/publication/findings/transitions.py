"""The procedure of a finding as a table. "Who" is a standing, not a role: the
officials who manage findings in the enterprise's region (OFFICIAL), the
enterprise's own representatives (ENTERPRISE), the daily job (SYSTEM)."""

from __future__ import annotations

from qingqian.core.transitions import TransitionTable, transition
from qingqian.publication.models import Finding

OFFICIAL = "official"
ENTERPRISE = "enterprise"
SYSTEM = "system"

S = Finding.State
BEFORE_LISTING = {S.PROPOSED, S.UNDER_REVIEW, S.DECIDED, S.NOTIFIED}
LISTED = {S.PUBLISHED, S.UNDER_OBJECTION, S.REPAIR_REQUESTED}

FINDING_TRANSITIONS = TransitionTable(
    [
        transition("review", {S.PROPOSED}, S.UNDER_REVIEW, OFFICIAL),
        transition("decide", {S.UNDER_REVIEW}, S.DECIDED, OFFICIAL),
        transition("notify", {S.DECIDED}, S.NOTIFIED, OFFICIAL),
        transition("state-case", {S.NOTIFIED}, None, ENTERPRISE),
        transition("publish", {S.NOTIFIED}, S.PUBLISHED, OFFICIAL),
        transition("drop", BEFORE_LISTING, S.DROPPED, OFFICIAL),
        transition("object", {S.PUBLISHED}, S.UNDER_OBJECTION, ENTERPRISE),
        transition("uphold", {S.UNDER_OBJECTION}, S.PUBLISHED, OFFICIAL),
        transition("withdraw", {S.UNDER_OBJECTION}, S.WITHDRAWN, OFFICIAL),
        transition("request-repair", {S.PUBLISHED}, S.REPAIR_REQUESTED, ENTERPRISE),
        transition("refuse-repair", {S.REPAIR_REQUESTED}, S.PUBLISHED, OFFICIAL),
        transition("repair", {S.REPAIR_REQUESTED}, S.REPAIRED, OFFICIAL),
        transition("expire", LISTED, S.EXPIRED, SYSTEM),
    ]
)
