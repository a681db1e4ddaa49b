"""Audited writes to the reference tables, one module per concern."""
