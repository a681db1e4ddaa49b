"""Models of confirmations (see qingqian.services.confirmations).

A receivable confirmation request: an SME asks a debtor to confirm an amount
it owes; the debtor answers within 30 days of the request (Regulations 2020
Art. 14 / 2025 Art. 16). The answer's split (confirmed / disputed) goes to the
ledger item of the same contract.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qingqian.ledger.models import LedgerItem
from qingqian.parties.models import Enterprise
from qingqian.parties.vocabulary import Subject

__all__ = ["ConfirmationRequest"]


class ConfirmationRequest(models.Model):
    class State(models.TextChoices):
        REQUESTED = "requested", _("awaiting the debtor's answer")
        CONFIRMED = "confirmed", _("confirmed in full")
        PARTLY_CONFIRMED = "partly_confirmed", _("partly confirmed")
        DISPUTED = "disputed", _("disputed in full")
        WITHDRAWN = "withdrawn", _("withdrawn by the SME")
        LAPSED = "lapsed", _("not answered in time")

    class Channel(models.TextChoices):
        PLATFORM = "platform", _("on the platform")
        LINK = "link", _("through the one-time link")

    sme = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="confirmation_requests_sent",
        verbose_name=_("requesting SME"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    debtor = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="confirmation_requests_received",
        verbose_name=_("debtor"),
    )
    contract_number = models.CharField(_("contract number"), max_length=100)
    contract_signed_on = models.DateField(_("contract signing date"))
    subject = models.CharField(_("subject"), max_length=10, choices=Subject.choices, blank=True)
    due_on = models.DateField(_("payment due date"))
    amount_fen = models.BigIntegerField(_("amount asked to confirm (fen)"))
    note = models.CharField(_("the SME's note"), max_length=1000, blank=True)
    requested_on = models.DateField(_("requested on"))
    # The 30-day clock, with the rule that produced it (provisional without a schedule).
    answer_due_on = models.DateField(_("answer due by"))
    answer_due_rule = models.TextField(_("rule of the answer date"))
    answer_due_provisional = models.BooleanField(default=False)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REQUESTED
    )
    confirmed_fen = models.BigIntegerField(_("amount confirmed (fen)"), null=True, blank=True)
    disputed_fen = models.BigIntegerField(_("amount disputed (fen)"), null=True, blank=True)
    dispute_reason = models.CharField(_("reason of the dispute"), max_length=1000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answerer_name = models.CharField(
        _("name of the person who answered"), max_length=100, blank=True
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_channel = models.CharField(
        _("answered"), max_length=10, choices=Channel.choices, blank=True
    )
    ledger_item = models.ForeignKey(
        LedgerItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confirmation_requests",
        verbose_name=_("ledger item"),
    )
    # The SHA-256 of the one-time link's token; emptied once the link is used.
    link_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # Frozen when the answer comes after the due date, or when the date passes unanswered.
    breached = models.BooleanField(_("answer late or missing"), default=False)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("receivable confirmation request")
        verbose_name_plural = _("receivable confirmation requests")
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_fen__gt=0), name="confirmation_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_fen__isnull=True)
                | Q(
                    confirmed_fen__gte=0,
                    disputed_fen__gte=0,
                    amount_fen=F("confirmed_fen") + F("disputed_fen"),
                ),
                name="confirmation_answer_adds_up",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "answer_due_on"], name="confirmation_state_due"),
            models.Index(fields=["debtor", "breached"], name="confirmation_debtor_breached"),
        ]

    def __str__(self):
        return f"{self.contract_number} ({self.sme_id} → {self.debtor_id})"
