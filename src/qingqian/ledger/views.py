"""HTML pages of the ledger: the list with totals and exports, an item with its
payments, plans and legal route, per-party pages, and imports with progress.

Reads go through `selectors` (out of scope is a 404), writes through `services`
and `imports`; nothing else writes.
"""

from __future__ import annotations

import tempfile
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.accounts.selectors import organisation_subtree
from qingqian.core import downloads
from qingqian.core.downloads import file_response
from qingqian.core.evidence_files import evidence_response
from qingqian.core.forms import apply_validation_error
from qingqian.core.messages import interest_basis_label, yuan
from qingqian.core.queue import enqueue_with_change
from qingqian.core.replica import from_replica
from qingqian.ledger import exports, forms, imports, linked, selectors, services
from qingqian.ledger.figures import LedgerFigures
from qingqian.ledger.filters import LedgerItemFilter
from qingqian.ledger.models import LedgerImport, LedgerItem
from qingqian.ledger.tasks import ledger_import_task
from qingqian.ledger.writers import error_report_csv, template_csv, template_xlsx
from qingqian.parties import selectors as party_selectors

# --- list, totals, exports ---------------------------------------------------------


@login_required
def ledger_list(request):
    filterset = LedgerItemFilter(request.GET or None)
    filters = filterset.ledger_filter()
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        items = selectors.ledger_items(actor=request.user, filters=filters)
        return from_replica(lambda: exports.ledger_export(items, export))
    after = _int_or_none(request.GET.get("after"))
    page, next_after = selectors.ledger_page(actor=request.user, filters=filters, after_id=after)
    return render(
        request,
        "ledger/ledger_list.html",
        {
            "form": filterset.form,
            "page": page,
            "next_after": next_after,
            "first_page": after is None,
            "totals": _totals_view(selectors.ledger_totals(actor=request.user, filters=filters)),
            "may_keep": has_perm(request.user, Perm.LEDGER_KEEP),
            "query": _query_without(request, "after", "format"),
        },
    )


def _totals_view(totals: selectors.Totals) -> dict:
    return {
        "items": totals.items,
        "owed": yuan(totals.owed_fen),
        "paid": yuan(totals.paid_fen),
        "written_off": yuan(totals.written_off_fen),
        "outstanding": yuan(totals.outstanding_fen),
        "disputed": yuan(totals.disputed_fen),
        "undisputed_outstanding": yuan(totals.undisputed_outstanding_fen),
        "legal_route": yuan(totals.legal_route_fen),
    }


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _int_or_none(text) -> int | None:
    return int(text) if text and text.isdigit() and len(text) <= 18 else None


# --- one item ----------------------------------------------------------------------


ACTIONS = {
    "payment": forms.PaymentForm,
    "reverse": forms.ReverseForm,
    "confirm": forms.ConfirmForm,
    "plan": forms.PlanForm,
    "legal-open": forms.LegalOpenForm,
    "legal-decide": forms.LegalDecideForm,
}
ACTION_LABELS = {
    "payment": gettext_lazy("Record a payment"),
    "reverse": gettext_lazy("Reverse the payment"),
    "confirm": gettext_lazy("Confirm or dispute"),
    "plan": gettext_lazy("Agree a repayment plan"),
    "legal-open": gettext_lazy("Record a legal proceeding"),
    "legal-decide": gettext_lazy("Record the outcome"),
}


@login_required
def ledger_item_detail(request, pk):
    item = selectors.ledger_item_get(actor=request.user, pk=pk)
    return render(request, "ledger/ledger_item.html", _item_context(request, item))


def _item_context(request, item: LedgerItem, bound: dict | None = None) -> dict:
    bound = bound or {}
    user = request.user
    keeper = services.may_keep(user, item.region_code)
    answerer = services.may_answer(user, item)
    allowed = {
        "payment": answerer,
        "confirm": answerer,
        "plan": answerer,
        "legal-open": keeper,
        "reverse": keeper,
        "legal-decide": keeper,
    }
    action_forms = {
        name: bound.get(name) or ACTIONS[name](prefix=name)
        for name, ok in allowed.items()
        if ok and name not in ("reverse", "legal-decide")
    }
    return {
        "item": item,
        "figures": _totals_view(LedgerFigures.of_row(item)),
        "interest": _interest(item, request.GET.get("as_of")),
        "payments": selectors.item_payments(item),
        "confirmations": item.confirmations.select_related(
            "actor__organisation", "actor__enterprise"
        ),
        "plans": item.plans.prefetch_related("instalments"),
        "proceedings": item.proceedings.all(),
        "evidence_files": item.evidence.all(),
        "action_forms": action_forms,
        "labels": ACTION_LABELS,
        "may_reverse": allowed["reverse"],
        "may_decide": allowed["legal-decide"],
        "decide_outcomes": forms.LegalDecideForm.base_fields["outcome"].choices,
        "open_action": bound and next(iter(bound)),
        **linked.about_item(actor=user, item=item),
    }


