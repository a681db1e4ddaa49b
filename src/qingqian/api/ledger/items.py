"""Ledger items: the keyset-paged list with its totals, entering an item, its
detail with overdue interest, corrections, and the debtor's confirmation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.api.common import refuse_unknown_fields, renames_of, run_service
from qingqian.api.complaints.serializers import YuanField
from qingqian.api.ledger.filters import LedgerFilterParameters, LedgerPageInput, read_filters
from qingqian.api.ledger.item_output import (
    LedgerItemOutput,
    LedgerItemSummary,
    after_action,
    detail,
)
from qingqian.api.ledger.shared import (
    TAGS,
    ItemActionView,
    act,
    enterprise_id,
    errors,
    keeping_organisation,
    owner_id,
    rate_field,
    text,
)
from qingqian.api.ledger.totals import TotalsOutput
from qingqian.api.serializers import DebtorField, Serializer, read_query
from qingqian.ledger import selectors, services
from qingqian.parties.selectors import enterprise_list
from qingqian.parties.vocabulary import Notified, Subject

# --- shapes -----------------------------------------------------------------------


class AsOfInput(Serializer):
    as_of = serializers.DateField(
        required=False, help_text="Overdue interest up to this day (default: today)."
    )


class LedgerItemCreateInput(Serializer):
    debtor = DebtorField(
        help_text="The debtor: the id of an enterprise you can see, or its particulars "
        "(the enterprise with that credit code, or a new record of it)."
    )
    creditor = enterprise_id("The creditor SME's id (one you can see).")
    owner = owner_id()
    contract_number = text(max_length=100)
    contract_signed_on = serializers.DateField()
    subject = serializers.ChoiceField(Subject.choices, required=False, allow_blank=True)
    due_on = serializers.DateField()
    amount_owed = YuanField(source="owed_fen")
    amount_paid = YuanField(source="paid_fen", required=False, help_text="Paid before entry.")
    disputed_amount = YuanField(source="disputed_fen", required=False)
    sme_notified_at_signing = serializers.ChoiceField(Notified.choices, required=False)
    agreed_rate_percent = rate_field(required=False)
    notes = text(required=False, max_length=500)


class LedgerItemUpdateInput(Serializer):
    due_on = serializers.DateField(required=False)
    amount_owed = YuanField(source="owed_fen", required=False)
    subject = serializers.ChoiceField(Subject.choices, required=False, allow_blank=True)
    agreed_rate_percent = rate_field(required=False)
    notes = text(required=False, max_length=500)


class ConfirmInput(Serializer):
    disputed_amount = YuanField(
        source="disputed_fen",
        required=False,
        default=0,
        help_text="0 (the default) confirms the outstanding amount in full.",
    )
    note = text(required=False, max_length=1000)


class LedgerPage(Serializer):
    results = LedgerItemSummary(many=True)
    next_after = serializers.IntegerField(
        allow_null=True, help_text="Pass as `after` for the next page; null on the last page."
    )
    totals = TotalsOutput(help_text="Of every item the filters select, not only this page.")


def resolve_references(actor, fields: dict) -> dict:
    """Ids → records, each among those this person may see (no probing of others);
    every unknown id is named at once."""
    problems = {}
    try:
        fields["owner"] = keeping_organisation(actor, fields.pop("owner", None))
    except exceptions.ValidationError as error:
        problems.update(error.detail)
    visible = enterprise_list(actor=actor)
    for name in ("debtor", "creditor"):
        if isinstance(fields[name], dict):
            continue  # a debtor's particulars: the service finds or registers it
        fields[name] = visible.filter(pk=fields[name]).first()
        if fields[name] is None:
            problems[name] = [_("No enterprise with this id in your scope.")]
    if problems:
        raise exceptions.ValidationError(problems)
    return fields


# --- views ------------------------------------------------------------------------


class LedgerItemListView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="ledger_item_list",
        parameters=[LedgerFilterParameters, LedgerPageInput],
        responses={200: LedgerPage, **errors(400, 401)},
        description="Newest first, paged by key: pass `next_after` as `after`. The totals "
        "cover every item the filters select.",
    )
    def get(self, request):
        filters, paging = read_filters(request, LedgerPageInput)
        page, next_after = selectors.ledger_page(
            actor=request.user,
            filters=filters,
            after_id=paging.get("after"),
            size=paging["page_size"],
        )
        totals = selectors.ledger_totals(actor=request.user, filters=filters)
        body = {"results": page, "next_after": next_after, "totals": totals}
        return Response(LedgerPage(body).data)

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_item_create",
        request=LedgerItemCreateInput,
        responses={201: LedgerItemOutput, **errors(400, 401, 403)},
        description="Ledger keepers (officials) only.",
    )
    def post(self, request):
        actor = request.user
        if not has_perm(actor, Perm.LEDGER_KEEP):
            raise PermissionDenied(_("You may not keep ledgers."))
        data = LedgerItemCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = resolve_references(actor, dict(data.validated_data))
        item = run_service(services.ledger_item_create, renames_of(data), actor=actor, **fields)
        item = selectors.ledger_item_get(actor=actor, pk=item.pk)
        return detail(item, status.HTTP_201_CREATED)


class LedgerItemDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="ledger_item_get",
        parameters=[AsOfInput],
        responses={200: LedgerItemOutput, **errors(400, 401, 404)},
    )
    def get(self, request, pk):
        item = selectors.ledger_item_get(actor=request.user, pk=pk)
        as_of = read_query(request, AsOfInput).get("as_of")
        return detail(item, as_of=as_of)

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_item_update",
        request=LedgerItemUpdateInput,
        responses={200: LedgerItemOutput, **errors(400, 401, 403, 404)},
        description="Correct the terms; payments and disputes have their own endpoints.",
    )
    def patch(self, request, pk):
        item = selectors.ledger_item_get(actor=request.user, pk=pk)
        data = LedgerItemUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        refuse_unknown_fields(request, LedgerItemUpdateInput)
        run_service(
            services.ledger_item_update,
            renames_of(data),
            actor=request.user,
            item=item,
            **data.validated_data,
        )
        return after_action(item)


@act("ledger_item_confirm")
class LedgerConfirmView(ItemActionView):
    input_class, output_class = ConfirmInput, LedgerItemOutput
    service = staticmethod(services.ledger_confirm)

    def respond(self, request, item, confirmation) -> Response:
        return after_action(item)
