"""Supervision: the maintained figures behind the dashboards, laggard rules,
supervision cases (interviews, listed supervision) and public notices."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Grain(models.TextChoices):
    """The region level a tally row is kept at: every fact is counted once per grain."""

    PROVINCE = "p", _("province")
    CITY = "c", _("city")


class ComplaintTally(models.Model):
    """How many times a measured fact happened, per month × region × debtor type.

    A fact is a workflow action (received, accepted, resolved...) or a stage
    clock frozen met or breached. Kept in the transaction of the action itself
    (tallies.py) at two grains, so a national dashboard sums a few thousand
    province rows and a provincial one a few thousand city rows.
    """

    month = models.DateField()  # the first day of the month
    grain = models.CharField(max_length=1, choices=Grain.choices)
    region_code = models.CharField(max_length=6)
    debtor_type = models.CharField(max_length=12)
    measure = models.CharField(max_length=24)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "region_code", "month", "debtor_type", "measure"],
                name="complaint_tally_key",
            )
        ]
        indexes = [models.Index(fields=["grain", "month"], name="complaint_tally_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.region_code} {self.measure}: {self.count}"


class DepartmentTally(models.Model):
    """The same facts per handling department (only those a department takes part in)."""

    month = models.DateField()
    department = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    measure = models.CharField(max_length=24)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["department", "month", "measure"], name="department_tally_key"
            )
        ]
        indexes = [models.Index(fields=["month"], name="department_tally_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.department_id} {self.measure}: {self.count}"


class HandlingTimeTally(models.Model):
    """Handling times (days from the department's receipt to its result) as a
    histogram, so averages and percentiles are exact without reading complaints."""

    month = models.DateField()
    grain = models.CharField(max_length=1, choices=Grain.choices)
    region_code = models.CharField(max_length=6)
    days = models.PositiveIntegerField()
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "region_code", "month", "days"], name="handling_time_key"
            )
        ]
        indexes = [models.Index(fields=["grain", "month"], name="handling_time_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.region_code} {self.days} d: {self.count}"


class LedgerSnapshot(models.Model):
    """The ledger's figures per region at the end of a month (the current month:
    as of the last run of the snapshot job), for trends and the rule "undisputed
    arrears not falling"."""

    month = models.DateField()
    grain = models.CharField(max_length=1, choices=Grain.choices)
    region_code = models.CharField(max_length=6)
    identified_fen = models.BigIntegerField(default=0)
    cleared_fen = models.BigIntegerField(default=0)
    outstanding_fen = models.BigIntegerField(default=0)
    undisputed_outstanding_fen = models.BigIntegerField(default=0)
    legal_route_fen = models.BigIntegerField(default=0)
    # How many ledger items the amounts add up (the public site withholds an
    # amount of 1 to 4 items); None in the snapshots taken before it was kept.
    items = models.BigIntegerField(null=True)
    taken_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "region_code", "month"], name="ledger_snapshot_key"
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.region_code}"


class LaggardRule(models.Model):
    """A threshold that flags a jurisdiction or department as lagging.

    Thresholds are data, edited by the national administrator. A rate rule
    fires when the rate is strictly below the threshold; a count rule when the
    count is strictly above it; "not falling" when the undisputed outstanding
    arrears now are not below their level `months` months ago."""

    class Kind(models.TextChoices):
        ON_TIME_BELOW = "on_time_below", _("on-time rate below (%)")
        OVERDUE_ABOVE = "overdue_above", _("overdue deadlines now above")
        NOT_FALLING = "not_falling", _("undisputed outstanding arrears not falling for (months)")
        CLEARANCE_BELOW = "clearance_below", _("clearance rate below (%)")
        TARGET_SHARE_BELOW = "target_share_below", _("campaign target: share cleared below (%)")

    class Level(models.TextChoices):
        PROVINCE = "province", _("provinces")
        CITY = "city", _("cities")
        DEPARTMENT = "department", _("handling departments")

    class Stage(models.TextChoices):
        REVIEW = "review", _("review within 10 working days")
        TRANSFER = "transfer", _("transfer within 10 working days")
        HANDLING = "handling", _("handling within 30 days")

    kind = models.CharField(_("rule"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("applies to"), max_length=12, choices=Level.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, blank=True)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=2)
    window_months = models.PositiveSmallIntegerField(
        _("window (months)"),
        default=12,
        help_text=_("For rates: the months counted, this one included."),
    )
    active = models.BooleanField(_("active"), default=True)
    # For "campaign target" rules: the target whose share cleared is judged.
    target = models.ForeignKey(
        "CampaignTarget",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="laggard_rules",
        verbose_name=_("campaign target"),
    )

    class Meta:
        ordering = ["level", "kind", "pk"]
        verbose_name = _("laggard rule")
        verbose_name_plural = _("laggard rules")

    def __str__(self):
        return f"{self.get_kind_display()} {self.threshold} ({self.get_level_display()})"


