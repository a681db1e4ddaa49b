"""Audited writes of supervision cases (interviews 约谈, listed supervision 挂牌督办)
and the public notices (通报) drafted from them.

Every service: lock the row, refuse a stale version, check who may act and the
case's state, validate (a ValidationError naming the field), change the state,
bump the version, append a CaseEvent and one audit event, and tell the people
concerned once the transaction has committed. A refusal writes nothing.

Who stands where is `permissions`; what people are told, `notifications`.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, require_perm
from qingqian.complaints.errors import ComplaintConflict
from qingqian.core import audit, figures_version, regions
from qingqian.core.messages import COVERAGE_RULE
from qingqian.core.scoping import scope_for
from qingqian.core.selectors import load_calendar
from qingqian.core.workdays import compute_deadline
from qingqian.parties.coverage import may_name_as_debtor
from qingqian.parties.models import Enterprise
from qingqian.supervision import verbs
from qingqian.supervision.cases.notifications import notify_on_commit, subject_label
from qingqian.supervision.cases.permissions import (
    may_decide_notice,
    may_manage,
    may_report_progress,
    supervised_people,
)
from qingqian.supervision.cases.transitions import CASE_TRANSITIONS, NOTICE_TRANSITIONS
from qingqian.supervision.models import CaseEvent, PublicNotice, SupervisionCase

Kind = SupervisionCase.Kind
Subject = SupervisionCase.Subject
CaseState = SupervisionCase.State

MIN_DUE_WORKING_DAYS = 1
MAX_DUE_WORKING_DAYS = 250
MAX_TITLE = 200
MAX_TEXT = 10_000  # free text fields: long enough for minutes, short enough for a page


class CaseConflict(ComplaintConflict):
    """The action does not fit the case's (or notice's) current state: a 409."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("This action is not possible in the case's current state."))


class CaseStale(CaseConflict):
    code = "stale"

    def __init__(self):
        super().__init__(_("Someone else changed this case meanwhile. Reload and try again."))


def today() -> date:
    return timezone.localdate()


# --- opening -----------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor,
    kind: str,
    subject: str,
    title: str,
    reason: str,
    due_working_days: int,
    region_code: str = "",
    department: Organisation | None = None,
    debtor: Enterprise | None = None,
    interview_on: date | None = None,
    participants: str = "",
    minutes: str = "",
    commitments: str = "",
    listed_items: str = "",
    lift_conditions: str = "",
    on: date | None = None,
) -> SupervisionCase:
    """A supervisor opens an interview or a listed supervision of a jurisdiction,
    a handling department or a debtor within their scope."""
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    if actor is None or actor.organisation_id is None:
        raise PermissionDenied(_("Only a supervisor of an organisation may open a case."))
    on = on or today()
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose an interview or a listed supervision.")
    region_code = _check_subject(actor, subject, region_code, department, debtor, errors)
    title = _text(title, "title", _("Give the case a title."), errors, max_length=MAX_TITLE)
    reason = _text(reason, "reason", _("Say why the case is opened."), errors)
    if (
        isinstance(due_working_days, bool)
        or not isinstance(due_working_days, int)
        or not MIN_DUE_WORKING_DAYS <= due_working_days <= MAX_DUE_WORKING_DAYS
    ):
        errors["due_working_days"] = _("Give a number of working days from 1 to 250.")
    participants = _text(participants, "participants", "", errors, required=False)
    minutes = _text(minutes, "minutes", "", errors, required=False)
    commitments = _text(commitments, "commitments", "", errors, required=False)
    listed_items = _text(listed_items, "listed_items", "", errors, required=False)
    lift_conditions = _text(lift_conditions, "lift_conditions", "", errors, required=False)
    if kind == Kind.INTERVIEW:
        if interview_on is None:
            errors["interview_on"] = _("Give the date of the interview.")
        elif not isinstance(interview_on, date):
            errors["interview_on"] = _("Enter a valid date.")
        if not participants and "participants" not in errors:
            errors["participants"] = _("Name who takes part in the interview.")
    elif kind == Kind.LISTED:
        interview_on = None
        if not listed_items and "listed_items" not in errors:
            errors["listed_items"] = _("List the items under supervision.")
        if not lift_conditions and "lift_conditions" not in errors:
            errors["lift_conditions"] = _("Say on which conditions the listing is lifted.")
    if errors:
        raise ValidationError(errors)
    case = SupervisionCase(
        kind=kind,
        subject=subject,
        region_code=region_code,
        department=department if subject == Subject.DEPARTMENT else None,
        debtor=debtor if subject == Subject.DEBTOR else None,
        title=title,
        reason=reason,
        opened_by=actor,
        opening_organisation=actor.organisation,
        opened_on=on,
        due_working_days=due_working_days,
        interview_on=interview_on,
        participants=participants,
        minutes=minutes,
        commitments=commitments,
        listed_items=listed_items if kind == Kind.LISTED else "",
        lift_conditions=lift_conditions if kind == Kind.LISTED else "",
    )
    _apply_due(case)
    case.save()
    _event(
        case,
        actor,
        "opened",
        reason,
        verb=verbs.CASE_OPEN,
        payload={
            "kind": kind,
            "subject": subject,
            "region_code": region_code,
            "department": case.department_id,
            "debtor": case.debtor_id,
            "due_on": case.due_on,
            "due_provisional": case.due_provisional,
        },
    )
    notify_on_commit(case, "opened", lambda: list(supervised_people(case)), actor)
    return case


