"""Audited writes of typical cases (典型案例).

A case is drafted from a finished complaint the drafter may see; its title and
text are masked (`masking`) whenever they are saved, so no known personal data
reaches the record that may be published. Then, as for public notices, other
people decide: a reviewer (never the drafter) checks it, an approver (never the
drafter; at the drafter's organisation or above) approves it, deciding whether
the debtor is named; it is published, and may be withdrawn with a public note.
A reviewer or approver may return it to the drafter with a reason.

Every service: lock the row, refuse a stale version, check who may act and the
state (the table in `transitions`), validate (a ValidationError naming the
field), change, bump the version, record one audit event. A refusal writes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.permissions import Perm, require_perm
from qingqian.complaints.errors import ComplaintConflict
from qingqian.complaints.models import Complaint
from qingqian.core import audit
from qingqian.publication.models import TypicalCase
from qingqian.publication.typical_cases import masking, selectors, verbs
from qingqian.publication.typical_cases.transitions import TYPICAL_CASE_TRANSITIONS

State = TypicalCase.State
Kind = TypicalCase.Kind

MAX_TITLE = 200
MAX_TEXT = 20_000


class TypicalCaseConflict(ComplaintConflict):
    """The action does not fit the case's current state: a 409."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message or _("This action is not possible in the typical case's current state.")
        )


class TypicalCaseStale(TypicalCaseConflict):
    code = "stale"

    def __init__(self):
        super().__init__(
            _("Someone else changed this typical case meanwhile. Reload and try again.")
        )


# --- drafting -----------------------------------------------------------------------------


