"""The procedure of a finding of dishonesty, one audited service per step.

Officials who manage findings (Perm.FINDINGS_MANAGE) act within their
jurisdiction, and the one who proposed may not decide (four eyes). The
enterprise's representatives state its case, object and ask for credit repair.
Windows and periods are dates: the statement window in working days from the
calendar, the listing in months from the list's definition.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Role
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.complaints.models import Complaint
from qingqian.core import audit
from qingqian.core.scoping import scope_for
from qingqian.core.selectors import load_calendar
from qingqian.core.workdays import compute_deadline
from qingqian.ledger.models import LedgerItem
from qingqian.publication import verbs
from qingqian.publication.findings.notifications import notify_step
from qingqian.publication.findings.transitions import (
    ENTERPRISE,
    FINDING_TRANSITIONS,
    OFFICIAL,
)
from qingqian.publication.models import CreditList, Finding, ListingChange
from qingqian.supervision.models import SupervisionCase

S = Finding.State
TEXT_MAX = 5000


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- who may act -----------------------------------------------------------------


def standing(actor, finding: Finding) -> str | None:
    """OFFICIAL, ENTERPRISE or None: the actor's place towards this finding."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return None
    if has_perm(actor, Perm.FINDINGS_MANAGE) and actor.is_official:
        covers = scope_for(actor).covers_region(finding.enterprise.region_code)
        return OFFICIAL if covers else None
    if actor.role == Role.DEBTOR and actor.enterprise_id == finding.enterprise_id:
        return ENTERPRISE
    return None


def _begin(actor, finding: Finding, action: str) -> Finding:
    finding = Finding.objects.select_for_update().select_related("enterprise").get(pk=finding.pk)
    who = FINDING_TRANSITIONS[action].roles
    if standing(actor, finding) not in who:
        raise PermissionDenied(_("You may not take this step on this finding."))
    if not FINDING_TRANSITIONS.allowed(finding.state, action):
        raise ValidationError(
            {
                "state": _("This step is not possible now: the finding is %(state)s.")
                % {"state": finding.get_state_display()}
            }
        )
    return finding


def _finish(actor, finding: Finding, action: str, verb: str, payload: dict) -> Finding:
    finding.state = FINDING_TRANSITIONS.next_state(finding.state, action)
    finding.save()
    audit.record(actor=actor, verb=verb, target=finding, payload=payload)
    notify_step(finding, action, actor)
    return finding


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if len(value) > TEXT_MAX:
        raise ValidationError({field: _("At most 5,000 characters.")})
    return value


def _today(on: date | None) -> date:
    return on or timezone.localdate()


# --- before listing ----------------------------------------------------------------


@transaction.atomic
def finding_propose(*, actor, origin, grounds: str, on: date | None = None) -> Finding:
    """A proposal from a complaint, a ledger item or a supervision case (each read
    through its own scoping selector by the caller): the enterprise is its debtor."""
    fields = _origin_fields(origin)
    finding = Finding(**fields, proposed_by=actor, proposed_on=_today(on))
    finding.grounds = _text(
        grounds, "grounds", _("Say why the enterprise should be found dishonest.")
    )
    if standing(actor, finding) != OFFICIAL:
        raise PermissionDenied(_("You may not propose findings about this enterprise."))
    finding.save()
    audit.record(
        actor=actor,
        verb=verbs.FINDING_PROPOSE,
        target=finding,
        payload={"origin": finding.origin, "enterprise": finding.enterprise.uscc},
    )
    return finding


def _origin_fields(origin) -> dict:
    if isinstance(origin, Complaint):
        return {
            "origin": Finding.Origin.COMPLAINT,
            "complaint": origin,
            "enterprise": origin.debtor,
        }
    if isinstance(origin, LedgerItem):
        return {
            "origin": Finding.Origin.LEDGER_ITEM,
            "ledger_item": origin,
            "enterprise": origin.debtor,
        }
    if isinstance(origin, SupervisionCase) and origin.debtor_id:
        return {"origin": Finding.Origin.CASE, "case": origin, "enterprise": origin.debtor}
    raise ValidationError(
        {
            "origin": _(
                "A finding starts from a complaint, a ledger item or a supervision case "
                "of a debtor."
            )
        }
    )


@transaction.atomic
def finding_review(*, actor, finding: Finding, note: str) -> Finding:
    """The legal review starts, with its first note."""
    finding = _begin(actor, finding, "review")
    finding.review_note = _text(note, "note", _("Write the legal review's note."))
    return _finish(actor, finding, "review", verbs.FINDING_REVIEW, {})


