"""Complaints (登记投诉) about arrears owed to SMEs, their history, deadlines and evidence."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qingqian.parties.vocabulary import Notified, Subject


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    AWAITING_MATERIAL = "awaiting_material", _("awaiting material")
    ACCEPTED = "accepted", _("accepted")
    NOT_ACCEPTED = "not_accepted", _("not accepted")
    TRANSFERRED = "transferred", _("transferred")
    IN_HANDLING = "in_handling", _("in handling")
    RESULT_REVIEW = "result_review", _("result under review")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", pgettext_lazy("complaint state", "closed")
    TERMINATED = "terminated", _("terminated")


OPEN_STATES = frozenset(
    {
        State.SUBMITTED,
        State.AWAITING_MATERIAL,
        State.ACCEPTED,
        State.TRANSFERRED,
        State.IN_HANDLING,
        State.RESULT_REVIEW,
    }
)


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")
    FAX = "fax", _("fax")
    VISIT = "visit", _("visit")
    # Cases another body sends on, with that body's reference (转办编号).
    NATIONAL_PLATFORM = "national_platform", _("transferred from the national platform")
    INTERNET_SUPERVISION = (
        "internet_supervision",
        _('transferred from the State Council\'s "Internet + supervision" channel'),
    )


# Channels whose complaints arrive with the sending body's reference.
TRANSFERRED_CHANNELS = frozenset({Channel.NATIONAL_PLATFORM, Channel.INTERNET_SUPERVISION})


class NotAcceptedGround(models.TextChoices):
    """DOMAIN.md §3 (MIIT measures 工信部企业〔2021〕224号)."""

    NOT_PURCHASE = (
        "not_purchase",
        _("the debt does not arise from buying goods, works or services from an SME"),
    )
    TAKEN_UP = (
        "taken_up",
        _("a court, arbitration body, other agency or mediation body has already accepted it"),
    )
    ALREADY_DECIDED = "already_decided", _("a result was already given and no new facts are raised")
    OTHER_LEGAL = "other_legal", _("another legal exclusion")


class ResultKind(models.TextChoices):
    PAID = "paid", _("paid in full")
    PLAN = "plan", _("repayment plan agreed")
    DISPUTED = "disputed", _("disputed: referred to the legal route")
    OTHER = "other", _("other")
    PARTLY = "partly", _("partly confirmed, partly disputed")


class Complaint(models.Model):
    tracking_number = models.CharField(
        _("tracking number"), max_length=32, unique=True, null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(default=0)  # optimistic lock, bumped by every transition
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    source_reference = models.CharField(
        _("sender's reference"),
        max_length=100,
        blank=True,
        help_text=_("The reference of the body that transferred the complaint."),
    )

    complainant = models.ForeignKey(
        "parties.Enterprise",
        on_delete=models.PROTECT,
        related_name="complaints_made",
        verbose_name=_("complainant"),
    )
    debtor = models.ForeignKey(
        "parties.Enterprise",
        on_delete=models.PROTECT,
        related_name="complaints_against",
        verbose_name=pgettext_lazy("complaint", "debtor"),
        null=True,
        blank=True,
    )
    accepting_authority = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="complaints_accepted",
        null=True,
        blank=True,
        verbose_name=_("accepting authority"),
    )
    handling_department = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="complaints_handled",
        null=True,
        blank=True,
        verbose_name=_("handling department"),
    )
    # A draft's debtor as typed, while it does not yet name an enterprise (the
    # SME may not have the credit code at hand): shown again when the draft is
    # resumed; never read once a debtor is named. Keys as the debtor service's.
    debtor_as_entered = models.JSONField(default=dict, blank=True)
    # The accepting province's region code ("000000" for the national authority): the scope key.
    province_code = models.CharField(max_length=6, db_index=True, blank=True)
    # Where the debtor was and what it was when the complaint was submitted: the
    # keys the supervision figures count it under (fixed, so recounts agree).
    debtor_region_code = models.CharField(max_length=6, blank=True)
    debtor_type = models.CharField(max_length=12, blank=True)

    contract_number = models.CharField(_("contract number"), max_length=64, blank=True)
    contract_signed_on = models.DateField(_("contract signing date"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=10, choices=Subject.choices, blank=True)
    delivered_on = models.DateField(_("delivery or acceptance date"), null=True, blank=True)
    payment_due_on = models.DateField(_("agreed payment date"), null=True, blank=True)
    amount_owed_fen = models.BigIntegerField(_("amount owed (fen)"), null=True, blank=True)
    amount_paid_fen = models.BigIntegerField(_("amount already paid (fen)"), default=0)
    request_text = models.TextField(_("request"), blank=True)
    facts_text = models.TextField(_("facts"), blank=True)
    undertaking = models.BooleanField(
        _("no court, arbitration or mediation body has taken the matter up"), default=False
    )
    sme_notified_at_signing = models.CharField(
        _("SME status notified at signing"),
        max_length=8,
        choices=Notified.choices,
        default=Notified.UNKNOWN,
    )

    # Size of the complainant as of the signing date (2011 standard), fixed at submission.
    size_class = models.CharField(_("size class"), max_length=8, blank=True)
    size_reason = models.TextField(blank=True)  # the English record, as the CLI explains it
    # The same reasoning as data (standard, industry, each tier's comparisons, or
    # the error), to explain it in the reader's language.
    size_basis = models.JSONField(default=dict, blank=True)
    size_warning = models.BooleanField(default=False)

    not_accepted_ground = models.CharField(
        max_length=20, choices=NotAcceptedGround.choices, blank=True
    )
    result_kind = models.CharField(
        _("result"), max_length=10, choices=ResultKind.choices, blank=True
    )
    result_text = models.TextField(_("result details"), blank=True)
    # What the result establishes, in fen, within what the complaint says is
    # outstanding: the part the debtor confirmed (of which paid during handling,
    # and put in a repayment plan) and the part it disputes (for the legal route).
    result_confirmed_fen = models.BigIntegerField(_("amount confirmed (fen)"), default=0)
    result_disputed_fen = models.BigIntegerField(_("amount disputed (fen)"), default=0)
    result_paid_fen = models.BigIntegerField(_("amount paid during handling (fen)"), default=0)
    result_planned_fen = models.BigIntegerField(_("amount in a repayment plan (fen)"), default=0)
    result_basis = models.TextField(_("basis of the amounts"), blank=True)
    feedback_satisfied = models.BooleanField(null=True, blank=True)
    feedback_text = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(_("received by the handling department"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["province_code", "state"]),
            models.Index(fields=["debtor_region_code"], name="complaint_debtor_region"),
            # The duplicate check on filing (complaints/validation.open_duplicates).
            models.Index(Upper("contract_number"), "debtor", name="complaint_contract_debtor"),
        ]

    def __str__(self):
        return self.tracking_number or f"draft #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ComplaintEvent(models.Model):
    """One step of a complaint's history, as shown on its page. Internal notes
    are kept apart so that no SME or debtor view can show them."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=32)
    day = models.DateField(null=True)  # the date the action counts as taken on
    # The department holding the complaint when this happened (the returning one for a return).
    department = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    internal_note = models.TextField(blank=True)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["action", "day"], name="complaint_event_action_day")]

    def __str__(self):
        return f"{self.complaint} {self.action}"


