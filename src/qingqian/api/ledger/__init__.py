"""The arrears ledger (台账) resource of the API."""