class SupervisionCase(models.Model):
    """An interview (约谈) or a listed supervision (挂牌督办) of a jurisdiction,
    a handling department or a debtor."""

    class Kind(models.TextChoices):
        INTERVIEW = "interview", _("interview (约谈)")
        LISTED = "listed", _("listed supervision (挂牌督办)")

    class Subject(models.TextChoices):
        REGION = "region", _("jurisdiction")
        DEPARTMENT = "department", _("handling department")
        DEBTOR = "debtor", _("debtor")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        LIFTED = "lifted", _("lifted")  # listed supervision: 摘牌
        CONCLUDED = "concluded", _("concluded")  # interview: commitments met

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=10, choices=Subject.choices)
    # Where the subject is: the scope key for who sees the case.
    region_code = models.CharField(_("region"), max_length=6, db_index=True)
    department = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_cases",
        verbose_name=_("handling department"),
    )
    debtor = models.ForeignKey(
        "parties.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_cases",
        verbose_name=_("debtor"),
    )
    title = models.CharField(_("title"), max_length=200)
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opening_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opening organisation"),
    )
    opened_on = models.DateField(verbose_name=_("opened on"))
    # The deadline: `due_working_days` working days after opening, from the calendar.
    due_working_days = models.PositiveSmallIntegerField(verbose_name=_("due in working days"))
    due_on = models.DateField(_("due"))
    due_rule = models.TextField(blank=True, verbose_name=_("due rule"))
    due_provisional = models.BooleanField(default=False, verbose_name=_("due date provisional"))
    # Interview
    interview_on = models.DateField(_("interview date"), null=True, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    commitments = models.TextField(_("commitments"), blank=True)
    # Listed supervision
    listed_items = models.TextField(_("listed items"), blank=True)
    lift_conditions = models.TextField(_("conditions to lift"), blank=True)
    closed_on = models.DateField(null=True, blank=True, verbose_name=_("closed on"))
    version = models.PositiveIntegerField(default=0, verbose_name=_("version"))

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("supervision case")
        verbose_name_plural = _("supervision cases")

    def __str__(self):
        return self.title


class CaseEvent(models.Model):
    """One step in a case's history: opened, progress reported, interview recorded, lifted."""

    case = models.ForeignKey(SupervisionCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=20)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.case_id} {self.action}"


