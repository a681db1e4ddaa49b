"""The audit verbs of complaints, routing and deadline reminders: one spelling,
lowercase, a dot after the subject, underscores inside words."""

from __future__ import annotations

from qingqian.complaints.transitions import TRANSITIONS

DRAFT_CREATED = "complaint.create_draft"
DRAFT_UPDATED = "complaint.update_draft"
EVIDENCE_ADDED = "complaint.evidence_add"
EVIDENCE_REMOVED = "complaint.evidence_remove"
INTERNAL_NOTE_ADDED = "complaint.internal_note"

# One verb per workflow action of the transition table, e.g. "complaint.request_material".
ACTION_VERBS = {action: "complaint." + action.replace("-", "_") for action in TRANSITIONS}

ROUTING_SEEDED = "routing.seed"
ROUTING_RULE_SET = "routing.set"
ROUTING_RULE_DELETED = "routing.delete"

DEADLINES_REMINDED = "deadlines.remind"
