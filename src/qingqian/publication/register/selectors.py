"""The public register: the debtors' side (agencies, institutions, large and
state-owned enterprises), never an SME. Search by any two or more characters of
the name or by credit code, through indexes; one enterprise's public record.

These reads take no actor on purpose: the register is public by design, and
only public facts leave here (no complaint's text, no SME, small counts
suppressed by the caller's rule)."""

from __future__ import annotations

from collections import defaultdict
from statistics import median

from django.db import connection
from django.db.models import BooleanField, Count, F, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404

from qingqian.complaints.models import Complaint, Deadline
from qingqian.core.namesearch import MIN_FRAGMENT, fts_phrase, searchable
from qingqian.core.uscc import normalise
from qingqian.ledger.models import Confirmation, LedgerItem, Payment
from qingqian.parties.models import Enterprise
from qingqian.publication.findings.transitions import LISTED
from qingqian.publication.models import DisclosureVersion, Finding, TypicalCase
from qingqian.publication.typical_cases.selectors import published_cases

PAGE = 20
USCC_LENGTH = 18


def register_enterprises() -> QuerySet[Enterprise]:
    return Enterprise.objects.exclude(type=Enterprise.Type.SME)


def register_search(text: str, *, after: int = 0, limit: int = PAGE) -> list[Enterprise]:
    """Up to `limit` enterprises whose name contains the text or whose credit code
    starts with it, in id order after `after` (the next page's key)."""
    q = search_q(text)
    if q is None:
        return []
    rows = register_enterprises().filter(q, pk__gt=after).order_by("pk")
    return list(rows[:limit])


def search_q(text: str) -> Q | None:
    code = normalise(text or "")
    if code and code.isascii() and code.isalnum() and any(c.isdigit() for c in code):
        if len(code) > USCC_LENGTH:
            return None
        # A range on the unique index (both databases), not LIKE.
        return Q(uscc__gte=code, uscc__lt=code + "~")
    if len(searchable(text)) < MIN_FRAGMENT:
        return None
    if connection.vendor == "sqlite":
        ids = RawSQL(
            "SELECT rowid FROM publication_enterprise_names "
            "WHERE publication_enterprise_names MATCH %s",
            [fts_phrase(text)],
        )
        return Q(pk__in=ids)
    fragment = text.strip()
    if len(fragment) == MIN_FRAGMENT:  # trigrams need three characters; the bigram index serves
        return Q(RawSQL("ledger_bigrams(name) @> ARRAY[%s]", [fragment], BooleanField()))
    return Q(name__contains=fragment)  # the trigram index serves LIKE


def register_get(uscc: str) -> Enterprise:
    return get_object_or_404(register_enterprises(), uscc=normalise(uscc))


# --- one enterprise's public record --------------------------------------------------


def complaint_record(enterprise: Enterprise) -> list[dict]:
    """Per year of acceptance: complaints accepted against it, and of those whose
    handling clock has ended, how many met it."""
    accepted = (
        Complaint.objects.filter(debtor=enterprise, accepted_on__isnull=False)
        .annotate(year=ExtractYear("accepted_on"))
        .values("year")
        .annotate(count=Count("pk"))
    )
    handled = (
        Deadline.objects.filter(
            complaint__debtor=enterprise,
            complaint__accepted_on__isnull=False,
            stage=Deadline.Stage.HANDLING,
            status__in=[Deadline.Status.MET, Deadline.Status.BREACHED],
        )
        .annotate(year=ExtractYear("complaint__accepted_on"))
        .values("year")
        .annotate(rated=Count("pk"), met=Count("pk", filter=Q(status=Deadline.Status.MET)))
    )
    rated = {row["year"]: row for row in handled}
    return [
        {
            "year": row["year"],
            "accepted": row["count"],
            "rated": rated.get(row["year"], {}).get("rated", 0),
            "met": rated.get(row["year"], {}).get("met", 0),
        }
        for row in sorted(accepted, key=lambda row: row["year"], reverse=True)
    ]


