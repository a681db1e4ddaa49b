"""Audited writes of the annual disclosures.

* `disclosure_file`: a body's representative files its disclosure for a period
  (the first version) or a correction (a new version; earlier ones stay as
  they were). The figures are prefilled from the ledger at the year end; a
  figure that differs from the prefill needs its reason. Each version is
  cross-checked against the ledger: saying "none" while the ledger holds
  overdue items, or an amount beyond the period's tolerance, is flagged to the
  supervising authority with the items behind it (kept by id, inserted by one
  INSERT ... SELECT, never a loop over items).
* `disclosure_flag_close`: the authority closes a flag with its note.
* `disclosure_period_save` / `disclosure_periods_seed`: the national
  administrator's periods and tolerance.

Every service checks who acts, the state (a ForbiddenTransition from the
table is a `DisclosureConflict`, 409), validates (a ValidationError naming the
field), writes, and records one audit event. A refusal writes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation, Role, User
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.complaints.errors import ComplaintConflict
from qingqian.core import audit
from qingqian.core.regions import province_code_of
from qingqian.core.scoping import scope_for
from qingqian.core.transitions import ForbiddenTransition
from qingqian.notifications.services import notify
from qingqian.parties.models import Enterprise
from qingqian.publication.disclosures import defaults, rules, selectors, verbs
from qingqian.publication.disclosures.transitions import (
    DISCLOSURE_TRANSITIONS,
    FLAG_TRANSITIONS,
    NOT_FILED,
)
from qingqian.publication.models import (
    Disclosure,
    DisclosureFlag,
    DisclosureFlagItem,
    DisclosurePeriod,
    DisclosureVersion,
)
from qingqian.publication.models.disclosures import MAX_EXPLANATION, filer_group_of

MAX_REASON = 1000
MAX_COUNT = 10**9
MAX_AMOUNT_FEN = 10**15
AUTHORITY_ROLES = frozenset({Role.INTAKE, Role.SUPERVISOR, Role.ADMIN})


class DisclosureConflict(ComplaintConflict):
    """The action does not fit the disclosure's (or the flag's) state: a 409."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("This action is not possible in the disclosure's state."))


def _next(table, state: str, action: str) -> str:
    try:
        return table.next_state(state, action)
    except ForbiddenTransition:
        raise DisclosureConflict() from None


# --- filing --------------------------------------------------------------------------------


@transaction.atomic
def disclosure_file(
    *,
    actor,
    period: DisclosurePeriod,
    enterprise: Enterprise,
    has_overdue: bool,
    overdue_count: int,
    overdue_amount_fen: int,
    explanation: str = "",
    count_reason: str = "",
    amount_reason: str = "",
    correction_reason: str = "",
    on: date | None = None,
) -> DisclosureVersion:
    """File the body's disclosure for the period, or correct it (a new version)."""
    if not selectors.may_file_for(actor, enterprise):
        raise PermissionDenied(_("Only the body's own representative files its disclosure."))
    return file_version(
        actor=actor,
        period=period,
        enterprise=enterprise,
        has_overdue=has_overdue,
        overdue_count=overdue_count,
        overdue_amount_fen=overdue_amount_fen,
        explanation=explanation,
        count_reason=count_reason,
        amount_reason=amount_reason,
        correction_reason=correction_reason,
        on=on,
    )