def _check_subject(actor, subject, region_code, department, debtor, errors) -> str:
    """The subject exists and lies within the actor's scope; returns the case's region."""
    scope = scope_for(actor)
    if subject == Subject.REGION:
        code = region_code.strip() if isinstance(region_code, str) else ""
        region = regions.lookup(code) if regions.is_code_shaped(code) else None
        if region is None or region.level not in ("province", "prefecture"):
            errors["region_code"] = _(
                "Enter the 6-digit code of a province (pp0000) or a city (pppp00)."
            )
        elif not scope.covers_region(code):
            errors["region_code"] = _("This region is outside your jurisdiction.")
        return code
    if subject == Subject.DEPARTMENT:
        if not isinstance(department, Organisation):
            errors["department"] = _("Choose the handling department.")
        elif department.kind != Organisation.Kind.HANDLING_DEPARTMENT:
            errors["department"] = _("Choose a handling department.")
        elif not scope.covers_region(department.region_code):
            errors["department"] = _("This department is outside your jurisdiction.")
        else:
            return department.region_code
        return ""
    if subject == Subject.DEBTOR:
        if not isinstance(debtor, Enterprise):
            errors["debtor"] = _("Choose the debtor.")
        elif not may_name_as_debtor(debtor, timezone.localdate()):
            errors["debtor"] = str(COVERAGE_RULE)
        elif not scope.covers_region(debtor.region_code):
            errors["debtor"] = _("This debtor is outside your jurisdiction.")
        else:
            return debtor.region_code
        return ""
    errors["subject"] = _("Choose a jurisdiction, a handling department or a debtor.")
    return ""


def _apply_due(case: SupervisionCase) -> None:
    """`due_working_days` working days after opening, from the working-day calendar
    (provisional where a year's schedule is not entered yet)."""
    result = compute_deadline(
        load_calendar(),
        case.opened_on,
        working_days=case.due_working_days,
        allow_provisional=True,
    )
    case.due_on, case.due_rule, case.due_provisional = result.date, result.rule, result.provisional


# --- actions on an open case -------------------------------------------------------------


@transaction.atomic
def case_record_progress(
    *, actor, case: SupervisionCase, text: str, version: int | None = None
) -> SupervisionCase:
    """The supervised organisation reports what it did."""
    case = _begin(case, version)
    if not may_report_progress(actor, case):
        raise PermissionDenied(_("Only the supervised organisation reports progress."))
    _require_edge(case, "progress")
    text = _required_text(text, "text", _("Describe the progress made."))
    case.version += 1
    case.save(update_fields=["version"])
    _event(case, actor, "progress", text, verb=verbs.CASE_PROGRESS)
    notify_on_commit(case, "progress", lambda: [case.opened_by], actor)
    return case