@transaction.atomic
def finding_decide(
    *,
    actor,
    finding: Finding,
    credit_list: CreditList,
    legal_basis: str,
    facts: str,
    on: date | None = None,
) -> Finding:
    """The decision names the list, the legal basis, the facts and the period (the
    list's, fixed in advance). Not by the official who proposed it."""
    finding = _begin(actor, finding, "decide")
    if finding.proposed_by_id == actor.pk:
        raise PermissionDenied(_("Another official decides: you proposed this finding."))
    errors = {}
    if credit_list is None or not credit_list.is_active:
        errors["credit_list"] = _("Choose a list in use.")
    for field, value, message in (
        ("legal_basis", legal_basis, _("Name the provision the finding rests on.")),
        ("facts", facts, _("State the facts found.")),
    ):
        try:
            setattr(finding, field, _text(value, field, message))
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    finding.credit_list = credit_list
    finding.publication_months = credit_list.publication_months
    finding.decided_by, finding.decided_on = actor, _today(on)
    return _finish(
        actor,
        finding,
        "decide",
        verbs.FINDING_DECIDE,
        {"list": credit_list.code, "months": credit_list.publication_months},
    )


@transaction.atomic
def finding_notify(*, actor, finding: Finding, on: date | None = None) -> Finding:
    """The prior notice is served: the enterprise may state its case for the list's
    number of working days after that day (provisional where a year's schedule is
    not entered yet)."""
    finding = _begin(actor, finding, "notify")
    finding.notified_on = _today(on)
    due = compute_deadline(
        load_calendar(),
        finding.notified_on,
        working_days=finding.credit_list.defence_working_days,
        allow_provisional=True,
    )
    finding.defence_due_on, finding.defence_due_rule = due.date, due.rule
    finding.defence_due_provisional = due.provisional
    return _finish(
        actor,
        finding,
        "notify",
        verbs.FINDING_NOTIFY,
        {"due": due.date.isoformat(), "rule": due.rule},
    )


@transaction.atomic
def finding_state_case(*, actor, finding: Finding, text: str, on: date | None = None) -> Finding:
    """The enterprise's statement and defence, received within the window."""
    finding = _begin(actor, finding, "state-case")
    day = _today(on)
    if day > finding.defence_due_on:
        raise ValidationError(
            {
                "text": _("The time to state the case ended on %(day)s.")
                % {"day": finding.defence_due_on}
            }
        )
    finding.statement = _text(text, "text", _("Write the statement."))
    finding.statement_on = day
    return _finish(actor, finding, "state-case", verbs.FINDING_STATE_CASE, {"on": day.isoformat()})


@transaction.atomic
def finding_publish(*, actor, finding: Finding, on: date | None = None) -> Finding:
    """After the window has ended (a statement, if any, considered): listed from
    that day for the decided number of months."""
    finding = _begin(actor, finding, "publish")
    day = _today(on)
    if day <= finding.defence_due_on:
        raise ValidationError(
            {
                "state": _("The enterprise may state its case until %(day)s: publish after that.")
                % {"day": finding.defence_due_on}
            }
        )
    finding.published_on = day
    finding.ends_on = add_months(day, finding.publication_months)
    finding = _finish(
        actor, finding, "publish", verbs.FINDING_PUBLISH, {"until": finding.ends_on.isoformat()}
    )
    _change(finding, ListingChange.Kind.LISTED, "published")
    return finding


@transaction.atomic
def finding_drop(*, actor, finding: Finding, reason: str) -> Finding:
    finding = _begin(actor, finding, "drop")
    finding.closing_reason = _text(reason, "reason", _("Say why the finding is dropped."))
    return _finish(actor, finding, "drop", verbs.FINDING_DROP, {})


# --- while listed ------------------------------------------------------------------


@transaction.atomic
def finding_object(*, actor, finding: Finding, text: str) -> Finding:
    """The enterprise objects: the listing shows "under review" until decided."""
    finding = _begin(actor, finding, "object")
    finding.objection = _text(text, "text", _("Give the reasons of the objection."))
    finding = _finish(actor, finding, "object", verbs.FINDING_OBJECT, {})
    _change(finding, ListingChange.Kind.UNDER_REVIEW, "objection")
    return finding


@transaction.atomic
def finding_decide_objection(*, actor, finding: Finding, upheld: bool, reason: str) -> Finding:
    """The listing stands (upheld) or is withdrawn, with the reason."""
    action = "uphold" if upheld else "withdraw"
    finding = _begin(actor, finding, action)
    finding.closing_reason = _text(reason, "reason", _("Give the reason of the decision."))
    if upheld:
        finding = _finish(actor, finding, action, verbs.FINDING_UPHOLD, {})
        _change(finding, ListingChange.Kind.CONFIRMED, "objection-refused")
        return finding
    finding.removed_on = timezone.localdate()
    finding = _finish(actor, finding, action, verbs.FINDING_WITHDRAW, {})
    _change(finding, ListingChange.Kind.REMOVED, "withdrawn")
    return finding