@transaction.atomic
def typical_case_draft(
    *, actor, complaint: Complaint, kind: str, title: str, text: str | None = None
) -> TypicalCase:
    """Draft a typical case from a finished complaint the actor may see. Without a
    text, the complaint's own words; either way masked."""
    require_perm(actor, Perm.TYPICAL_CASE_MANAGE)
    found = (
        selectors.closed_complaints(actor=actor)
        .select_related("complainant", "debtor")
        .filter(pk=complaint.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied(
            _("You may draft typical cases only from finished complaints you can see.")
        )
    complaint = found
    source = selectors.source_text(complaint)
    known = selectors.known_about(complaint)
    errors: dict[str, str] = {}
    kind = _kind(kind, errors)
    title = _text(title, "title", _("Give the typical case a title."), errors, MAX_TITLE)
    text = source if text is None or not str(text).strip() else text
    text = _text(text, "text", _("Write the text of the typical case."), errors, MAX_TEXT)
    if errors:
        raise ValidationError(errors)
    case = TypicalCase.objects.create(
        kind=kind,
        complaint=complaint,
        region_code=complaint.province_code,
        source_text=source,
        title=masking.mask(title, known),
        text=masking.mask(text, known),
        drafted_by=actor,
    )
    audit.record(
        actor=actor,
        verb=verbs.TYPICAL_CASE_DRAFT,
        target=case,
        payload={"complaint": complaint.pk, "kind": kind},
    )
    return case


@transaction.atomic
def typical_case_edit(
    *, actor, case: TypicalCase, kind: str, title: str, text: str, version: int | None = None
) -> TypicalCase:
    """The drafter edits the draft; what is saved is masked again."""
    case = _begin(actor, case, "edit", version)
    known = selectors.known_about(case.complaint)
    errors: dict[str, str] = {}
    kind = _kind(kind, errors)
    title = _text(title, "title", _("Give the typical case a title."), errors, MAX_TITLE)
    text = _text(text, "text", _("Write the text of the typical case."), errors, MAX_TEXT)
    if errors:
        raise ValidationError(errors)
    case.kind, case.title, case.text = kind, masking.mask(title, known), masking.mask(text, known)
    return _finish(actor, case, "edit", verbs.TYPICAL_CASE_EDIT)


# --- deciding -----------------------------------------------------------------------------


@transaction.atomic
def typical_case_review(*, actor, case: TypicalCase, version: int | None = None) -> TypicalCase:
    """Another official checks the masking and the text: the case is reviewed."""
    case = _begin(actor, case, "review", version)
    case.reviewed_by, case.reviewed_at, case.return_note = actor, timezone.now(), ""
    return _finish(actor, case, "review", verbs.TYPICAL_CASE_REVIEW)


@transaction.atomic
def typical_case_return(
    *, actor, case: TypicalCase, note: str, version: int | None = None
) -> TypicalCase:
    """A reviewer or approver sends the case back to its drafter, saying why."""
    case = _begin(actor, case, "return", version)
    note = _text(
        note, "note", _("Say why the typical case is returned."), {}, MAX_TEXT, raise_=True
    )
    case.return_note = note
    case.reviewed_by = case.reviewed_at = case.approved_by = case.approved_at = None
    case.name_debtor, case.published_title, case.published_text = False, "", ""
    return _finish(actor, case, "return", verbs.TYPICAL_CASE_RETURN, {"note": note})


@transaction.atomic
def typical_case_approve(
    *, actor, case: TypicalCase, name_debtor: bool, version: int | None = None
) -> TypicalCase:
    """The approving official approves the reviewed text and decides whether the
    debtor is named; what will be published is fixed now."""
    case = _begin(actor, case, "approve", version)
    if not isinstance(name_debtor, bool):
        raise ValidationError({"name_debtor": _("Say whether the debtor is named.")})
    debtor = case.complaint.debtor
    if name_debtor and debtor is None:
        raise ValidationError({"name_debtor": _("The complaint names no debtor.")})
    case.name_debtor = name_debtor
    case.approved_by, case.approved_at = actor, timezone.now()
    debtor_name = debtor.name if name_debtor else ""
    case.published_title = masking.name_debtor(case.title, debtor_name)
    case.published_text = masking.name_debtor(case.text, debtor_name)
    return _finish(actor, case, "approve", verbs.TYPICAL_CASE_APPROVE, {"name_debtor": name_debtor})


@transaction.atomic
def typical_case_publish(*, actor, case: TypicalCase, version: int | None = None) -> TypicalCase:
    """The approved case goes on the public site."""
    case = _begin(actor, case, "publish", version)
    case.published_at = timezone.now()
    return _finish(actor, case, "publish", verbs.TYPICAL_CASE_PUBLISH)


@transaction.atomic
def typical_case_withdraw(
    *, actor, case: TypicalCase, note: str, version: int | None = None
) -> TypicalCase:
    """The case leaves the public site; its page shows the public note instead."""
    case = _begin(actor, case, "withdraw", version)
    note = _text(
        note, "note", _("Write the public note on the withdrawal."), {}, MAX_TEXT, raise_=True
    )
    known = selectors.known_about(case.complaint)
    case.withdrawal_note, case.withdrawn_at = masking.mask(note, known), timezone.now()
    return _finish(actor, case, "withdraw", verbs.TYPICAL_CASE_WITHDRAW, {"note": note})


# --- the machinery ------------------------------------------------------------------------


def _begin(actor, case: TypicalCase, action: str, version: int | None) -> TypicalCase:
    require_perm(actor, Perm.TYPICAL_CASE_MANAGE)
    case = (
        TypicalCase.objects.select_for_update(of=("self",))
        .select_related("complaint__debtor", "complaint__complainant", "drafted_by__organisation")
        .get(pk=case.pk)
    )
    mine = selectors.standings(actor, case)
    if not mine:
        raise PermissionDenied(_("You may not act on typical cases of this region."))
    if version is not None and version != case.version:
        raise TypicalCaseStale()
    if not TYPICAL_CASE_TRANSITIONS.allowed(case.state, action):
        raise TypicalCaseConflict()
    if not TYPICAL_CASE_TRANSITIONS[action].roles & mine:
        if case.drafted_by_id == actor.pk:
            raise PermissionDenied(
                _("You drafted this typical case: another official must decide it.")
            )
        raise PermissionDenied(_("Only the drafter's organisation or a level above may do this."))
    return case


def _finish(actor, case: TypicalCase, action: str, verb: str, payload=None) -> TypicalCase:
    before = case.state
    case.state = TYPICAL_CASE_TRANSITIONS.next_state(case.state, action)
    case.version += 1
    case.save()
    audit.record(
        actor=actor,
        verb=verb,
        target=case,
        payload={"from": before, "to": case.state, **(payload or {})},
    )
    return case


def _kind(kind, errors: dict) -> str:
    if kind not in Kind.values:
        errors["kind"] = _("Choose the kind of typical case.")
        return ""
    return kind


def _text(value, field: str, missing: str, errors: dict, max_length: int, raise_=False) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        errors[field] = missing
    elif len(value) > max_length:
        errors[field] = _("Keep this under %(limit)s characters.") % {"limit": max_length}
    if raise_ and errors:
        raise ValidationError(errors)
    return value
