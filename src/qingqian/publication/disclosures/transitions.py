"""The state machines of a disclosure and of its cross-check flags: tables, in code.

A disclosure does not exist until it is filed (`NOT_FILED` names that state);
a correction is a new version of a filed disclosure, never an edit. A flag is
closed by the supervising authority, or superseded when the body files a
correction (the correction is cross-checked in its turn).

"Who" names a standing, not a role: the body's representative (`FILER`), the
supervising authority (`AUTHORITY`, an official reviewing disclosures whose
scope covers the body), the platform itself (`SYSTEM`).
"""

from __future__ import annotations

from qingqian.core.transitions import TransitionTable, transition
from qingqian.publication.models import Disclosure, DisclosureFlag

FILER = "filer"
AUTHORITY = "authority"
SYSTEM = "system"

NOT_FILED = "not_filed"
FILED = Disclosure.State.FILED
FlagState = DisclosureFlag.State

DISCLOSURE_TRANSITIONS = TransitionTable(
    [
        transition("file", {NOT_FILED}, FILED, FILER),
        transition("correct", {FILED}, None, FILER),
    ]
)

FLAG_TRANSITIONS = TransitionTable(
    [
        transition("close", {FlagState.OPEN}, FlagState.CLOSED, AUTHORITY),
        transition("supersede", {FlagState.OPEN}, FlagState.SUPERSEDED, SYSTEM),
    ]
)