@transaction.atomic
def finding_request_repair(*, actor, finding: Finding, text: str) -> Finding:
    """Credit repair: asked for once the enterprise's undisputed arrears in the
    ledger are all paid (the payments carry their evidence)."""
    finding = _begin(actor, finding, "request-repair")
    text = _text(text, "text", _("Describe how the arrears were paid."))
    owing = undisputed_outstanding_fen(finding.enterprise)
    if owing > 0:
        raise ValidationError(
            {
                "text": _(
                    "Undisputed arrears of %(yuan)s yuan are still outstanding in the ledger: "
                    "credit repair needs them paid in full."
                )
                % {"yuan": f"{owing / 100:,.2f}"}
            }
        )
    finding.repair_request = text
    return _finish(actor, finding, "request-repair", verbs.FINDING_REQUEST_REPAIR, {})


def undisputed_outstanding_fen(enterprise) -> int:
    """What the enterprise still owes, undisputed, over all its ledger items (one query)."""
    total = LedgerItem.objects.filter(debtor=enterprise).aggregate(
        owing=Sum(F("owed_fen") - F("paid_fen") - F("written_off_fen") - F("disputed_fen"))
    )["owing"]
    return int(total or 0)


@transaction.atomic
def finding_decide_repair(*, actor, finding: Finding, approved: bool, reason: str) -> Finding:
    action = "repair" if approved else "refuse-repair"
    finding = _begin(actor, finding, action)
    finding.closing_reason = _text(reason, "reason", _("Give the reason of the decision."))
    if not approved:
        return _finish(actor, finding, action, verbs.FINDING_REFUSE_REPAIR, {})
    finding.removed_on = timezone.localdate()
    finding = _finish(actor, finding, action, verbs.FINDING_REPAIR, {})
    _change(finding, ListingChange.Kind.REMOVED, "repaired")
    return finding


@transaction.atomic
def findings_expire(*, on: date | None = None) -> int:
    """The daily job: listings whose period has ended are removed (the day after
    their last day)."""
    day = _today(on)
    due = Finding.objects.select_for_update().filter(
        state__in=[S.PUBLISHED, S.UNDER_OBJECTION, S.REPAIR_REQUESTED], ends_on__lt=day
    )
    count = 0
    for finding in due:
        finding.removed_on = day
        _finish(
            None, finding, "expire", verbs.FINDING_EXPIRE, {"ended": finding.ends_on.isoformat()}
        )
        _change(finding, ListingChange.Kind.REMOVED, "expired")
        count += 1
    return count


def _change(finding: Finding, kind: str, reason: str) -> None:
    ListingChange.objects.create(
        finding=finding,
        uscc=finding.enterprise.uscc,
        kind=kind,
        at=timezone.now(),
        reason=reason,
    )


# --- the lists, kept by the national administrator ------------------------------------

LIST_FIELDS = (
    "name",
    "legal_basis",
    "source",
    "publication_months",
    "defence_working_days",
    "repair_conditions",
    "is_active",
)


@transaction.atomic
def credit_list_save(*, actor, credit_list: CreditList | None = None, **fields) -> CreditList:
    """A list's definition, new or changed, each number with its source. Findings
    already decided keep the period they were decided with."""
    if not (actor.is_administrator and scope_for(actor).everything):
        raise PermissionDenied(_("Only the national administrator keeps the lists."))
    errors = {}
    for field in ("name", "legal_basis", "source", "repair_conditions"):
        if not str(fields.get(field, "")).strip():
            errors[field] = _("This field is required.")
    for field in ("publication_months", "defence_working_days"):
        if not isinstance(fields.get(field), int) or fields[field] < 1:
            errors[field] = _("Enter a whole number of at least 1.")
    code = str(fields.pop("code", "") or (credit_list.code if credit_list else "")).strip()
    if not code:
        errors["code"] = _("This field is required.")
    elif CreditList.objects.filter(code=code).exclude(pk=getattr(credit_list, "pk", None)).exists():
        errors["code"] = _("Another list has this code.")
    if errors:
        raise ValidationError(errors)
    row = credit_list or CreditList()
    before = {field: getattr(row, field) for field in LIST_FIELDS} if credit_list else {}
    row.code = code
    for field in LIST_FIELDS:
        setattr(row, field, fields.get(field, getattr(row, field)))
    row.save()
    audit.record(
        actor=actor,
        verb=verbs.CREDIT_LIST_SAVE,
        target=row,
        payload={"before": before, "after": {f: getattr(row, f) for f in LIST_FIELDS}},
    )
    return row
