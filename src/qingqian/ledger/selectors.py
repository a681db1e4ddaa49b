"""Every read of the ledger, scoped by the actor.

Officials see the items located in their jurisdiction, the SME the items where
it is the creditor, the debtor's representative those of its enterprise. Lists
page by key (the last id seen), never by offset, so page 10,000 of ten million
rows costs what page 1 costs. Totals come from `LedgerTotal` when the filters
are among its dimensions, otherwise from the filtered rows themselves: either
way they equal the sum of the rows the list shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import BooleanField, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Role
from qingqian.core.interest import InterestError, InterestResult, overdue_interest
from qingqian.core.messages import interest_error_label, interest_note_label
from qingqian.core.queries import MAX_ID
from qingqian.core.scoping import scope_for
from qingqian.core.selectors import load_lpr_table
from qingqian.ledger.figures import LedgerFigures, aggregates
from qingqian.ledger.models import (
    Category,
    LedgerImport,
    LedgerItem,
    LedgerTotal,
    LegalProceeding,
    Payment,
    PaymentMethod,
    RepaymentPlan,
    Status,
)
from qingqian.parties.models import Enterprise

PAGE_SIZE = 50
USCC_LENGTH = 18
# How many parties a search passes to the items query as a list of ids; more
# than this and the query filters by a subquery instead (see `search_q`).
MAX_LISTED_PARTIES = 2000
# Overdue age buckets in days past the due date, for items not yet cleared.
AGE_BUCKETS = {
    "0-30": (1, 30),
    "31-90": (31, 90),
    "91-180": (91, 180),
    "181-365": (181, 365),
    "365+": (366, None),
}
OPEN_STATUSES = (Status.OUTSTANDING, Status.PARTLY_PAID, Status.LEGAL_ROUTE)


@dataclass(frozen=True)
class LedgerFilter:
    region: str = ""  # a region code prefix: '44', '4401', '440103'
    debtor_type: str = ""
    status: str = ""
    category: str = ""
    debtor_id: int | None = None
    creditor_id: int | None = None
    age: str = ""
    min_owed_fen: int | None = None
    max_owed_fen: int | None = None
    search: str = ""  # a party's name fragment, a credit code or contract number prefix
    contract_number: str = ""  # exactly (the API's `contract`)

    @property
    def summary_only(self) -> bool:
        """Whether LedgerTotal alone can answer the totals for these filters."""
        return not (
            self.debtor_id
            or self.creditor_id
            or self.age
            or self.min_owed_fen is not None
            or self.max_owed_fen is not None
            or self.search
            or self.contract_number
        )


Totals = LedgerFigures  # the list's totals are the ledger's figures (`ledger.figures`)


def scope_filter(actor) -> Q:
    scope = scope_for(actor)
    if scope.everything:
        return Q()
    if scope.region_prefix is not None:
        return region_q(scope.region_prefix)
    if scope.enterprise_id is not None and actor.role == Role.SME:
        return Q(creditor_id=scope.enterprise_id)
    if scope.enterprise_id is not None and actor.role == Role.DEBTOR:
        return Q(debtor_id=scope.enterprise_id)
    return Q(pk__in=[])


def region_q(prefix: str) -> Q:
    """Items located under a region code prefix, in a form indexes can answer:
    a province is an equality on `province_code` (a LIKE cannot use the index
    on SQLite), a city or county a range of codes."""
    if not (prefix.isascii() and prefix.isdigit() and 2 <= len(prefix) <= 6):
        return Q(pk__in=[])  # not a region code prefix: nothing is located there
    if len(prefix) == 2:
        return Q(province_code=prefix + "0000")
    if len(prefix) == 6:
        return Q(region_code=prefix)
    following = str(int(prefix) + 1).zfill(len(prefix))
    return Q(region_code__gte=prefix, region_code__lt=following)


def ledger_items(*, actor, filters: LedgerFilter = LedgerFilter()) -> QuerySet[LedgerItem]:
    """The items this actor may see, filtered, newest first."""
    items = LedgerItem.objects.filter(scope_filter(actor)).filter(_filter_q(filters))
    return items.select_related("debtor", "creditor", "owner").order_by(_newest_first(filters))


def ledger_page(
    *, actor, filters: LedgerFilter = LedgerFilter(), after_id: int | None = None, size=PAGE_SIZE
) -> tuple[list[LedgerItem], int | None]:
    """One page and the id to continue after (None on the last page)."""
    items = ledger_items(actor=actor, filters=filters)
    if after_id is not None:
        items = items.filter(id__lt=after_id)
    page = list(items[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, (page[-1].id if more else None)


def ledger_item_get(*, actor, pk: int) -> LedgerItem:
    """An item in the actor's scope, or 404."""
    return get_object_or_404(ledger_items(actor=actor), pk=pk)