def file_version(
    *,
    actor,
    period: DisclosurePeriod,
    enterprise: Enterprise,
    has_overdue: bool,
    overdue_count: int,
    overdue_amount_fen: int,
    explanation: str = "",
    count_reason: str = "",
    amount_reason: str = "",
    correction_reason: str = "",
    on: date | None = None,
) -> DisclosureVersion:
    """The checks and writes of one filing, once the caller has checked who acts
    (`disclosure_file` for the body's representative, the bulk import for the
    authority importing what bodies filed elsewhere). Runs in the caller's transaction."""
    on = on or timezone.localdate()
    period = DisclosurePeriod.objects.get(pk=period.pk)
    disclosure = (
        Disclosure.objects.select_for_update().filter(period=period, enterprise=enterprise).first()
    )
    action = "correct" if disclosure else "file"
    _next(DISCLOSURE_TRANSITIONS, disclosure.state if disclosure else NOT_FILED, action)
    ledger = selectors.ledger_at_year_end(enterprise_id=enterprise.pk, year=period.year)
    explanation, count_reason, amount_reason, correction_reason = (
        (text or "").strip()
        for text in (explanation, count_reason, amount_reason, correction_reason)
    )
    _check_filing(
        period=period,
        enterprise=enterprise,
        on=on,
        has_overdue=has_overdue,
        count=overdue_count,
        amount_fen=overdue_amount_fen,
        explanation=explanation,
        ledger=ledger,
        reasons=(count_reason, amount_reason, correction_reason),
        correcting=disclosure is not None,
    )
    if disclosure is None:
        try:
            with transaction.atomic():
                disclosure = Disclosure.objects.create(
                    period=period,
                    enterprise=enterprise,
                    region_code=enterprise.region_code,
                    province_code=province_code_of(enterprise.region_code),
                    first_filed_on=on,
                    filed_late=rules.is_late(on, period.due_on),
                )
        except IntegrityError:  # filed at the same moment elsewhere: a correction now
            raise DisclosureConflict(
                _("The disclosure was filed meanwhile. Reload and file a correction.")
            ) from None
        number = 1
    else:
        _check_changed(
            selectors.current_version(disclosure),
            has_overdue,
            overdue_count,
            overdue_amount_fen,
            explanation,
        )
        number = disclosure.current_version + 1
        disclosure.current_version = number
        disclosure.save(update_fields=["current_version"])
    version = DisclosureVersion.objects.create(
        disclosure=disclosure,
        number=number,
        has_overdue=has_overdue,
        overdue_count=overdue_count,
        overdue_amount_fen=overdue_amount_fen,
        explanation=explanation,
        prefilled_count=ledger.count,
        prefilled_amount_fen=ledger.amount_fen,
        count_reason=count_reason if overdue_count != ledger.count else "",
        amount_reason=amount_reason if overdue_amount_fen != ledger.amount_fen else "",
        correction_reason=correction_reason if number > 1 else "",
        filed_by=actor if actor is not None and actor.is_authenticated else None,
        filed_on=on,
    )
    audit.record(
        actor=actor,
        verb=verbs.FILE if number == 1 else verbs.CORRECT,
        target=disclosure,
        payload={
            "period": period.pk,
            "enterprise": enterprise.pk,
            "version": number,
            "has_overdue": has_overdue,
            "overdue_count": overdue_count,
            "overdue_amount_fen": overdue_amount_fen,
            "prefilled_count": ledger.count,
            "prefilled_amount_fen": ledger.amount_fen,
            "late": rules.is_late(on, period.due_on),
        },
    )
    _supersede_open_flags(actor, disclosure, version)
    _cross_check(actor, period, disclosure, version, ledger)
    return version


def _check_filing(
    *,
    period,
    enterprise,
    on,
    has_overdue,
    count,
    amount_fen,
    explanation,
    ledger,
    reasons,
    correcting,
) -> None:
    count_reason, amount_reason, correction_reason = reasons
    errors = {}
    if filer_group_of(enterprise.type) != period.filer_group:
        errors["period"] = _("This body does not file in this period's group.")
    if on < period.opens_on:
        errors["period"] = _("Filing for this period opens on %(date)s.") % {
            "date": period.opens_on.isoformat()
        }
    if not isinstance(count, int) or not 0 <= count <= MAX_COUNT:
        errors["overdue_count"] = _("Enter a whole number of contracts, 0 or more.")
    if not isinstance(amount_fen, int) or not 0 <= amount_fen <= MAX_AMOUNT_FEN:
        errors["overdue_amount_fen"] = _("Enter an amount of 0 or more.")
    if errors:
        raise ValidationError(errors)
    if has_overdue:
        if count == 0:
            errors["overdue_count"] = _("With overdue contracts, give their number.")
        if amount_fen == 0:
            errors["overdue_amount_fen"] = _("With overdue contracts, give their amount.")
    else:
        if count:
            errors["overdue_count"] = _("Without overdue contracts, the number is 0.")
        if amount_fen:
            errors["overdue_amount_fen"] = _("Without overdue contracts, the amount is 0.")
    if len(explanation) > MAX_EXPLANATION:
        errors["explanation"] = _("At most %(n)d characters.") % {"n": MAX_EXPLANATION}
    if count != ledger.count and not count_reason:
        errors["count_reason"] = _(
            "The ledger counts %(n)d at the year end: say why the number differs."
        ) % {"n": ledger.count}
    if amount_fen != ledger.amount_fen and not amount_reason:
        errors["amount_reason"] = _(
            "The amount differs from the ledger's at the year end: say why."
        )
    if correcting and not correction_reason:
        errors["correction_reason"] = _("Say why the disclosure is corrected.")
    for field, text in (
        ("count_reason", count_reason),
        ("amount_reason", amount_reason),
        ("correction_reason", correction_reason),
    ):
        if len(text) > MAX_REASON:
            errors[field] = _("At most %(n)d characters.") % {"n": MAX_REASON}
    if errors:
        raise ValidationError(errors)


