"""The domain events the complaint workflow publishes (through `qingqian.core.events`).

Every event carries the complaint's id and the keys its watchers count it
under, frozen on the complaint when it was filed: `region_code` (the debtor's
region) and `debtor_type`.
"""

# A workflow action was recorded as a ComplaintEvent. Values: complaint_id,
# event_id, action (the transition's name), day (the date it counts as taken on,
# or None), department_id (the department holding the complaint, or None),
# satisfied (the complainant's opinion for a feedback, else None), channel
# (what the complaint came through), region_code, debtor_type.
ACTION_RECORDED = "complaints.action_recorded"

# A stage clock was frozen met or breached, or a frozen clock was reopened (a
# transfer returned as "not ours"). Values of both: complaint_id, deadline_id,
# stage, status (met / breached: what the clock was frozen as), ended_by (the
# action that ended the stage), start_on, ended_on, organisation_id (who ran the
# clock, or None), region_code, debtor_type.
CLOCK_FROZEN = "complaints.clock_frozen"
CLOCK_REOPENED = "complaints.clock_reopened"
