"""The audit verbs of enterprises."""

ENTERPRISE_CREATE = "enterprise.create"
ENTERPRISE_REGISTER_DEBTOR = "enterprise.register_debtor"
ENTERPRISE_REGISTER_BULK = "enterprise.register_bulk"
ENTERPRISE_UPDATE = "enterprise.update"
ENTERPRISE_REGISTER_CLAIMANT = "enterprise.register_claimant"
ENTERPRISE_SIZE_DECLARE = "enterprise.size_declare"
