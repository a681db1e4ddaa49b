"""Models of legal aid and consulting (see qingqian.services.legalaid).

An SME asks for legal aid or consulting; the request goes to the legal service
covering its region most specifically (or waits in the authorities' queue), which
answers within a number of working days, sets an appointment and records the
outcome; the SME rates it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["AidCoverage", "AidRequest"]


class AidCoverage(models.Model):
    """One region a legal service covers besides its own: a province's code covers
    the province, a city's the city."""

    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="aid_coverage",
        verbose_name=_("legal service"),
    )
    region_code = models.CharField(_("region code"), max_length=6)

    class Meta:
        verbose_name = _("legal aid coverage")
        verbose_name_plural = _("legal aid coverage")
        constraints = [
            models.UniqueConstraint(fields=["provider", "region_code"], name="aid_coverage_once")
        ]

    def __str__(self):
        return f"{self.provider} {self.region_code}"


class AidRequest(models.Model):
    class Kind(models.TextChoices):
        LEGAL_AID = "aid", _("legal aid")
        CONSULTING = "consulting", _("consulting")

    class Topic(models.TextChoices):
        PAYMENT_TERM = "payment_term", _("payment term")
        INTEREST = "interest", _("late-payment interest")
        EVIDENCE = "evidence", _("evidence")
        LITIGATION = "litigation", _("litigation or arbitration")
        CONFIRMATION = "confirmation", _("receivable confirmation")
        OTHER = "other", _("other")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("normal")
        URGENT = "urgent", _("urgent")

    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ACCEPTED = "accepted", _("accepted")
        APPOINTMENT_SET = "appointment_set", _("appointment set")
        COMPLETED = "completed", _("completed")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Place(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")

    enterprise = models.ForeignKey(
        "parties.Enterprise",
        on_delete=models.PROTECT,
        related_name="aid_requests",
        verbose_name=_("enterprise"),
    )
    requested_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="aid_requests",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=14, choices=Topic.choices)
    description = models.TextField(_("description"))
    region_code = models.CharField(_("region code"), max_length=6, db_index=True)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("linked complaint"),
    )
    ledger_item = models.ForeignKey(
        "ledger.LedgerItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("linked ledger item"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.REQUESTED, db_index=True
    )
    # None: no legal service covers the region; the authorities' queue holds it.
    provider = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aid_requests",
        verbose_name=_("legal service"),
    )
    submitted_on = models.DateField(_("submitted on"))
    answer_due_on = models.DateField(_("answer due on"))
    answer_due_rule = models.CharField(_("rule of the answer deadline"), max_length=300)
    answer_due_provisional = models.BooleanField(default=False)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    # Set by the daily sweep once the answer is late; frozen when it is answered.
    overdue = models.BooleanField(_("overdue"), default=False)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    appointment_place = models.CharField(
        _("where"), max_length=10, choices=Place.choices, blank=True
    )
    appointment_note = models.TextField(_("appointment note"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the rating"), blank=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("legal aid request")
        verbose_name_plural = _("legal aid requests")
        constraints = [
            models.CheckConstraint(
                name="aid_rating_1_to_5",
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"
