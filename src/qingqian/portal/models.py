"""An SME's sign-up: the account it made, the enterprise it says it acts for, the
proofs (e-mail link, phone code, business licence) and the province's decision."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingqian.core.transitions import TransitionTable, transition
from qingqian.parties.models import Size


class Registration(models.Model):
    class State(models.TextChoices):
        VERIFYING = "verifying", _("verifying e-mail and phone")
        AWAITING_LICENCE = "licence", _("awaiting the business licence")
        AWAITING_REVIEW = "review", _("awaiting the province's check")
        BOUND = "bound", _("bound to the enterprise")
        REFUSED = "refused", _("refused")
        CLOSED = "closed", _("account closed")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registration",
        verbose_name=_("account"),
    )
    enterprise = models.ForeignKey(
        "parties.Enterprise",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("enterprise"),
    )
    # As typed at sign-up (the enterprise record may be an older one, never
    # changed from here): what the intake officer compares with the licence.
    enterprise_name = models.CharField(_("enterprise name"), max_length=200)
    region_code = models.CharField(_("region"), max_length=6, db_index=True)
    # The size self-test's facts and result on the day of sign-up; written to the
    # enterprise when the account is bound.
    industry = models.CharField(_("industry"), max_length=40)
    staff = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    revenue_wan = models.DecimalField(
        _("revenue (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    assets_wan = models.DecimalField(
        _("total assets (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    size_declared = models.CharField(_("declared size"), max_length=8, choices=Size.choices)
    declared_on = models.DateField(_("declared on"))

    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    # Only a keyed hash of the code is kept; attempts are counted per code.
    phone_code_hash = models.CharField(max_length=64, blank=True)
    phone_code_sent_at = models.DateTimeField(null=True, blank=True)
    phone_code_attempts = models.PositiveSmallIntegerField(default=0)

    licence_name = models.CharField(_("business licence"), max_length=255, blank=True)
    licence_stored_name = models.CharField(max_length=64, blank=True)
    licence_content_type = models.CharField(max_length=100, blank=True)
    licence_size = models.PositiveBigIntegerField(null=True, blank=True)
    licence_sha256 = models.CharField(max_length=64, blank=True)
    licence_uploaded_at = models.DateTimeField(null=True, blank=True)

    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.VERIFYING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked by"),
    )
    reviewed_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("SME sign-up")
        verbose_name_plural = _("SME sign-ups")

    def __str__(self):
        return self.enterprise_name


State = Registration.State
OPEN = (
    State.VERIFYING,
    State.AWAITING_LICENCE,
    State.AWAITING_REVIEW,
    State.BOUND,
    State.REFUSED,
)

# Verification ends when both e-mail and phone are proven; a refused sign-up may
# send a better licence and be checked again. The roles: the SME's own account
# ("sme"), an intake officer of the province ("intake").
TRANSITIONS = TransitionTable(
    [
        transition("verify", {State.VERIFYING}, State.AWAITING_LICENCE, "sme"),
        transition(
            "upload-licence", {State.AWAITING_LICENCE, State.REFUSED}, State.AWAITING_REVIEW, "sme"
        ),
        transition("approve", {State.AWAITING_REVIEW}, State.BOUND, "intake"),
        transition("refuse", {State.AWAITING_REVIEW}, State.REFUSED, "intake"),
        transition("close", OPEN, State.CLOSED, "sme"),
    ]
)