def _check_changed(current: DisclosureVersion, has_overdue, count, amount_fen, explanation) -> None:
    if (
        current.has_overdue,
        current.overdue_count,
        current.overdue_amount_fen,
        current.explanation,
    ) == (
        has_overdue,
        count,
        amount_fen,
        explanation,
    ):
        raise ValidationError(
            {"correction_reason": _("The correction changes nothing: the figures are as filed.")}
        )


# --- the cross-check -----------------------------------------------------------------------


def _cross_check(actor, period, disclosure, version, ledger) -> DisclosureFlag | None:
    tolerance = rules.tolerance_fen(
        ledger.amount_fen, absolute_fen=period.tolerance_fen, percent=period.tolerance_percent
    )
    kind = rules.cross_check(
        has_overdue=version.has_overdue,
        declared_amount_fen=version.overdue_amount_fen,
        ledger_count=ledger.count,
        ledger_amount_fen=ledger.amount_fen,
        tolerance=tolerance,
    )
    if kind is None:
        return None
    flag = DisclosureFlag.objects.create(
        disclosure=disclosure,
        version=version,
        kind=kind,
        region_code=disclosure.region_code,
        province_code=disclosure.province_code,
        declared_amount_fen=version.overdue_amount_fen,
        ledger_count=ledger.count,
        ledger_amount_fen=ledger.amount_fen,
        tolerance_applied_fen=tolerance,
    )
    _keep_items(flag, disclosure.enterprise_id, period.year_end)
    audit.record(
        actor=actor,
        verb=verbs.FLAG,
        target=flag,
        payload={
            "disclosure": disclosure.pk,
            "version": version.number,
            "kind": kind,
            "declared_amount_fen": version.overdue_amount_fen,
            "ledger_count": ledger.count,
            "ledger_amount_fen": ledger.amount_fen,
            "tolerance_fen": tolerance,
        },
    )
    _notify_authority(flag)
    return flag


def _keep_items(flag: DisclosureFlag, enterprise_id: int, year_end: date) -> None:
    """The items behind the flag, by id, copied by the database in one statement."""
    items = (
        selectors.overdue_items_at(year_end)
        .filter(debtor_id=enterprise_id)
        .order_by()
        .values("id", "year_end_outstanding_fen")
    )
    sql, params = items.query.sql_with_params()
    table = DisclosureFlagItem._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (flag_id, item_id, outstanding_fen) "  # nosec B608 # our SQL
            f"SELECT %s, q.id, q.year_end_outstanding_fen FROM ({sql}) q",
            [flag.pk, *params],
        )


def _supersede_open_flags(actor, disclosure: Disclosure, version: DisclosureVersion) -> None:
    for flag in DisclosureFlag.objects.select_for_update().filter(
        disclosure=disclosure, state=DisclosureFlag.State.OPEN
    ):
        flag.state = _next(FLAG_TRANSITIONS, flag.state, "supersede")
        flag.note = _("Superseded by version %(n)d.") % {"n": version.number}
        flag.closed_at = timezone.now()
        flag.save(update_fields=["state", "note", "closed_at"])


def authority_recipients(province_code: str):
    """The officials of the province's SME authority who review disclosures."""
    return (
        User.objects.filter(
            is_active=True, role__in=AUTHORITY_ROLES, organisation__region_code=province_code
        )
        .exclude(organisation__kind=Organisation.Kind.HANDLING_DEPARTMENT)
        .order_by("pk")
    )


def _notify_authority(flag: DisclosureFlag) -> None:
    disclosure = flag.disclosure
    url = reverse("disclosures:flag", args=[flag.pk])
    for recipient in authority_recipients(flag.province_code):
        notify(
            recipient=recipient,
            dedup_key=f"disclosure-flag:{flag.pk}",
            subject=_("Disclosure contradicts the ledger: %(body)s")
            % {"body": disclosure.enterprise.name},
            body=_("%(body)s's disclosure for %(year)d: %(kind)s.")
            % {
                "body": disclosure.enterprise.name,
                "year": disclosure.period.year,
                "kind": flag.get_kind_display(),
            },
            url=url,
        )


# --- the authority closes a flag -------------------------------------------------------------


