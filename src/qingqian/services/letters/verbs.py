"""The audit verbs of demand letters."""

DEMAND_LETTER_CREATE = "letters.demand_letter_create"
DEMAND_LETTER_ATTACH = "letters.demand_letter_attach"