def payment_get(*, actor, pk: int) -> Payment:
    """A payment of an item in the actor's scope, or 404."""
    return _of_item_in_scope(actor, "payments", pk)


def proceeding_get(*, actor, pk: int) -> LegalProceeding:
    """A legal proceeding about an item in the actor's scope, or 404."""
    return _of_item_in_scope(actor, "proceedings", pk)


def _of_item_in_scope(actor, relation: str, pk: int):
    if pk > MAX_ID:  # no such row, and a join lookup would overflow
        raise Http404
    item = get_object_or_404(ledger_items(actor=actor), **{relation: pk})
    return getattr(item, relation).get(pk=pk)


def ledger_totals(*, actor, filters: LedgerFilter = LedgerFilter()) -> Totals:
    if filters.summary_only and _reads_summary(actor):
        rows = LedgerTotal.objects.filter(_summary_q(actor, filters))
        return _totals(rows.aggregate(**_sums(from_summary=True)))
    items = LedgerItem.objects.filter(scope_filter(actor)).filter(_filter_q(filters))
    return _totals(items.aggregate(**_sums(from_summary=False)))


def totals_by_province(*, actor) -> list[dict]:
    """Province × status, from the maintained summary (national and provincial views)."""
    if not _reads_summary(actor):
        return []
    rows = (
        LedgerTotal.objects.filter(_summary_q(actor, LedgerFilter()))
        .values("province_code", "status")
        .annotate(**_sums(from_summary=True))
        .filter(n__gt=0)  # summary rows whose items all moved elsewhere
        .order_by("province_code", "status")
    )
    return [
        {"province_code": row["province_code"], "status": row["status"], "totals": _totals(row)}
        for row in rows
    ]


def item_for_complaint(*, actor, complaint) -> LedgerItem | None:
    """The ledger item of a complaint's contract, if this actor may see it."""
    return (
        ledger_items(actor=actor)
        .filter(
            debtor_id=complaint.debtor_id,
            creditor_id=complaint.complainant_id,
            contract_number=complaint.contract_number,
        )
        .first()
    )


def party_plans(*, actor, enterprise) -> QuerySet[RepaymentPlan]:
    """Active repayment plans on the items this actor may see, owed by or to `enterprise`."""
    items = ledger_items(actor=actor).filter(Q(debtor=enterprise) | Q(creditor=enterprise))
    return (
        RepaymentPlan.objects.filter(state=RepaymentPlan.State.ACTIVE, item__in=items)
        .select_related("item")
        .prefetch_related("instalments")
    )


def item_payments(item: LedgerItem) -> list[Payment]:
    return list(item.payments.select_related("recorded_by", "reverses"))


def effective_payments(item: LedgerItem) -> list[tuple[date, int]]:
    """(date, fen) of the payments that stand: a reversed payment and its reversal
    cancel out, so the interest is computed as if the wrong entry never was."""
    payments = list(item.payments.all())
    reversed_ids = {payment.reverses_id for payment in payments if payment.reverses_id}
    return [
        (payment.paid_on, payment.amount_fen)
        for payment in payments
        if payment.amount_fen > 0 and payment.pk not in reversed_ids
    ]


def item_interest(item: LedgerItem, *, as_of: date | None = None) -> InterestResult:
    """Overdue interest on the item as of a date (default today), by the
    Regulations' rule: the agreed rate floored at the LPR, or 0.05% a day."""
    return overdue_interest(
        item.owed_fen,
        item.due_on,
        effective_payments(item),
        as_of or timezone.localdate(),
        agreed_annual_rate=item.agreed_rate_percent,
        signed_on=item.contract_signed_on,
        lpr_table=load_lpr_table(),
    )


@dataclass(frozen=True)
class InterestView:
    """What a reader of an item is told about its overdue interest: the result, or
    why it cannot be computed, and the warnings that go with it."""

    as_of: date
    result: InterestResult | None
    error: str
    warnings: tuple[str, ...]


def item_interest_view(item: LedgerItem, *, as_of: date | None = None) -> InterestView:
    """Overdue interest as every channel shows it; `item` comes from the actor's
    scoping selector."""
    as_of = as_of or timezone.localdate()
    try:
        result = item_interest(item, as_of=as_of)
    except InterestError as error:
        return InterestView(as_of, None, interest_error_label(error), ())
    except OverflowError:  # a due date at the end of the calendar
        return InterestView(as_of, None, _("The dates are out of range."), ())
    notes = (interest_note_label(note) for note in result.notes)
    return InterestView(as_of, result, "", (*notes, *_entry_warnings(item)))


def _entry_warnings(item: LedgerItem) -> list[str]:
    if not item.payments.filter(method=PaymentMethod.REPORTED).exists():
        return []
    return [
        _(
            "Payments reported before entry are dated on the day they were entered: "
            "interest before that day may be overstated."
        )
    ]


