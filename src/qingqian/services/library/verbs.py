"""The audit verbs of the Regulations library."""

LIBRARY_ENTRY_EDIT = "library.entry_edit"
LIBRARY_SEED = "library.seed"