class PublicNotice(models.Model):
    """A notice (通报) drafted from a case, with the figures it cites, and its approval."""

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved for publication")
        REJECTED = "rejected", _("rejected")

    case = models.ForeignKey(
        SupervisionCase,
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("supervision case"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    figures = models.JSONField(_("figures"), default=dict)  # as cited when drafted
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING, verbose_name=_("state")
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    drafted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("drafted at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    decision_note = models.TextField(blank=True, verbose_name=_("decision note"))

    class Meta:
        ordering = ["-drafted_at", "-pk"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")

    def __str__(self):
        return self.title


class ReportDefinition(models.Model):
    """A periodic information report (信息报送): which figures, how often, by when."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")
        ANNUAL = "annual", _("annual")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    # Submissions are due this many working days after the period ends.
    due_working_days = models.PositiveSmallIntegerField(_("due (working days after the period)"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("report definition")
        verbose_name_plural = _("report definitions")

    def __str__(self):
        """The name in the reader's language (the Chinese name when none is given)."""
        in_chinese = (get_language() or "zh-hans").startswith("zh")
        return self.name if in_chinese or not self.name_en else self.name_en


class ReportFigure(models.Model):
    """One figure of a report definition: a key the platform can prefill."""

    definition = models.ForeignKey(
        ReportDefinition,
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("report definition"),
    )
    key = models.CharField(_("figure"), max_length=40)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("report figure")
        verbose_name_plural = _("report figures")
        constraints = [
            models.UniqueConstraint(fields=["definition", "key"], name="report_figure_key")
        ]

    def __str__(self):
        return self.key


class ReportingUnit(models.Model):
    """A body the periodic reports are due from (报送单位): by default the 31
    mainland provincial-level SME authorities; the national administrator adds
    the cities with separate planning status (and the Xinjiang Production and
    Construction Corps once it has an authority of its own), as MIIT's notices
    address them (DOMAIN.md §7a). A unit reports for every period that ends on
    or after `since`; a removed unit is kept inactive, for the record."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation__region_code", "pk"]

    def __str__(self):
        return f"{self.organisation} ({self.since:%Y-%m-%d})"


class ProvincialReport(models.Model):
    """A province's submission of one report for one period."""

    class State(models.TextChoices):
        DRAFT = "draft", _("not submitted")
        SUBMITTED = "submitted", _("submitted")

    definition = models.ForeignKey(
        ReportDefinition, on_delete=models.PROTECT, related_name="reports", verbose_name=_("report")
    )
    period_start = models.DateField(verbose_name=_("period start"))
    period_end = models.DateField(verbose_name=_("period end"))
    province_code = models.CharField(max_length=6, db_index=True, verbose_name=_("province code"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.DRAFT, verbose_name=_("state")
    )
    due_on = models.DateField(verbose_name=_("due on"))
    due_rule = models.TextField(blank=True, verbose_name=_("due rule"))
    due_provisional = models.BooleanField(default=False, verbose_name=_("due date provisional"))
    generated_at = models.DateTimeField(auto_now_add=True, verbose_name=_("generated at"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    version = models.PositiveIntegerField(default=0, verbose_name=_("version"))

    class Meta:
        ordering = ["-period_start", "definition", "province_code"]
        verbose_name = _("provincial report")
        verbose_name_plural = _("provincial reports")
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "period_start", "province_code"],
                name="report_once_per_period",
            )
        ]

    def __str__(self):
        return f"{self.definition} {self.period_start:%Y-%m} {self.province_code}"


class ReportValue(models.Model):
    """A figure as the platform prefilled it and as the province reports it.
    A reported value that differs from the prefilled one carries its reason.
    A unit the platform holds no records for (a platform-defined unit such as
    the Xinjiang Production and Construction Corps) enters its figures by hand:
    no prefilled value, and no value until it is entered."""

    report = models.ForeignKey(
        ProvincialReport, on_delete=models.CASCADE, related_name="values", verbose_name=_("report")
    )
    key = models.CharField(max_length=40, verbose_name=_("figure"))
    prefilled = models.BigIntegerField(null=True, blank=True, verbose_name=_("prefilled value"))
    value = models.BigIntegerField(null=True, blank=True, verbose_name=_("value"))
    reason = models.TextField(blank=True, verbose_name=_("reason"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("report value")
        verbose_name_plural = _("report values")
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="report_value_key"),
            models.CheckConstraint(
                name="report_value_change_has_reason",
                condition=models.Q(prefilled__isnull=True)
                | models.Q(value=models.F("prefilled"))
                | ~models.Q(reason=""),
            ),
        ]

    def __str__(self):
        return f"{self.report_id} {self.key}={self.value}"


class CampaignTarget(models.Model):
    """A dated clearance target set by the national administrator (DOMAIN.md §7a),
    e.g. "undisputed arrears below ¥5 million cleared by 30 June": the ledger items
    owed at least `min_owed_fen` and below `max_owed_fen`, of the debtor types and
    in the provinces named (none named: all), followed month by month."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", pgettext_lazy("campaign target", "closed")

    name = models.CharField(_("name"), max_length=200)
    min_owed_fen = models.BigIntegerField(_("owed at least (fen)"), null=True, blank=True)
    max_owed_fen = models.BigIntegerField(_("owed below (fen)"))
    # Space-separated codes, kept in order; empty means every province (every debtor type).
    province_codes = models.CharField(_("provinces"), max_length=400, blank=True)
    debtor_types = models.CharField(_("debtor types"), max_length=100, blank=True)
    starts_on = models.DateField(_("start date"))
    due_on = models.DateField(_("due date"))
    state = models.CharField(
        _("state"), max_length=8, choices=State.choices, default=State.OPEN, db_index=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_on", "-pk"]
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_owed_fen__gt=0), name="campaign_target_max_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(min_owed_fen__isnull=True)
                | models.Q(min_owed_fen__lt=models.F("max_owed_fen")),
                name="campaign_target_band",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")),
                name="campaign_target_dates",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def provinces(self) -> list[str]:
        return self.province_codes.split()

    @property
    def types(self) -> list[str]:
        return self.debtor_types.split()