def ledger_imports(*, actor) -> QuerySet[LedgerImport]:
    """Imports kept by the actor's organisation or those under it."""
    scope = scope_for(actor)
    if scope.everything:
        return LedgerImport.objects.all()
    if scope.region_prefix is not None and actor.organisation_id is not None:
        return LedgerImport.objects.filter(owner__path__startswith=actor.organisation.path)
    return LedgerImport.objects.none()


def ledger_import_get(*, actor, pk: int) -> LedgerImport:
    """An import kept in the actor's organisation or under it, or 404."""
    return get_object_or_404(ledger_imports(actor=actor), pk=pk)


# --- private -----------------------------------------------------------------------


def _reads_summary(actor) -> bool:
    scope = scope_for(actor)
    return scope.everything or scope.region_prefix is not None


def _summary_q(actor, filters: LedgerFilter) -> Q:
    scope = scope_for(actor)
    q = Q() if scope.everything else region_q(scope.region_prefix)
    if filters.region:
        q &= region_q(filters.region)
    if filters.debtor_type:
        q &= Q(debtor_type=filters.debtor_type)
    if filters.status:
        q &= Q(status=filters.status)
    if filters.category:
        q &= Q(category=filters.category)
    return q


def _filter_q(filters: LedgerFilter) -> Q:
    q = Q()
    if filters.region:
        q &= region_q(filters.region)
    if filters.debtor_type:
        q &= Q(debtor_type=filters.debtor_type)
    if filters.status:
        q &= Q(status=filters.status)
    if filters.category == Category.DISPUTED:
        q &= Q(disputed_fen__gt=0)
    elif filters.category == Category.UNDISPUTED:
        q &= Q(disputed_fen=0)
    if filters.debtor_id:
        q &= Q(debtor_id=filters.debtor_id)
    if filters.creditor_id:
        q &= Q(creditor_id=filters.creditor_id)
    if filters.age:
        q &= _age_q(filters.age, timezone.localdate())
    if filters.min_owed_fen is not None:
        q &= Q(owed_fen__gte=filters.min_owed_fen)
    if filters.max_owed_fen is not None:
        q &= Q(owed_fen__lte=filters.max_owed_fen)
    if filters.contract_number:
        q &= Q(contract_number=filters.contract_number.strip())
    if filters.search.strip():
        q &= search_q(filters.search.strip())
    return q


def search_q(text: str) -> Q:
    """Items whose debtor or creditor name contains the text, whose debtor's or
    creditor's credit code starts with it, or whose contract number starts with it.

    On PostgreSQL indexes serve each part (migration 0003). The matching parties
    are fetched first and passed as a list: an ``IN (subquery)`` inside an OR
    cannot use the items' debtor and creditor indexes, a list can."""
    parties = _party_ids(text)
    return (
        Q(debtor_id__in=parties) | Q(creditor_id__in=parties) | Q(contract_number__startswith=text)
    )


def _party_ids(text: str):
    """The ids of the parties a search names: a list, or a subquery when so common
    a fragment names more than MAX_LISTED_PARTIES (its items are everywhere)."""
    matching = Enterprise.objects.filter(_party_q(text)).values_list("id", flat=True)
    ids = list(matching[: MAX_LISTED_PARTIES + 1])
    return ids if len(ids) <= MAX_LISTED_PARTIES else matching


def _party_q(text: str) -> Q:
    if len(text) == 2 and connection.vendor == "postgresql":
        # Trigrams cannot serve two characters; the names' bigram index can.
        q = Q(RawSQL("ledger_bigrams(name) @> ARRAY[%s]", [text], output_field=BooleanField()))
    else:
        q = Q(name__contains=text)
    code = text.upper()
    if code.isascii() and code.isalnum() and len(code) <= USCC_LENGTH:
        q |= Q(uscc__startswith=code)
    return q


def _newest_first(filters: LedgerFilter):
    """Newest first. For a search, PostgreSQL would walk the primary key
    backwards, filtering, which reads millions of rows when the matches are few
    or old (one debtor's items loaded together); ``id + 0`` makes it fetch the
    matches through the search's indexes and sort them instead."""
    if filters.search.strip() and connection.vendor == "postgresql":
        return (F("id") + 0).desc()
    return "-id"


def _age_q(bucket: str, today: date) -> Q:
    low, high = AGE_BUCKETS[bucket]
    q = Q(status__in=OPEN_STATUSES, due_on__lte=today - timedelta(days=low))
    if high is not None:
        q &= Q(due_on__gte=today - timedelta(days=high))
    return q


def _sums(*, from_summary: bool) -> dict:
    return aggregates(from_summary=from_summary)


def _totals(row: dict) -> Totals:
    return LedgerFigures.of_sums(row)
