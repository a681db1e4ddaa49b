"""The dashboard's tables as rows of cells: for downloads (CSV, XLSX) and the API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def _complaint_cells(figures: dict) -> list:
    on_time = figures["on_time"]
    return [
        figures["received"],
        figures["accepted"],
        figures["resolved"],
        figures["closed"],
        on_time["transfer"]["rate"],
        on_time["handling"]["rate"],
        figures["satisfaction_rate"],
    ]


def _complaint_header() -> list[str]:
    return [
        _("received"),
        _("accepted"),
        _("resolved"),
        pgettext("complaint state", "closed"),
        _("transferred on time (%)"),
        _("handled on time (%)"),
        _("satisfied (%)"),
    ]


def _ledger_cells(ledger: dict) -> list:
    return [
        ledger["identified_fen"],
        ledger["cleared_fen"],
        ledger["outstanding_fen"],
        ledger["undisputed_outstanding_fen"],
        ledger["clearance_rate"],
    ]


def _ledger_header() -> list[str]:
    return [
        _("arrears identified"),
        _("cleared"),
        _("outstanding"),
        _("undisputed outstanding"),
        _("clearance rate (%)"),
    ]


LEDGER_KINDS = ["money", "money", "money", "money", "text"]
COMPLAINT_KINDS = ["text"] * 7


def table(figures: dict, name: str) -> tuple[list[str], list[list], list[str]]:
    """(header, rows, kinds) of one table of the dashboard."""
    if name in ("by_region", "by_debtor_type"):
        header = [_("code"), _("name"), *_complaint_header(), _("overdue now"), *_ledger_header()]
        rows = [
            [
                row["code"],
                row["name"],
                *_complaint_cells(row["complaints"]),
                row["overdue"],
                *_ledger_cells(row["ledger"]),
            ]
            for row in figures[name]
        ]
        return header, rows, ["text", "text", *COMPLAINT_KINDS, "text", *LEDGER_KINDS]
    if name == "by_department":
        header = [_("region code"), _("department"), *_complaint_header(), _("overdue now")]
        rows = [
            [
                row["region_code"],
                row["name"],
                *_complaint_cells(row["complaints"]),
                row["overdue"],
            ]
            for row in figures[name]
        ]
        return header, rows, ["text", "text", *COMPLAINT_KINDS, "text"]
    if name == "by_month":
        header = [
            _("month"),
            *_complaint_header(),
            _("undisputed outstanding at month end; this month: now"),
        ]
        rows = [
            [
                f"{row['month']:%Y-%m}",
                *_complaint_cells(row["complaints"]),
                row["undisputed_outstanding_fen"],
            ]
            for row in figures[name]
        ]
        return header, rows, ["text", *COMPLAINT_KINDS, "money"]
    raise KeyError(name)


TABLES = ("by_region", "by_debtor_type", "by_department", "by_month")


def laggard_table(flags) -> tuple[list[str], list[list], list[str]]:
    header = [_("applies to"), _("code"), _("name"), _("rule"), _("threshold"), _("value")]
    rows = [
        [
            str(flag.rule.get_level_display()),
            flag.code,
            flag.name,
            rule_text(flag.rule),
            flag.rule.threshold,
            flag.value,
        ]
        for flag in flags
    ]
    return header, rows, ["text"] * 6


def rule_text(rule) -> str:
    stage = f" ({rule.get_stage_display()})" if rule.stage else ""
    target = f" ({rule.target.name})" if rule.target_id else ""
    return f"{rule.get_kind_display()}{stage}{target}"
