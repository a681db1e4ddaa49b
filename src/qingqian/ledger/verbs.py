"""The audit verbs of the ledger: every event the ledger writes names one of these."""

# Items and what happens to them
ITEM_CREATE = "ledger.create"
ITEM_UPDATE = "ledger.update"
CONFIRM = "ledger.confirm"
PAYMENT = "ledger.payment"
PAYMENT_REVERSE = "ledger.payment_reverse"
PLAN = "ledger.plan"
LEGAL_OPEN = "ledger.legal_open"
LEGAL_DECIDE = "ledger.legal_decide"
EVIDENCE_ADD = "ledger.evidence_add"
SYNC_COMPLAINT = "ledger.sync_complaint"

# Bulk imports
IMPORT_UPLOAD = "ledger.import_upload"
IMPORT_STARTED = "ledger.import_started"
IMPORT_FAILED = "ledger.import_failed"
IMPORT = "ledger.import"
IMPORT_REFUSED = "ledger.import_refused"
IMPORT_BATCH = "ledger.import_batch"
