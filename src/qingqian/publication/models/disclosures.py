"""Annual disclosures of overdue SME payments (Regulations 2020 Art. 16 / 2025 Art. 18).

* `DisclosurePeriod`: the rules of one year's disclosure for one group of filers
  (agencies and public institutions by 31 March; large enterprises in their
  annual report, 1 January – 30 June), with the reminders, the cross-check
  tolerance the national administrator sets, and the legal source. Data, not code.
* `Disclosure`: one body's disclosure for one period; its figures live in its
  versions. A correction is a new version, never an edit of an earlier one.
* `DisclosureVersion`: what was filed, beside what the ledger said at the year
  end when it was filed (the prefill); every figure changed from the prefill
  carries its reason.
* `DisclosureFlag`: a version that contradicts the ledger, for the supervising
  authority, with the ledger items behind it (`DisclosureFlagItem`).

Money is integer fen. Figures are "at year end": 31 December of `period.year`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qingqian.parties.models import Enterprise

MAX_EXPLANATION = 500


class FilerGroup(models.TextChoices):
    PUBLIC = "public", _("agencies and public institutions")
    ENTERPRISE = "enterprise", _("large enterprises")


# Which enterprise types file in which group (state-owned enterprises report
# like large enterprises, in their annual report).
FILER_TYPES = {
    FilerGroup.PUBLIC: (Enterprise.Type.AGENCY, Enterprise.Type.INSTITUTION),
    FilerGroup.ENTERPRISE: (Enterprise.Type.LARGE, Enterprise.Type.STATE_OWNED),
}


def filer_group_of(enterprise_type: str) -> str | None:
    for group, types in FILER_TYPES.items():
        if enterprise_type in types:
            return group
    return None


class DisclosurePeriod(models.Model):
    """One year's disclosure for one group of filers: when it opens, when it is due."""

    year = models.PositiveSmallIntegerField(_("year disclosed"))
    filer_group = models.CharField(_("who files"), max_length=12, choices=FilerGroup.choices)
    opens_on = models.DateField(_("filing opens on"))
    due_on = models.DateField(_("due on"))
    # Reminders to the bodies that have not filed, in working days.
    remind_before_working_days = models.PositiveSmallIntegerField(
        _("reminder before the due date (working days)"), default=10
    )
    remind_after_working_days = models.PositiveSmallIntegerField(
        _("reminder after the due date (working days)"), default=5
    )
    # The cross-check: a disclosed amount differing from the ledger by more than
    # the larger of these is flagged.
    tolerance_fen = models.BigIntegerField(_("tolerance (fen)"), default=0)
    tolerance_percent = models.DecimalField(
        _("tolerance (percent of the ledger amount)"), max_digits=5, decimal_places=2, default=0
    )
    source = models.CharField(_("legal source"), max_length=300)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "filer_group"]
        verbose_name = _("disclosure period")
        verbose_name_plural = _("disclosure periods")
        constraints = [
            models.UniqueConstraint(fields=["year", "filer_group"], name="disclosure_period_once"),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opens_on")), name="disclosure_period_dates"
            ),
            models.CheckConstraint(
                condition=Q(tolerance_fen__gte=0, tolerance_percent__gte=0),
                name="disclosure_tolerance_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_filer_group_display()}"

    @property
    def year_end(self) -> date:
        return date(self.year, 12, 31)


class Disclosure(models.Model):
    """One body's disclosure for one period (its figures are in its versions)."""

    class State(models.TextChoices):
        FILED = "filed", _("filed")

    period = models.ForeignKey(
        DisclosurePeriod, on_delete=models.PROTECT, related_name="disclosures"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("body")
    )
    # Copied from the body when first filed: the authority that sees it.
    region_code = models.CharField(_("region code"), max_length=6)
    province_code = models.CharField(_("province"), max_length=6, db_index=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.FILED)
    current_version = models.PositiveIntegerField(default=1)
    first_filed_on = models.DateField(_("first filed on"))
    filed_late = models.BooleanField(_("filed after the due date"), default=False)

    class Meta:
        ordering = ["-period__year", "enterprise__name", "pk"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        constraints = [
            models.UniqueConstraint(fields=["period", "enterprise"], name="disclosure_once")
        ]

    def __str__(self):
        return f"{self.period} {self.enterprise_id}"


class DisclosureVersion(models.Model):
    """The figures as filed, with the prefill from the ledger and the reasons for each change."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    has_overdue = models.BooleanField(_("has overdue unpaid SME contracts"))
    overdue_count = models.PositiveIntegerField(_("number at year end"))
    overdue_amount_fen = models.BigIntegerField(_("amount at year end (fen)"))
    explanation = models.CharField(_("explanation"), max_length=MAX_EXPLANATION, blank=True)
    prefilled_count = models.PositiveIntegerField()
    prefilled_amount_fen = models.BigIntegerField()
    count_reason = models.CharField(_("reason for the number"), max_length=1000, blank=True)
    amount_reason = models.CharField(_("reason for the amount"), max_length=1000, blank=True)
    correction_reason = models.CharField(
        _("reason for the correction"), max_length=1000, blank=True
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    filed_on = models.DateField()

    class Meta:
        ordering = ["disclosure", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "number"], name="disclosure_version_once"
            ),
            models.CheckConstraint(
                condition=Q(overdue_amount_fen__gte=0), name="disclosure_amount_not_negative"
            ),
            # "None" means none: no number, no amount.
            models.CheckConstraint(
                condition=Q(has_overdue=True) | Q(overdue_count=0, overdue_amount_fen=0),
                name="disclosure_none_is_zero",
            ),
            models.CheckConstraint(
                condition=Q(overdue_count=F("prefilled_count")) | ~Q(count_reason=""),
                name="disclosure_count_change_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(overdue_amount_fen=F("prefilled_amount_fen")) | ~Q(amount_reason=""),
                name="disclosure_amount_change_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(correction_reason=""),
                name="disclosure_correction_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.disclosure_id} v{self.number}"


class DisclosureFlag(models.Model):
    """A filed version contradicting the ledger, for the supervising authority."""

    class Kind(models.TextChoices):
        NONE_BUT_OVERDUE = "none_overdue", _("says none, the ledger holds overdue items")
        AMOUNT_DIFFERS = "amount", _("amount differs from the ledger beyond the tolerance")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed by the authority")
        SUPERSEDED = "superseded", _("superseded by a correction")

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="flags")
    version = models.OneToOneField(DisclosureVersion, on_delete=models.CASCADE, related_name="flag")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region_code = models.CharField(max_length=6)
    province_code = models.CharField(max_length=6, db_index=True)
    declared_amount_fen = models.BigIntegerField()
    ledger_count = models.PositiveIntegerField()
    ledger_amount_fen = models.BigIntegerField()
    tolerance_applied_fen = models.BigIntegerField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("disclosure flag")
        verbose_name_plural = _("disclosure flags")
        indexes = [models.Index(fields=["province_code", "state"], name="disclosure_flag_prov")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.disclosure_id})"

    @property
    def difference_fen(self) -> int:
        return self.declared_amount_fen - self.ledger_amount_fen


class DisclosureFlagItem(models.Model):
    """One ledger item behind a flag, with what it still owed at the year end."""

    flag = models.ForeignKey(DisclosureFlag, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("ledger.LedgerItem", on_delete=models.PROTECT, related_name="+")
    outstanding_fen = models.BigIntegerField()

    class Meta:
        ordering = ["flag", "item"]
        constraints = [
            models.UniqueConstraint(fields=["flag", "item"], name="disclosure_flag_item_once")
        ]

    def __str__(self):
        return f"{self.flag_id}: {self.item_id}"
