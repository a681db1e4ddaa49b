"""The audit verbs of typical cases."""

TYPICAL_CASE_DRAFT = "publication.typical_case_draft"
TYPICAL_CASE_EDIT = "publication.typical_case_edit"
TYPICAL_CASE_REVIEW = "publication.typical_case_review"
TYPICAL_CASE_RETURN = "publication.typical_case_return"
TYPICAL_CASE_APPROVE = "publication.typical_case_approve"
TYPICAL_CASE_PUBLISH = "publication.typical_case_publish"
TYPICAL_CASE_WITHDRAW = "publication.typical_case_withdraw"