@transaction.atomic
def case_record_interview(
    *,
    actor,
    case: SupervisionCase,
    interview_on: date,
    participants: str,
    minutes: str,
    commitments: str = "",
    version: int | None = None,
) -> SupervisionCase:
    """A managing supervisor records the interview held: date, who, minutes, commitments."""
    case = _begin(case, version)
    _require_manager(actor, case)
    if case.kind != Kind.INTERVIEW:
        raise CaseConflict(_("Only an interview case has an interview to record."))
    _require_edge(case, "interview")
    errors: dict[str, str] = {}
    if not isinstance(interview_on, date):
        errors["interview_on"] = _("Give the date of the interview.")
    participants = _text(
        participants, "participants", _("Name who took part in the interview."), errors
    )
    minutes = _text(minutes, "minutes", _("Record the minutes of the interview."), errors)
    commitments = _text(commitments, "commitments", "", errors, required=False)
    if errors:
        raise ValidationError(errors)
    case.interview_on, case.participants = interview_on, participants
    case.minutes, case.commitments = minutes, commitments
    case.version += 1
    case.save()
    _event(
        case,
        actor,
        "interview",
        minutes,
        verb=verbs.CASE_INTERVIEW,
        payload={"interview_on": interview_on, "commitments": bool(commitments)},
    )
    notify_on_commit(case, "interview", lambda: list(supervised_people(case)), actor)
    return case


@transaction.atomic
def case_lift(
    *,
    actor,
    case: SupervisionCase,
    note: str,
    version: int | None = None,
    on: date | None = None,
) -> SupervisionCase:
    """Listed supervision: lifted (摘牌); interview: concluded (commitments met)."""
    case = _begin(case, version)
    _require_manager(actor, case)
    action = "lift" if case.kind == Kind.LISTED else "conclude"
    _require_edge(case, action)
    note = _required_text(note, "note", _("Say why the case can be closed."))
    case.state = CASE_TRANSITIONS.next_state(case.state, action)
    case.closed_on = on or today()
    case.version += 1
    case.save()
    _event(
        case,
        actor,
        case.state,
        note,
        verb=verbs.CASE_LIFT,
        payload={
            "to": case.state,
            "closed_on": case.closed_on,
            "met": case.closed_on <= case.due_on,
        },
    )
    notify_on_commit(case, case.state, lambda: list(supervised_people(case)), actor)
    return case


# --- public notices -------------------------------------------------------------------------


@transaction.atomic
def notice_draft(*, actor, case: SupervisionCase, title: str, text: str) -> PublicNotice:
    """A managing supervisor drafts a notice (通报) citing the case's facts as of now."""
    case = _begin(case, None)
    _require_manager(actor, case)
    errors: dict[str, str] = {}
    title = _text(title, "title", _("Give the notice a title."), errors, max_length=MAX_TITLE)
    text = _text(text, "text", _("Write the text of the notice."), errors)
    if errors:
        raise ValidationError(errors)
    notice = PublicNotice.objects.create(
        case=case, title=title, text=text, figures=case_figures(case), drafted_by=actor
    )
    CaseEvent.objects.create(case=case, actor=actor, action="notice-drafted", text=title)
    audit.record(
        actor=actor,
        verb=verbs.NOTICE_DRAFT,
        target=notice,
        payload={"case": case.pk, "figures": notice.figures},
    )
    return notice


@transaction.atomic
def notice_decide(*, actor, notice: PublicNotice, approve: bool, note: str = "") -> PublicNotice:
    """Four eyes: another managing supervisor, at the drafter's level or above, approves
    or rejects (with a reason) a pending notice."""
    notice = (
        PublicNotice.objects.select_for_update(of=("self",))
        .select_related("case__opening_organisation", "drafted_by__organisation")
        .get(pk=notice.pk)
    )
    if not may_manage(actor, notice.case):
        raise PermissionDenied(_("You may not decide notices of this case."))
    if notice.drafted_by_id == actor.pk:
        raise PermissionDenied(_("You drafted this notice: another supervisor must decide it."))
    if not may_decide_notice(actor, notice):
        raise PermissionDenied(_("Only the drafter's organisation or a level above may decide."))
    if not NOTICE_TRANSITIONS.actions_from(notice.state):
        raise CaseConflict(_("This notice has already been decided."))
    if not isinstance(approve, bool):
        raise ValidationError({"approve": _("Say whether the notice is approved.")})
    note = note.strip() if isinstance(note, str) else ""
    if not approve and not note:
        raise ValidationError({"note": _("Say why the notice is rejected.")})
    if len(note) > MAX_TEXT:
        raise ValidationError({"note": _too_long(MAX_TEXT)})
    notice.state = NOTICE_TRANSITIONS.next_state(notice.state, "approve" if approve else "reject")
    notice.decided_by, notice.decided_at, notice.decision_note = actor, timezone.now(), note
    notice.save()
    if approve:
        figures_version.bump()  # published: the public notice pages change
    CaseEvent.objects.create(
        case=notice.case, actor=actor, action=f"notice-{notice.state}", text=notice.title
    )
    audit.record(
        actor=actor,
        verb=verbs.NOTICE_DECIDE,
        target=notice,
        payload={"case": notice.case_id, "to": notice.state},
    )
    return notice


