"""The arrears ledger (台账): items, confirmations, payments, plans, legal routes.

Money is integer fen. The invariants that keep every yuan accounted for are
database constraints as well as service checks: paid never exceeds owed, the
disputed part never exceeds what is still outstanding, and an item's `paid_fen`
is the sum of its payments (reversals are negative payments, never edits); a
decision for the debtor writes off the disputed part only (`written_off_fen`).
`LedgerTotal` is the maintained summary that national totals read instead of
scanning millions of items; services update it in the item's transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qingqian.accounts.models import Organisation
from qingqian.ledger.columns import BY_KEY
from qingqian.parties.models import Enterprise
from qingqian.parties.vocabulary import Notified, Subject


class Status(models.TextChoices):
    OUTSTANDING = "outstanding", _("outstanding")
    PARTLY_PAID = "partly_paid", _("partly paid")
    CLEARED = "cleared", _("cleared")
    LEGAL_ROUTE = "legal_route", _("in legal route")
    WRITTEN_OFF = "written_off", _("written off by court ruling")


class Category(models.TextChoices):
    UNDISPUTED = "undisputed", _("undisputed")
    DISPUTED = "disputed", _("disputed")


class Source(models.TextChoices):
    COMPLAINT = "complaint", _("complaint")
    SELF_INSPECTION = "self_inspection", _("self-inspection")
    IMPORT = "import", _("bulk import")
    MANUAL = "manual", _("manual entry")


class LedgerItem(models.Model):
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="ledger_items",
        verbose_name=_("keeping organisation"),
    )
    # Where the debtor is: the jurisdiction that sees the item (scoping by prefix).
    region_code = models.CharField(_("region code"), max_length=6)
    province_code = models.CharField(_("province"), max_length=6)
    # No index of their own for debtor and creditor: ledger_debtor_id and
    # ledger_creditor_id (below) begin with them, and each index more is
    # written for every imported row.
    debtor = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="ledger_debts",
        verbose_name=_("debtor"),
        db_index=False,
    )
    # Copied from the debtor when the item is created: filters and totals by
    # debtor type must not change when someone edits the enterprise later.
    debtor_type = models.CharField(_("debtor type"), max_length=12)
    creditor = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="ledger_claims",
        verbose_name=_("creditor (SME)"),
        db_index=False,
    )
    contract_number = models.CharField(_("contract number"), max_length=100)
    contract_signed_on = models.DateField(_("contract signing date"))
    subject = models.CharField(_("subject"), max_length=10, choices=Subject.choices, blank=True)
    due_on = models.DateField(_("payment due date"))
    owed_fen = models.BigIntegerField(_("amount owed (fen)"))
    paid_fen = models.BigIntegerField(_("amount paid (fen)"), default=0)
    disputed_fen = models.BigIntegerField(_("amount disputed (fen)"), default=0)
    # The disputed part a decision for the debtor took out: no longer owed.
    # A default in the database too: the importer inserts rows without naming it.
    written_off_fen = models.BigIntegerField(_("amount written off (fen)"), default=0, db_default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OUTSTANDING
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    sme_notified_at_signing = models.CharField(
        _("SME status notified at signing"),
        max_length=8,
        choices=Notified.choices,
        default=Notified.UNKNOWN,
    )
    agreed_rate_percent = models.DecimalField(
        _("agreed overdue interest rate (% a year)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ledger item")
        verbose_name_plural = _("ledger items")
        constraints = [
            models.UniqueConstraint(
                fields=["debtor", "creditor", "contract_number"],
                name="ledger_one_item_per_contract",
            ),
            models.CheckConstraint(condition=Q(owed_fen__gt=0), name="ledger_owed_positive"),
            models.CheckConstraint(condition=Q(paid_fen__gte=0), name="ledger_paid_not_negative"),
            models.CheckConstraint(
                condition=Q(paid_fen__lte=F("owed_fen")), name="ledger_paid_within_owed"
            ),
            models.CheckConstraint(
                condition=Q(disputed_fen__gte=0), name="ledger_disputed_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(written_off_fen__gte=0), name="ledger_written_off_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(disputed_fen__lte=F("owed_fen") - F("paid_fen") - F("written_off_fen")),
                name="ledger_disputed_within_outstanding",
            ),
        ]
        indexes = [
            # Keyset pagination (newest first) within the usual filters.
            models.Index(fields=["province_code", "status", "-id"], name="ledger_prov_status_id"),
            models.Index(fields=["region_code", "-id"], name="ledger_region_id"),
            models.Index(fields=["debtor", "-id"], name="ledger_debtor_id"),
            models.Index(fields=["creditor", "-id"], name="ledger_creditor_id"),
            models.Index(fields=["status", "due_on"], name="ledger_status_due"),
        ]

    def __str__(self):
        return f"{self.contract_number} ({self.debtor_id} → {self.creditor_id})"

    @property
    def outstanding_fen(self) -> int:
        """Owed less paid less written off (`ledger.figures` defines every figure)."""
        return self.owed_fen - self.paid_fen - self.written_off_fen

    @property
    def undisputed_outstanding_fen(self) -> int:
        return self.outstanding_fen - self.disputed_fen

    @property
    def category(self) -> str:
        return Category.DISPUTED if self.disputed_fen else Category.UNDISPUTED


class Confirmation(models.Model):
    """What the debtor said about an item: the history of who claimed what stays."""

    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed in full")
        DISPUTED = "disputed", _("disputed")

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="confirmations")
    kind = models.CharField(_("answer"), max_length=10, choices=Kind.choices)
    disputed_fen = models.BigIntegerField(_("amount disputed (fen)"))
    note = models.CharField(_("reason"), max_length=1000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.item_id})"

    @property
    def answered_by(self) -> str:
        """Who gave the answer, as the item's readers (the SME among them) see it:
        the official's department or the debtor's enterprise, never a login name."""
        if self.actor is None:
            return ""
        body = self.actor.organisation or self.actor.enterprise
        return body.name if body else ""


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("bank transfer")
    # Bills may not be forced on SMEs (Regulations Art. 11): recorded, and flagged.
    BILL = "bill", _("commercial bill")
    OFFSET = "offset", _("offset")
    REPORTED = "reported", _("paid before entry (as reported)")


class Payment(models.Model):
    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("payment date"))
    # Negative only for a reversal, which names the payment it reverses.
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(amount_fen__gt=0, reverses__isnull=True))
                | Q(amount_fen__lt=0, reverses__isnull=False),
                name="payment_positive_or_reversal",
            )
        ]

    def __str__(self):
        return f"{self.paid_on} {self.amount_fen} ({self.item_id})"

    @property
    def is_bill(self) -> bool:
        return self.method == PaymentMethod.BILL


class RepaymentPlan(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        REPLACED = "replaced", _("replaced by a new plan")

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="plans")
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    # What the item had been paid when the plan was agreed: instalments count from here.
    paid_at_start_fen = models.BigIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(state="active"), name="one_active_plan_per_item"
            )
        ]

    def __str__(self):
        return f"plan {self.pk} ({self.item_id})"


class Instalment(models.Model):
    plan = models.ForeignKey(RepaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField(_("due date"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="instalment_unique_number"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="instalment_positive"),
        ]

    def __str__(self):
        return f"{self.number}: {self.due_on} {self.amount_fen}"


class LegalProceeding(models.Model):
    class Kind(models.TextChoices):
        LITIGATION = "litigation", _("litigation")
        ARBITRATION = "arbitration", _("arbitration")
        MEDIATION = "mediation", _("mediation")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        FOR_CREDITOR = "for_creditor", _("decided for the creditor: debt to be paid")
        SETTLED = "settled", _("settled")
        FOR_DEBTOR = "for_debtor", _("decided for the debtor: debt written off")

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="proceedings")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    body = models.CharField(_("court or body"), max_length=200)
    case_number = models.CharField(_("case number"), max_length=100, blank=True)
    filed_on = models.DateField(_("filing date"))
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    enforcement = models.CharField(_("enforcement"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["filed_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case_number}".strip()


class LedgerTotal(models.Model):
    """Maintained totals per region × debtor type × status × category.

    Updated in the same transaction as the items (services.apply_deltas), so a
    national or provincial total is a sum over a few thousand rows, never a
    scan of millions. Tests recount it from the items after every change.
    """

    region_code = models.CharField(max_length=6)
    province_code = models.CharField(max_length=6)
    debtor_type = models.CharField(max_length=12)
    status = models.CharField(max_length=12)
    category = models.CharField(max_length=10)
    items = models.BigIntegerField(default=0)
    owed_fen = models.BigIntegerField(default=0)
    paid_fen = models.BigIntegerField(default=0)
    disputed_fen = models.BigIntegerField(default=0)
    written_off_fen = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "debtor_type", "status", "category"],
                name="ledger_total_key",
            )
        ]
        indexes = [models.Index(fields=["province_code", "status"], name="ledger_total_prov")]

    def __str__(self):
        return f"{self.region_code} {self.debtor_type} {self.status} {self.category}"


class LedgerImport(models.Model):
    """One uploaded ledger return and what became of it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("checking and importing")
        DONE = "done", _("imported")
        REFUSED = "refused", _("refused: nothing was written")
        FAILED = "failed", _("failed: nothing was written")

    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ledger_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=80)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.FloatField(default=0.0)  # 0..1, for the progress bar
    rows_read = models.BigIntegerField(default=0)
    created_count = models.BigIntegerField(default=0)
    updated_count = models.BigIntegerField(default=0)
    unchanged_count = models.BigIntegerField(default=0)
    error_count = models.BigIntegerField(default=0)
    message = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the current run claimed it: with the progress file's age, tells a
    # run that died (a worker killed) from one still going.
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.original_name


class LedgerImportError(models.Model):
    """One bad cell of a refused import: the downloadable error report."""

    ledger_import = models.ForeignKey(LedgerImport, on_delete=models.CASCADE, related_name="errors")
    row = models.PositiveIntegerField()
    column = models.CharField(max_length=40)
    value = models.CharField(max_length=200)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["row", "id"]

    def __str__(self):
        return f"{self.row}/{self.column}: {self.reason}"

    @property
    def column_header(self) -> str:
        """The column as the template names it ("欠款金额（元） / amount_owed")."""
        column = BY_KEY.get(self.column)
        return column.header if column else self.column


class LedgerEvidence(models.Model):
    """A file backing a payment or what the debtor said (stored like complaint evidence)."""

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="evidence")
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    confirmation = models.ForeignKey(
        Confirmation, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
