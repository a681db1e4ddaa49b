"""What the ledger's resources share: field types, the documented errors, the
keeping organisation, and the act on an item in the actor's scope."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers

from qingqian.accounts.models import Organisation
from qingqian.accounts.selectors import organisation_list
from qingqian.api.common import ActionView, documented
from qingqian.api.complaints.serializers import YuanField
from qingqian.api.serializers import error_responses
from qingqian.core import money
from qingqian.core.queries import MAX_ID
from qingqian.ledger import selectors

TAGS = ["ledger"]

ERROR_TEXT = {
    400: "Invalid: `fields` names each problem (with the API's field names).",
    401: "Not signed in.",
    403: "In your scope, but you may not do this.",
    404: "No such record in your scope (or no such page).",
    409: "Not possible in the record's state (`conflict`): the item is cleared or written "
    "off, the payment is already reversed, or the proceeding already decided.",
}


def errors(*codes: int) -> dict:
    return error_responses(*codes, texts=ERROR_TEXT)


# What each act does, as the schema tells it, by operation id.
ACTS = {
    "ledger_item_confirm": "The debtor (or a keeper) confirms the outstanding amount, or "
    "disputes part or all of it (a dispute needs a note).",
    "ledger_payment_record": "The debtor or a keeper records a payment; it may not exceed what "
    "is outstanding. To record it with its evidence file in the same act, send "
    "multipart/form-data with the file as the `evidence` part.",
    "ledger_payment_reverse": "Keepers undo a wrong payment with a new, negative one (the "
    "reversal, which this returns).",
    "ledger_plan_create": "A repayment plan replacing the active one: instalments with "
    "increasing future dates adding up to the undisputed amount outstanding.",
    "ledger_proceeding_open": "Keepers record litigation, arbitration or mediation about the "
    "disputed amount: the item is in legal route until decided; its undisputed part stays due.",
    "ledger_proceeding_decide": "Keepers record the outcome, which changes the disputed amount "
    "only: a decision for the debtor writes it off, one for the creditor makes it due.",
}


def act(operation_id: str, **schema):
    """The schema of a declared ledger act (see `documented`)."""
    return documented(
        errors, tags=TAGS, operation_id=operation_id, description=ACTS[operation_id], **schema
    )


# --- fields -----------------------------------------------------------------------


class SumYuanField(YuanField):
    """A sum or a computed amount (totals, interest): yuan text like `YuanField`, but
    not bound to the range of one typed amount."""

    def to_representation(self, value: int) -> str:
        sign = "-" if value < 0 else ""
        yuan, cents = divmod(abs(value), money.FEN_PER_YUAN)
        return f"{sign}{yuan}.{cents:02d}"


def text(*, required: bool = True, max_length: int) -> serializers.CharField:
    """Blank is let through so that the service says, in its words, what is missing."""
    return serializers.CharField(required=required, allow_blank=True, max_length=max_length)


def enterprise_id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=help_text)


def owner_id() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Keeping organisation: yours (the default) or one under it.",
    )


def rate_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=6,
        decimal_places=3,
        min_value=0,
        max_value=99,
        allow_null=True,
        help_text="Agreed overdue interest rate, percent a year; null: none agreed.",
        **kwargs,
    )


# --- references and acts ------------------------------------------------------------


def keeping_organisation(actor, pk: int | None) -> Organisation:
    """The actor's organisation by default, or one under it that they can see."""
    home = actor.organisation
    if pk is None:
        if home is None:
            raise exceptions.ValidationError({"owner": [_("Name the keeping organisation.")]})
        return home
    owner = organisation_list(actor=actor).filter(pk=pk).first()
    if owner is None or home is None or not owner.path.startswith(home.path):
        raise exceptions.ValidationError(
            {"owner": [_("Choose your organisation or one under it.")]}
        )
    return owner


class ItemActionView(ActionView):
    # An act on a ledger item in the actor's scope; a refusal that names only the
    # item's status (cleared, written off) is a 409.
    target = "item"
    conflicts = frozenset({"status"})

    def find(self, actor, pk: int):
        return selectors.ledger_item_get(actor=actor, pk=pk)