def arrears_record(enterprise: Enterprise) -> dict:
    """Its ledger as a debtor: identified, cleared (paid), outstanding, undisputed outstanding."""
    sums = LedgerItem.objects.filter(debtor=enterprise).aggregate(
        identified=Sum("owed_fen"),
        paid=Sum("paid_fen"),
        outstanding=Sum(F("owed_fen") - F("paid_fen") - F("written_off_fen")),
        undisputed=Sum(F("owed_fen") - F("paid_fen") - F("written_off_fen") - F("disputed_fen")),
        items=Count("pk"),
    )
    return {name: int(value or 0) for name, value in sums.items()}


def payment_behaviour(enterprise: Enterprise) -> list[dict]:
    """From confirmed ledger items only (the debtor itself confirmed the amount and
    due date), per year of payment: the share of the amount paid after the due date
    and the median days late of the late payments (each payment counted once).
    Reversed payments and their reversals are left out."""
    confirmed = Confirmation.objects.filter(kind=Confirmation.Kind.CONFIRMED).values("item_id")
    payments = (
        Payment.objects.filter(
            item__debtor=enterprise,
            item_id__in=confirmed,
            reverses__isnull=True,
            reversed_by__isnull=True,
        )
        .values_list("paid_on", "amount_fen", "item__due_on")
        .order_by()
    )
    years: dict[int, dict] = defaultdict(lambda: {"count": 0, "paid": 0, "late": 0, "days": []})
    for paid_on, amount, due_on in payments:
        year = years[paid_on.year]
        year["count"] += 1
        year["paid"] += amount
        if paid_on > due_on:
            year["late"] += amount
            year["days"].append((paid_on - due_on).days)
    return [
        {
            "year": year,
            "payments": row["count"],
            "late_payments": len(row["days"]),
            "late_share": round(100 * row["late"] / row["paid"], 1) if row["paid"] else None,
            "median_days_late": median(row["days"]) if row["days"] else None,
        }
        for year, row in sorted(years.items(), reverse=True)
    ]


def listings_in_force(enterprise: Enterprise) -> list[Finding]:
    return list(
        Finding.objects.filter(enterprise=enterprise, state__in=LISTED).select_related(
            "credit_list"
        )
    )


def typical_cases_naming(enterprise: Enterprise) -> list[dict]:
    """The published typical cases whose approver chose to name this enterprise."""
    return list(
        published_cases().filter(
            state=TypicalCase.State.PUBLISHED, name_debtor=True, complaint__debtor=enterprise
        )
    )


def public_disclosures(enterprise: Enterprise) -> list[dict]:
    """Its annual disclosures as they stand (the current version of each year),
    newest year first, with whether it was filed late and how often corrected."""
    rows = []
    current = DisclosureVersion.objects.filter(
        disclosure__enterprise=enterprise, number=F("disclosure__current_version")
    ).select_related("disclosure__period")
    for version in current.order_by("-disclosure__period__year"):
        disclosure = version.disclosure
        rows.append(
            {
                "year": disclosure.period.year,
                "has_overdue": version.has_overdue,
                "count": version.overdue_count,
                "amount_fen": version.overdue_amount_fen,
                "explanation": version.explanation,
                "filed_on": disclosure.first_filed_on,
                "filed_late": disclosure.filed_late,
                "corrections": version.number - 1,
            }
        )
    return rows


DISCLOSURE_COLUMNS = (
    "uscc",
    "name",
    "type",
    "region_code",
    "year",
    "has_overdue",
    "overdue_count",
    "overdue_amount",
    "explanation",
    "first_filed_on",
    "filed_late",
    "corrections",
)


def all_public_disclosures():
    """Every body's disclosures as they stand, one row each, for the bulk download
    (streamed: a national year holds hundreds of thousands)."""
    rows = (
        DisclosureVersion.objects.filter(number=F("disclosure__current_version"))
        .exclude(disclosure__enterprise__type=Enterprise.Type.SME)
        .order_by("disclosure__period__year", "disclosure__enterprise__uscc")
        .values_list(
            "disclosure__enterprise__uscc",
            "disclosure__enterprise__name",
            "disclosure__enterprise__type",
            "disclosure__enterprise__region_code",
            "disclosure__period__year",
            "has_overdue",
            "overdue_count",
            "overdue_amount_fen",
            "explanation",
            "disclosure__first_filed_on",
            "disclosure__filed_late",
            "number",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        *head, number = row
        yield [*head, number - 1]
