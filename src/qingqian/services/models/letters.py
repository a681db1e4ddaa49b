"""Models of letters (see qingqian.services.letters).

A demand letter (催款函) keeps the facts the SME entered and the figures computed
from them when it was written (interest, its basis, days overdue, the articles
relied on): a saved letter never changes when the LPR table or the calendar does.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingqian.parties.models import Enterprise
from qingqian.parties.vocabulary import DEBTOR_TYPE_CHOICES, Notified

__all__ = ["DemandLetter", "DemandLetterPayment", "DemandLetterAttachment"]


class DemandLetter(models.Model):
    owner = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="demand_letters",
        verbose_name=_("enterprise"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    debtor = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("debtor on the platform"),
    )
    debtor_name = models.CharField(_("debtor's name"), max_length=200)
    debtor_uscc = models.CharField(_("debtor's unified social credit code"), max_length=18)
    debtor_address = models.CharField(_("debtor's address"), max_length=255, blank=True)
    debtor_type = models.CharField(_("debtor type"), max_length=12, choices=DEBTOR_TYPE_CHOICES)
    contract_number = models.CharField(_("contract number"), max_length=64, blank=True)
    contract_title = models.CharField(_("contract title"), max_length=200)
    contract_signed_on = models.DateField(_("contract signing date"))
    sme_notified_at_signing = models.CharField(
        _("SME status notified at signing"), max_length=8, choices=Notified.choices
    )
    principal_fen = models.BigIntegerField(_("amount owed (fen)"))
    due_on = models.DateField(_("due date"))
    interest_as_of = models.DateField(_("interest counted to"))
    agreed_rate_percent = models.DecimalField(
        _("agreed annual rate (%)"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    letter_date = models.DateField(_("letter date"))
    pay_by = models.DateField(_("deadline to pay"))
    pay_by_rule = models.CharField(max_length=300, blank=True)  # compute_deadline's record
    # Counted into a year whose holiday schedule was not entered yet (see core.workdays).
    pay_by_provisional = models.BooleanField(default=False)

    # The figures as computed when the letter was written (frozen).
    interest_fen = models.BigIntegerField(_("overdue interest (fen)"))
    outstanding_fen = models.BigIntegerField(_("principal outstanding (fen)"))
    days_overdue = models.IntegerField(_("days overdue"))
    basis_kind = models.CharField(max_length=24)  # statutory / agreed / agreed_raised_to_lpr
    applied_annual_percent = models.DecimalField(
        max_digits=6, decimal_places=4, null=True, blank=True
    )
    lpr_percent = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    regulations_version = models.CharField(max_length=4)  # "2020" or "2025"
    signed_before_regulations = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("demand letter")
        verbose_name_plural = _("demand letters")

    def __str__(self):
        return f"{self.debtor_name} {self.contract_number}".strip()


class DemandLetterPayment(models.Model):
    """A payment already received on the contract, before the letter."""

    letter = models.ForeignKey(DemandLetter, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("payment date"))
    amount_fen = models.BigIntegerField(_("amount paid (fen)"))

    class Meta:
        ordering = ["paid_on", "pk"]

    def __str__(self):
        return f"{self.paid_on} {self.amount_fen}"


class DemandLetterAttachment(models.Model):
    """A letter's PDF added to one of the SME's complaints as evidence."""

    letter = models.ForeignKey(DemandLetter, on_delete=models.CASCADE, related_name="attachments")
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="+"
    )
    evidence = models.ForeignKey("complaints.Evidence", on_delete=models.CASCADE, related_name="+")
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attached_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attached_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "complaint"], name="demand_letter_attached_once"
            )
        ]

    def __str__(self):
        return f"{self.letter} → {self.complaint}"
