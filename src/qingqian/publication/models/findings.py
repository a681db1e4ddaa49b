"""Findings of dishonesty (认定失信) and the lists they put enterprises on.

The procedure of the State Council's guidance on credit measures (国办发〔2020〕49号):
a list exists only where a law or regulation provides for it; the enterprise is
told before it is listed and may state its case (陈述申辩); the decision names
the basis, the facts and the period; the period is fixed in advance; an
enterprise that has put things right may ask for credit repair and is removed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditList(models.Model):
    """A list as the measures in force define it. Its numbers are data with their
    source, kept by the national administrator; the product cites them."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    source = models.CharField(_("source of the period and conditions"), max_length=300)
    publication_months = models.PositiveSmallIntegerField(_("publication period (months)"))
    defence_working_days = models.PositiveSmallIntegerField(
        _("time to state its case (working days)")
    )
    repair_conditions = models.TextField(_("conditions of credit repair"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("credit list")
        verbose_name_plural = _("credit lists")

    def __str__(self):
        return self.name


class Finding(models.Model):
    """One enterprise's way through the procedure, from the proposal to its
    removal from the list."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        UNDER_REVIEW = "review", _("under legal review")
        DECIDED = "decided", _("decided, notice to be served")
        NOTIFIED = "notified", _("notified, may state its case")
        PUBLISHED = "published", _("listed")
        UNDER_OBJECTION = "objection", _("listed, objection under review")
        REPAIR_REQUESTED = "repair", _("listed, credit repair requested")
        DROPPED = "dropped", _("dropped")
        WITHDRAWN = "withdrawn", _("withdrawn on objection")
        EXPIRED = "expired", _("removed at the end of the period")
        REPAIRED = "repaired", _("removed after credit repair")

    class Origin(models.TextChoices):
        COMPLAINT = "complaint", _("complaint")
        LEDGER_ITEM = "ledger_item", _("ledger item")
        CASE = "case", _("supervision case")

    enterprise = models.ForeignKey(
        "parties.Enterprise",
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("enterprise"),
    )
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ledger_item = models.ForeignKey(
        "ledger.LedgerItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "supervision.SupervisionCase",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grounds = models.TextField(_("grounds of the proposal"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_on = models.DateField(_("proposed on"))

    review_note = models.TextField(_("legal review"), blank=True)
    credit_list = models.ForeignKey(
        CreditList,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("list"),
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    facts = models.TextField(_("facts found"), blank=True)
    publication_months = models.PositiveSmallIntegerField(
        _("publication period (months)"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    notified_on = models.DateField(_("prior notice served on"), null=True, blank=True)
    defence_due_on = models.DateField(_("may state its case until"), null=True, blank=True)
    defence_due_rule = models.CharField(max_length=300, blank=True)
    defence_due_provisional = models.BooleanField(default=False)
    statement = models.TextField(_("the enterprise's statement and defence"), blank=True)
    statement_on = models.DateField(_("statement received on"), null=True, blank=True)

    published_on = models.DateField(_("listed from"), null=True, blank=True)
    ends_on = models.DateField(_("listed until"), null=True, blank=True)
    objection = models.TextField(_("objection"), blank=True)
    repair_request = models.TextField(_("credit repair request"), blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    closing_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        verbose_name = _("finding of dishonesty")
        verbose_name_plural = _("findings of dishonesty")
        constraints = [
            models.CheckConstraint(
                name="finding_one_origin",
                condition=(
                    models.Q(
                        origin="complaint",
                        complaint__isnull=False,
                        ledger_item__isnull=True,
                        case__isnull=True,
                    )
                    | models.Q(
                        origin="ledger_item",
                        complaint__isnull=True,
                        ledger_item__isnull=False,
                        case__isnull=True,
                    )
                    | models.Q(
                        origin="case",
                        complaint__isnull=True,
                        ledger_item__isnull=True,
                        case__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self):
        return f"{self.enterprise} ({self.get_state_display()})"


class ListingChange(models.Model):
    """Append-only: each time a listing appears, changes or goes, keyed by credit
    code, so that credit-sharing platforms can synchronise from a moment on."""

    class Kind(models.TextChoices):
        LISTED = "listed", _("listed")
        UNDER_REVIEW = "under_review", _("under review")
        CONFIRMED = "confirmed", _("confirmed after review")
        REMOVED = "removed", _("removed")

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="changes")
    uscc = models.CharField(max_length=18, db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField(db_index=True)
    reason = models.CharField(max_length=20)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.uscc} {self.kind} {self.at:%Y-%m-%d}"