def case_figures(case: SupervisionCase) -> dict:
    """The facts a notice cites, frozen when it is drafted."""
    figures = {
        "subject": subject_label(case),
        "region_code": case.region_code,
        "opened_on": case.opened_on.isoformat(),
        "due_on": case.due_on.isoformat(),
        "state": case.state,
        "progress_updates": case.events.filter(action="progress").count(),
    }
    try:
        from qingqian.supervision.dashboard.selectors import subject_figures
    except ImportError:  # the dashboard is not there yet
        return figures
    extra = subject_figures(case) or {}
    return {**audit.json_safe(dict(extra)), **figures}


# --- the calendar changed ---------------------------------------------------------------------


@transaction.atomic
def recompute_open_cases(changed_years) -> int:
    """After a calendar change (a hook of core's calendar services): move the due
    date of every open case whose dates touch a changed year, or that was
    provisional. Returns how many moved."""
    changed_years = set(changed_years)
    moved = 0
    for case in SupervisionCase.objects.select_for_update().filter(state=CaseState.OPEN):
        years = set(range(case.opened_on.year, case.due_on.year + 2))
        if not case.due_provisional and not years & changed_years:
            continue
        before = (case.due_on, case.due_provisional)
        _apply_due(case)
        if (case.due_on, case.due_provisional) != before:
            case.version += 1
            case.save(update_fields=["due_on", "due_rule", "due_provisional", "version"])
            moved += 1
    return moved


# --- the machinery ------------------------------------------------------------------------------


def _begin(case: SupervisionCase, version: int | None) -> SupervisionCase:
    # Lock the case row only (PostgreSQL refuses FOR UPDATE on outer joins).
    case = (
        SupervisionCase.objects.select_for_update(of=("self",))
        .select_related("opening_organisation", "department", "debtor", "opened_by")
        .get(pk=case.pk)
    )
    if version is not None and version != case.version:
        raise CaseStale()
    return case


def _require_manager(actor, case: SupervisionCase) -> None:
    if not may_manage(actor, case):
        raise PermissionDenied(
            _("Only supervisors of the opening organisation or a level above may do this.")
        )


def _require_edge(case: SupervisionCase, action: str) -> None:
    if not CASE_TRANSITIONS.allowed(case.state, action):
        raise CaseConflict(_("This case is closed."))


def _too_long(limit: int) -> str:
    return _("Keep this under %(limit)s characters.") % {"limit": limit}


def _text(value, field, message, errors, *, required=True, max_length=MAX_TEXT) -> str:
    """Stripped text; a missing required value or an overlong one is noted in `errors`."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = _("Enter text.")
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = message
    elif len(value) > max_length:
        errors[field] = _too_long(max_length)
    return value


def _required_text(value, field: str, message: str) -> str:
    errors: dict[str, str] = {}
    value = _text(value, field, message, errors)
    if errors:
        raise ValidationError(errors)
    return value


def _event(case, actor, action: str, text: str, *, verb: str, payload=None) -> CaseEvent:
    event = CaseEvent.objects.create(case=case, actor=actor, action=action, text=text)
    audit.record(
        actor=actor,
        verb=verb,
        target=case,
        payload={
            "event": event.pk,
            "state": case.state,
            "version": case.version,
            **(payload or {}),
        },
    )
    return event
