"""Accountability referrals (问责移送): a body that keeps defaulting is referred
to its superior or supervising department (and, where the law says so, to the
discipline inspection and supervision organs), which answers by a date with
what it did (Regulations 2020 Art. 25-27 / 2025 Art. 31-35)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Referral(models.Model):
    class State(models.TextChoices):
        SENT = "sent", _("sent, awaiting the answer")
        ANSWERED = "answered", _("answered")

    class Outcome(models.TextChoices):
        ORDER_TO_CORRECT = "correct", _("ordered to correct")
        SANCTIONS = "sanctions", _("responsible staff sanctioned")
        NONE = "none", _("no measure taken")

    body = models.ForeignKey(
        "parties.Enterprise",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("body referred"),
    )
    case = models.ForeignKey(
        "supervision.SupervisionCase",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finding = models.ForeignKey(
        "publication.Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_to = models.CharField(_("referred to"), max_length=200)
    to_discipline_organs = models.BooleanField(
        _("also to the discipline inspection and supervision organs"), default=False
    )
    facts = models.TextField(_("facts"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENT)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_on = models.DateField(_("referred on"))
    response_working_days = models.PositiveSmallIntegerField(_("answer within (working days)"))
    response_due_on = models.DateField(_("answer due"))
    response_due_rule = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_text = models.TextField(_("what was done"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        ordering = ["-referred_on", "-pk"]
        verbose_name = _("accountability referral")
        verbose_name_plural = _("accountability referrals")
        constraints = [
            models.CheckConstraint(
                name="referral_from_case_or_finding",
                condition=models.Q(case__isnull=False, finding__isnull=True)
                | models.Q(case__isnull=True, finding__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.body} → {self.referred_to}"
