"""Audit verbs of receivable confirmation requests."""

SEND = "confirmations.send"
WITHDRAW = "confirmations.withdraw"
ANSWER = "confirmations.answer"
LAPSE = "confirmations.lapse"
DUE_RECOMPUTED = "confirmations.due_recomputed"
