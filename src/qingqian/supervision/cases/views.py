"""HTML pages of supervision cases and public notices: the list with exports, the
form to open a case (prefillable from the query string), a case with its
deadline, history and the forms of whoever may act, and a notice with its
approval.

Reads go through `selectors` (out of scope is a 404), writes through
`services`; nothing else writes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.accounts.selectors import organisation_list
from qingqian.core.forms import apply_validation_error
from qingqian.core.messages import deadline_rule_label
from qingqian.core.region_selectors import region_name
from qingqian.core.replica import reads_from_replica
from qingqian.core.spreadsheets import download
from qingqian.parties.selectors import enterprise_list
from qingqian.supervision.cases import forms, selectors, services
from qingqian.supervision.cases.filters import CaseFilter
from qingqian.supervision.cases.notifications import subject_label
from qingqian.supervision.models import PublicNotice, SupervisionCase

ACTION_FORMS = {
    "progress": forms.ProgressForm,
    "interview": forms.InterviewForm,
    "lift": forms.LiftForm,
    "notice": forms.NoticeForm,
}
ACTION_LABELS = {
    "progress": gettext_lazy("Report progress"),
    "interview": gettext_lazy("Record the interview"),
    "lift": gettext_lazy("Lift / conclude the case"),
    "notice": gettext_lazy("Draft a public notice"),
}


def may_open(actor) -> bool:
    return has_perm(actor, Perm.SUPERVISION_MANAGE) and actor.organisation_id is not None


# --- list and export ---------------------------------------------------------------------


def _filtered(request) -> tuple[CaseFilter, QuerySet[SupervisionCase]]:
    """The list as filtered; the whole list while the filters are invalid (their
    errors show on the form)."""
    filterset = CaseFilter(request.GET or None, queryset=selectors.case_list(actor=request.user))
    return filterset, filterset.qs if filterset.is_valid() else filterset.queryset


@login_required
def case_list(request):
    filterset, cases = _filtered(request)
    query = request.GET.urlencode()
    return render(
        request,
        "supervision/case_list.html",
        {
            "form": filterset.form,
            "cases": cases[:500],
            "total": cases.count(),
            "may_open": may_open(request.user),
            "query": query,
            "today": timezone.localdate(),
        },
    )


EXPORT_HEADER = [
    "编号 / id",
    "类型 / kind",
    "对象 / subject",
    "对象名称 / subject name",
    "区划代码 / region code",
    "标题 / title",
    "状态 / state",
    "立案日期 / opened on",
    "办理期限 / due on",
    "期限暂定 / provisional",
    "结案日期 / closed on",
    "立案单位 / opening organisation",
]
EXPORT_KINDS = ["text"] * 7 + ["date", "date", "text", "date", "text"]


def export_rows(cases):
    for case in cases.iterator(chunk_size=500):
        yield [
            str(case.pk),
            case.get_kind_display(),
            case.get_subject_display(),
            subject_label(case),
            case.region_code,
            case.title,
            case.get_state_display(),
            case.opened_on,
            case.due_on,
            _("yes") if case.due_provisional else _("no"),
            case.closed_on,
            case.opening_organisation.name,
        ]


@login_required
@reads_from_replica
def case_export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _filterset, cases = _filtered(request)
    return download("supervision-cases", EXPORT_HEADER, export_rows(cases), EXPORT_KINDS, fmt)


# --- opening ---------------------------------------------------------------------------------


def _departments(actor):
    return organisation_list(actor=actor).filter(kind=Organisation.Kind.HANDLING_DEPARTMENT)


@login_required
def case_new(request):
    if not may_open(request.user):
        raise PermissionDenied
    departments = _departments(request.user)
    if request.method == "POST":
        form = forms.CaseOpenForm(request.POST, departments=departments)
    else:
        initial = {
            name: request.GET[name][:500] for name in forms.PREFILL_FIELDS if name in request.GET
        }
        form = forms.CaseOpenForm(initial=initial or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            case = _open(request.user, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The supervision case is opened."))
            return redirect("supervision:case", pk=case.pk)
    status = 400 if form.is_bound else 200
    return render(request, "supervision/case_form.html", {"form": form}, status=status)


def _open(actor, data: dict) -> SupervisionCase:
    debtor = None
    code = (data.get("debtor") or "").strip().upper()
    if data["subject"] == SupervisionCase.Subject.DEBTOR:
        debtor = enterprise_list(actor=actor).filter(uscc=code).first() if code else None
        if debtor is None:
            message = (
                _("No enterprise with this code in your jurisdiction.")
                if code
                else _("Enter the debtor's unified social credit code.")
            )
            raise ValidationError({"debtor": message})
    return services.case_open(
        actor=actor,
        kind=data["kind"],
        subject=data["subject"],
        region_code=data["region_code"],
        department=data["department"],
        debtor=debtor,
        title=data["title"],
        reason=data["reason"],
        due_working_days=data["due_working_days"],
        interview_on=data["interview_on"],
        participants=data["participants"],
        minutes=data["minutes"],
        commitments=data["commitments"],
        listed_items=data["listed_items"],
        lift_conditions=data["lift_conditions"],
    )


# --- one case --------------------------------------------------------------------------------


@login_required
def case_detail(request, pk):
    case = selectors.case_get(actor=request.user, pk=pk)
    return render(request, "supervision/case_detail.html", _case_context(request, case))


def _allowed(actor, case: SupervisionCase) -> dict[str, bool]:
    is_open = case.state == SupervisionCase.State.OPEN
    manager = selectors.may_manage(actor, case)
    return {
        "progress": is_open and selectors.may_report_progress(actor, case),
        "interview": is_open and manager and case.kind == SupervisionCase.Kind.INTERVIEW,
        "lift": is_open and manager,
        "notice": manager,
    }


def _case_context(request, case: SupervisionCase, bound: dict | None = None) -> dict:
    bound = bound or {}
    actor = request.user
    allowed = _allowed(actor, case)
    action_forms = {}
    for name, ok in allowed.items():
        if not ok:
            continue
        form = bound.get(name)
        if form is None:
            initial = {"version": case.version}
            if name == "interview":
                initial.update(
                    interview_on=case.interview_on,
                    participants=case.participants,
                    minutes=case.minutes,
                    commitments=case.commitments,
                )
            form = ACTION_FORMS[name](initial=initial, auto_id=f"{name}_%s")
        action_forms[name] = form
    notices = selectors.notice_list(actor=actor, case=case)
    return {
        "case": case,
        "subject_name": subject_label(case),
        "region_name": region_name(case.region_code) or case.region_code,
        "deadline": selectors.deadline_status(case, timezone.localdate()),
        "due_rule": deadline_rule_label(
            case.opened_on, case.due_on, working_days=case.due_working_days
        ),
        "events": selectors.case_events(actor=actor, case=case),
        "notices": notices,
        "shows_notices": selectors.shows_notices(actor),
        "action_forms": action_forms,
        "labels": ACTION_LABELS,
        "open_action": next(iter(bound), ""),
        "may_manage": selectors.may_manage(actor, case),
    }


@require_POST
@login_required
def case_act(request, pk, action):
    case = selectors.case_get(actor=request.user, pk=pk)
    if action not in ACTION_FORMS:
        raise Http404
    if not _allowed(request.user, case)[action]:
        if case.state != SupervisionCase.State.OPEN:
            messages.error(request, _("This case is closed."))
            return redirect("supervision:case", pk=case.pk)
        raise PermissionDenied
    form = ACTION_FORMS[action](request.POST, auto_id=f"{action}_%s")
    if form.is_valid():
        try:
            notice = _run_action(request.user, case, action, dict(form.cleaned_data))
        except services.CaseConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("supervision:case", pk=case.pk)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
            if notice is not None:
                return redirect("supervision:notice", pk=notice.pk)
            return redirect("supervision:case", pk=case.pk)
    case.refresh_from_db()
    context = _case_context(request, case, bound={action: form})
    return render(request, "supervision/case_detail.html", context, status=400)


def _run_action(actor, case: SupervisionCase, action: str, data: dict) -> PublicNotice | None:
    if action == "notice":
        return services.notice_draft(actor=actor, case=case, **data)
    version = data.pop("version", None)
    if action == "progress":
        services.case_record_progress(actor=actor, case=case, version=version, **data)
    elif action == "interview":
        services.case_record_interview(actor=actor, case=case, version=version, **data)
    elif action == "lift":
        services.case_lift(actor=actor, case=case, version=version, **data)
    return None


# --- notices ---------------------------------------------------------------------------------


@login_required
def notice_detail(request, pk):
    notice = selectors.notice_get(actor=request.user, pk=pk)
    return render(request, "supervision/notice_detail.html", _notice_context(request, notice))


def _notice_context(request, notice: PublicNotice, form=None) -> dict:
    may_decide = notice.state == PublicNotice.State.PENDING and selectors.may_decide_notice(
        request.user, notice
    )
    if may_decide and form is None:
        form = forms.NoticeDecideForm(auto_id="decide_%s")
    return {
        "notice": notice,
        "case": notice.case,
        "figures": sorted(notice.figures.items()) if isinstance(notice.figures, dict) else [],
        "form": form if may_decide else None,
        "own_draft": notice.drafted_by_id == request.user.pk,
    }


@require_POST
@login_required
def notice_decide(request, pk):
    notice = selectors.notice_get(actor=request.user, pk=pk)
    form = forms.NoticeDecideForm(request.POST, auto_id="decide_%s")
    if form.is_valid():
        try:
            services.notice_decide(
                actor=request.user,
                notice=notice,
                approve=form.cleaned_data["decision"] == PublicNotice.State.APPROVED,
                note=form.cleaned_data["note"],
            )
        except services.CaseConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("supervision:notice", pk=notice.pk)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The decision on the notice is recorded."))
            return redirect("supervision:notice", pk=notice.pk)
    notice.refresh_from_db()
    if notice.state != PublicNotice.State.PENDING or not selectors.may_decide_notice(
        request.user, notice
    ):
        raise PermissionDenied
    context = _notice_context(request, notice, form)
    return render(request, "supervision/notice_detail.html", context, status=400)