@transaction.atomic
def disclosure_flag_close(*, actor, flag: DisclosureFlag, note: str) -> DisclosureFlag:
    flag = selectors.flag_get(actor=actor, pk=flag.pk)  # scoped: out of scope is a 404
    flag = DisclosureFlag.objects.select_for_update().get(pk=flag.pk)
    state = _next(FLAG_TRANSITIONS, flag.state, "close")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was found.")})
    if len(note) > MAX_REASON:
        raise ValidationError({"note": _("At most %(n)d characters.") % {"n": MAX_REASON}})
    flag.state, flag.note, flag.closed_by, flag.closed_at = state, note, actor, timezone.now()
    flag.save(update_fields=["state", "note", "closed_by", "closed_at"])
    audit.record(actor=actor, verb=verbs.FLAG_CLOSE, target=flag, payload={"note": note})
    return flag


# --- periods ---------------------------------------------------------------------------------


def may_set_periods(actor) -> bool:
    if actor is None:
        return True
    return has_perm(actor, Perm.DISCLOSURE_PERIODS) and scope_for(actor).everything


PERIOD_FIELDS = (
    "year",
    "filer_group",
    "opens_on",
    "due_on",
    "remind_before_working_days",
    "remind_after_working_days",
    "tolerance_fen",
    "tolerance_percent",
    "source",
)


@transaction.atomic
def disclosure_period_save(*, actor, period: DisclosurePeriod | None = None, **values):
    """Create a period or change one (the national administrator). Flags already
    raised keep the tolerance they applied."""
    if not may_set_periods(actor):
        raise PermissionDenied(_("Only the national administrator sets disclosure periods."))
    unknown = set(values) - set(PERIOD_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if period is None:
        period = DisclosurePeriod()
    else:
        period = DisclosurePeriod.objects.select_for_update().get(pk=period.pk)
    before = {name: getattr(period, name) for name in PERIOD_FIELDS}
    for name, value in values.items():
        setattr(period, name, value)
    _check_period(period)
    period.version += 1
    period.save()
    audit.record(
        actor=actor,
        verb=verbs.PERIOD_SAVE,
        target=period,
        payload={
            "before": before if before["year"] else None,
            "after": {name: getattr(period, name) for name in PERIOD_FIELDS},
        },
    )
    return period


def _check_period(period: DisclosurePeriod) -> None:
    errors = {}
    if not period.year or not 2020 <= period.year <= 2100:
        errors["year"] = _("Give the year disclosed (2020 or later).")
    if period.opens_on and period.year and period.opens_on.year <= period.year:
        errors["opens_on"] = _("Filing opens after the year disclosed has ended.")
    if period.opens_on and period.due_on and period.due_on < period.opens_on:
        errors["due_on"] = _("The due date cannot be before filing opens.")
    if period.tolerance_fen is None or period.tolerance_fen < 0:
        errors["tolerance_fen"] = _("Enter an amount of 0 or more.")
    if period.tolerance_percent is None or not 0 <= Decimal(period.tolerance_percent) <= 100:
        errors["tolerance_percent"] = _("Enter a percentage between 0 and 100.")
    if not (period.source or "").strip():
        errors["source"] = _("Name the legal source of the period.")
    duplicate = DisclosurePeriod.objects.filter(
        year=period.year, filer_group=period.filer_group
    ).exclude(pk=period.pk)
    if duplicate.exists():
        errors["year"] = _("This year already has a period for this group.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def disclosure_periods_seed(*, actor) -> int:
    """Create the default periods when there are none at all (a new or emptied platform)."""
    if DisclosurePeriod.objects.exists():
        return 0
    for year, group, opens_on, due_on, source in defaults.DEFAULT_PERIODS:
        DisclosurePeriod.objects.create(
            year=year,
            filer_group=group,
            opens_on=opens_on,
            due_on=due_on,
            remind_before_working_days=defaults.DEFAULT_REMIND_BEFORE,
            remind_after_working_days=defaults.DEFAULT_REMIND_AFTER,
            tolerance_fen=defaults.DEFAULT_TOLERANCE_FEN,
            tolerance_percent=Decimal(defaults.DEFAULT_TOLERANCE_PERCENT),
            source=source,
        )
    audit.record(
        actor=actor,
        verb=verbs.PERIODS_SEED,
        target=("publication.disclosureperiod", "defaults"),
        payload={"periods": len(defaults.DEFAULT_PERIODS)},
    )
    return len(defaults.DEFAULT_PERIODS)
