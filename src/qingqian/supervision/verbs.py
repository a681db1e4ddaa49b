"""The audit verbs of supervision: cases and notices, periodic reports, laggard
rules, and the jobs that keep the figures (tallies, snapshots, reminders)."""

CASE_OPEN = "supervision.case_open"
CASE_PROGRESS = "supervision.case_progress"
CASE_INTERVIEW = "supervision.case_interview"
CASE_LIFT = "supervision.case_lift"
NOTICE_DRAFT = "supervision.notice_draft"
NOTICE_DECIDE = "supervision.notice_decide"
CASES_REMIND = "supervision.remind"

REPORTS_GENERATE = "supervision.reports_generate"
REPORTS_SEED = "supervision.reports_seed"
REPORTS_REMIND = "supervision.reports_remind"
REPORT_VALUE = "supervision.report_value"
REPORT_SUBMIT = "supervision.report_submit"
REPORT_REOPEN = "supervision.report_reopen"
REPORTING_UNIT_ADD = "supervision.reporting_unit_add"
REPORTING_UNIT_REMOVE = "supervision.reporting_unit_remove"
REPORTING_UNITS_SEED = "supervision.reporting_units_seed"

RULE_ADD = "supervision.rule_add"
RULE_CHANGE = "supervision.rule_change"
RULE_DELETE = "supervision.rule_delete"

TALLIES_REBUILT = "supervision.tallies_rebuilt"
LEDGER_SNAPSHOT_TAKEN = "supervision.ledger_snapshot_taken"

TARGET_CREATE = "supervision.target_create"
TARGET_EDIT = "supervision.target_edit"
TARGET_CLOSE = "supervision.target_close"
