"""Audited writes to the one-year LPR table (LprRate), which administrators edit.

A change here changes the floor of agreed overdue-interest rates for contracts
signed on or after the changed date; interest is computed on demand from
`selectors.load_lpr_table()`, so nothing stored needs recomputing yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qingqian.accounts.permissions import Perm, require_perm
from qingqian.core import audit
from qingqian.core.interest import FIRST_LPR_DATE, LprRow
from qingqian.core.models import LprRate
from qingqian.reference import verbs

MAX_DECIMALS = 4  # LprRate.rate_percent has decimal_places=4


@transaction.atomic
def lpr_set_rate(*, actor, effective_from: date, rate_percent, source: str = "") -> LprRate:
    """Add a fixing, or change the rate or source of an existing one."""
    require_perm(actor, Perm.REFERENCE_EDIT)
    rate = check_rate_row(effective_from, rate_percent)
    source = (source or "").strip()
    existing = LprRate.objects.select_for_update().filter(effective_from=effective_from).first()
    if existing and (existing.rate_percent, existing.source) == (rate, source):
        return existing
    previous = _payload(existing)
    row, _ = LprRate.objects.update_or_create(
        effective_from=effective_from, defaults={"rate_percent": rate, "source": source}
    )
    audit.record(
        actor=actor,
        verb=verbs.LPR_SET,
        target=row,
        payload={**_payload(row), "previous": previous},
    )
    return row


@transaction.atomic
def lpr_delete_rate(*, actor, effective_from: date) -> None:
    """Remove a fixing entered by mistake; the previous rate then holds longer."""
    require_perm(actor, Perm.REFERENCE_EDIT)
    existing = LprRate.objects.select_for_update().filter(effective_from=effective_from).first()
    if existing is None:
        raise ValidationError({"effective_from": f"no LPR fixing on {effective_from} to delete"})
    target, payload = ("core.lprrate", existing.pk), _payload(existing)
    existing.delete()
    audit.record(actor=actor, verb=verbs.LPR_DELETE, target=target, payload=payload)


def check_rate_row(effective_from, rate_percent) -> Decimal:
    """Validate one fixing; returns the rate as a Decimal. Raises ValidationError by field."""
    errors = {}
    if not isinstance(effective_from, date):
        errors["effective_from"] = _("Enter a date.")
    elif effective_from < FIRST_LPR_DATE:
        errors["effective_from"] = _(
            "The date is before the first reformed LPR fixing on %(first)s."
        ) % {"first": FIRST_LPR_DATE}
    rate = _decimal(rate_percent)
    if rate is None or not 0 < rate < 100:
        errors["rate_percent"] = _("Enter a percentage above 0 and below 100.")
    elif -rate.as_tuple().exponent > MAX_DECIMALS:
        errors["rate_percent"] = _("Use at most %(places)s decimal places.") % {
            "places": MAX_DECIMALS
        }
    if errors:
        raise ValidationError(errors)
    return rate


def insert_missing_rates(rows: Iterable[LprRow]) -> list[date]:
    """Add the fixings whose date is not in the table yet; never overwrites an edit.

    No permission check and no audit event: only for services that do both.
    """
    rows = list(rows)
    for row in rows:
        check_rate_row(row.effective_from, row.rate_percent)
    present = set(LprRate.objects.values_list("effective_from", flat=True))
    missing = [row for row in rows if row.effective_from not in present]
    LprRate.objects.bulk_create(
        LprRate(effective_from=row.effective_from, rate_percent=row.rate_percent, source=row.source)
        for row in missing
    )
    return [row.effective_from for row in missing]


def _decimal(value) -> Decimal | None:
    if isinstance(value, float | bool):
        return None  # never a float: 3.45 as a float is not 3.45
    try:
        rate = Decimal(str(value).strip()) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return rate if rate.is_finite() else None


def _payload(row: LprRate | None) -> dict | None:
    if row is None:
        return None
    return {
        "effective_from": row.effective_from.isoformat(),
        "rate_percent": str(row.rate_percent),
        "source": row.source,
    }