class Deadline(models.Model):
    """A statutory clock: started when a stage starts, frozen met/breached when it ends."""

    class Stage(models.TextChoices):
        REVIEW = "review", _("review (accept or not) within 10 working days")
        TRANSFER = "transfer", _("transfer within 10 working days")
        HANDLING = "handling", _("handling within 30 days of receipt")
        SUPERVISION_ORDER = "supervision_order", _("supervision order")

    class Status(models.TextChoices):
        OPEN = "open", _("running")
        PAUSED = "paused", _("paused")
        MET = "met", _("met")
        BREACHED = "breached", _("breached")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="deadlines")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    # The clock: `count` units of `unit` after `start_on`, plus paused days.
    start_on = models.DateField()
    unit = models.CharField(max_length=12)  # "working_days" | "days"
    count = models.PositiveSmallIntegerField()
    paused_days = models.PositiveSmallIntegerField(default=0)
    paused_since = models.DateField(null=True, blank=True)
    due_on = models.DateField(db_index=True)
    rule = models.TextField()
    provisional = models.BooleanField(default=False)
    ended_on = models.DateField(null=True, blank=True)
    ended_by = models.CharField(max_length=32, blank=True)  # the action that stopped the clock
    # Who must act before the due date: the accepting authority or the department.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["start_on", "pk"]
        # "Overdue now" reads the few running clocks past due among hundreds of thousands.
        indexes = [models.Index(fields=["status", "due_on"], name="deadline_status_due")]

    def __str__(self):
        return f"{self.complaint} {self.stage} due {self.due_on}"


class Evidence(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class TrackingCounter(models.Model):
    """Gap-free sequence of tracking numbers per accepting province and year."""

    province_code = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "year"], name="tracking_counter_unique"
            )
        ]

    def __str__(self):
        return f"{self.province_code}/{self.year}: {self.last}"


class RoutingRule(models.Model):
    """Which authority accepts a complaint; the first matching rule by priority wins.

    A rule matches on the debtor being central (中央), the case crossing
    provinces, and/or the debtor's province. `authority` empty means "the
    provincial authority of the debtor's province"."""

    priority = models.PositiveSmallIntegerField(unique=True)
    debtor_central = models.BooleanField(null=True, blank=True)
    cross_province = models.BooleanField(null=True, blank=True)
    debtor_province_code = models.CharField(max_length=6, blank=True)
    authority = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True
    )
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["priority"]

    def __str__(self):
        return self.description