def _interest(item: LedgerItem, as_of_text: str | None) -> dict:
    try:
        as_of = _date_or_today(as_of_text)
    except (ValueError, OverflowError) as error:
        return {"error": str(error)}
    view = selectors.item_interest_view(item, as_of=as_of)
    if view.error:
        return {"error": view.error}
    return {
        "as_of": as_of,
        "total": yuan(view.result.total_fen),
        "basis": interest_basis_label(view.result.basis, item.contract_signed_on),
        "warnings": view.warnings,
        "days": sum(period.days for period in view.result.periods),
    }


def _date_or_today(text):
    return date.fromisoformat(text) if text else timezone.localdate()


@require_POST
@login_required
def ledger_item_act(request, pk, action):
    item = selectors.ledger_item_get(actor=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    # Reversal and decision forms sit beside each payment and proceeding, unprefixed.
    prefix = None if action in ("reverse", "legal-decide") else action
    form = ACTIONS[action](request.POST, request.FILES, prefix=prefix)
    if form.is_valid():
        try:
            _run_action(request.user, item, action, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
            return redirect("ledger:item", pk=item.pk)
    item.refresh_from_db()
    context = _item_context(request, item, bound={action: form})
    return render(request, "ledger/ledger_item.html", context, status=400)


@transaction.atomic
def _run_action(actor, item: LedgerItem, action: str, data: dict) -> None:
    """The action and its evidence file together: a refused file undoes the action."""
    upload = data.pop("evidence", None)
    attached = {}
    if action == "payment":
        evidence = (upload.name, upload.read()) if upload is not None else None
        services.payment_record(actor=actor, item=item, evidence=evidence, **data)
        return
    if action == "confirm":
        attached["confirmation"] = services.ledger_confirm(actor=actor, item=item, **data)
    elif action == "plan":
        services.plan_create(actor=actor, item=item, instalments=data["instalments"])
    elif action == "legal-open":
        services.legal_route_open(actor=actor, item=item, **data)
    elif action == "reverse":
        payment = get_object_or_404(item.payments, pk=data["payment"])
        services.payment_reverse(actor=actor, payment=payment, reason=data["reason"])
    elif action == "legal-decide":
        proceeding = get_object_or_404(item.proceedings, pk=data["proceeding"])
        data = {k: v for k, v in data.items() if k != "proceeding"}
        services.legal_route_decide(actor=actor, proceeding=proceeding, **data)
    if upload is not None:
        services.ledger_evidence_add(
            actor=actor, item=item, name=upload.name, data=upload.read(), **attached
        )


@login_required
def ledger_item_new(request):
    if not has_perm(request.user, Perm.LEDGER_KEEP) or request.user.organisation is None:
        raise PermissionDenied
    form = forms.LedgerItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = _create_item(request.user, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, _debtor_on_its_field(error))
        else:
            messages.success(request, _("The ledger item is recorded."))
            return redirect("ledger:item", pk=item.pk)
    status = 400 if form.is_bound else 200
    return render(request, "ledger/ledger_item_form.html", {"form": form}, status=status)


def _debtor_on_its_field(error: ValidationError) -> ValidationError:
    """The service's "debtor" is the form's credit code field."""
    if not hasattr(error, "error_dict"):
        return error
    fields = error.message_dict
    if "debtor" in fields:
        fields["debtor_uscc"] = fields.pop("debtor")
    return ValidationError(fields)


@transaction.atomic
def _create_item(actor, data: dict) -> LedgerItem:
    debtor = {
        "uscc": data["debtor_uscc"],
        "name": data["debtor_name"],
        "type": data["debtor_type"],
        "region_code": data["region_code"],
    }
    creditor = (
        party_selectors.enterprise_list(actor=actor)
        .filter(uscc=data["creditor_uscc"].strip().upper())
        .first()
    )
    if creditor is None:
        raise ValidationError(
            {"creditor_uscc": _("No enterprise with this code is registered: register it first.")}
        )
    return services.ledger_item_create(
        actor=actor,
        owner=actor.organisation,
        debtor=debtor,
        creditor=creditor,
        contract_number=data["contract_number"],
        contract_signed_on=data["contract_signed_on"],
        due_on=data["due_on"],
        owed_fen=data["owed"],
        paid_fen=data["paid"] or 0,
        disputed_fen=data["disputed"] or 0,
        subject=data["subject"],
        agreed_rate_percent=data["agreed_rate_percent"],
        sme_notified_at_signing=data["sme_notified_at_signing"],
        notes=data["notes"],
    )


@login_required
def ledger_evidence(request, pk, eid):
    """An evidence file, only for those who may open the item."""
    item = selectors.ledger_item_get(actor=request.user, pk=pk)
    return evidence_response(get_object_or_404(item.evidence, pk=eid))


# --- per party ---------------------------------------------------------------------


@login_required
def ledger_party(request, enterprise_id):
    """Everything the ledger holds for one enterprise, as debtor and as creditor."""
    enterprise = party_selectors.enterprise_get(actor=request.user, pk=enterprise_id)
    sides = []
    for side, filters in (
        ("debtor", selectors.LedgerFilter(debtor_id=enterprise.pk)),
        ("creditor", selectors.LedgerFilter(creditor_id=enterprise.pk)),
    ):
        totals = selectors.ledger_totals(actor=request.user, filters=filters)
        if totals.items:
            page, next_after = selectors.ledger_page(actor=request.user, filters=filters)
            sides.append(
                {
                    "side": side,
                    "totals": _totals_view(totals),
                    "items": page,
                    "more": next_after is not None,
                    "list_query": f"{side}={enterprise.pk}",
                }
            )
    return render(
        request,
        "ledger/ledger_party.html",
        {
            "enterprise": enterprise,
            "sides": sides,
            "plans": selectors.party_plans(actor=request.user, enterprise=enterprise),
            **linked.about_party(actor=request.user, enterprise=enterprise),
        },
    )


# --- imports -----------------------------------------------------------------------


def _import_owners(actor):
    if actor.organisation is None:
        return Organisation.objects.none()
    return organisation_subtree(actor.organisation)


@login_required
def ledger_imports(request):
    if not has_perm(request.user, Perm.LEDGER_KEEP):
        raise PermissionDenied
    form = forms.ImportForm(
        request.POST or None, request.FILES or None, owners=_import_owners(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = _upload(request.user, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("ledger:import", pk=record.pk)
    return render(
        request,
        "ledger/ledger_imports.html",
        {"form": form, "imports": selectors.ledger_imports(actor=request.user)[:50]},
        status=400 if form.is_bound and form.errors else 200,
    )


@transaction.atomic
def _upload(actor, data) -> LedgerImport:
    upload = data["file"]
    record = imports.ledger_import_upload(
        actor=actor, owner=data["owner"], fileobj=upload, original_name=upload.name
    )
    enqueue_with_change(ledger_import_task, record.pk)
    return record


@login_required
def ledger_import_detail(request, pk):
    record = selectors.ledger_import_get(actor=request.user, pk=pk)
    return render(
        request,
        "ledger/ledger_import.html",
        {
            "record": record,
            "progress": imports.read_progress(record),
            "errors": record.errors.all()[:200],
            "running": record.state in (LedgerImport.State.QUEUED, LedgerImport.State.RUNNING),
        },
    )


@login_required
def ledger_import_progress(request, pk):
    record = selectors.ledger_import_get(actor=request.user, pk=pk)
    progress = imports.read_progress(record)
    return JsonResponse(
        {"state": record.state, "state_label": record.get_state_display(), **progress}
    )


@login_required
def ledger_import_errors(request, pk):
    record = selectors.ledger_import_get(actor=request.user, pk=pk)
    return file_response(
        error_report_csv(record.errors.all().iterator(chunk_size=2000)),
        filename=f"import-{record.pk}-errors.csv",
        content_type=downloads.CSV,
    )


@login_required
def ledger_template(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        return file_response(
            template_csv(), filename="ledger-template.csv", content_type=downloads.CSV
        )
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    template_xlsx(spool)
    spool.seek(0)
    return file_response(spool, filename="ledger-template.xlsx", content_type=downloads.XLSX)
