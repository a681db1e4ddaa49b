"""Qingqian (清欠): the open platform for clearing arrears owed to SMEs."""

__version__ = "0.1.0"
