"""Reference tables that the pure rules read (calendar, LPR, regions) and the audit log."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(models.Model):
    """One change to the platform's state, chained to the one before it by an
    HMAC keyed outside the database (qingqian.core.audit)."""

    # Events written before the chain was keyed carry a plain SHA-256.
    SCHEME_SHA256 = "sha256"
    SCHEME_HMAC = "hmac-sha256"

    seq = models.BigIntegerField(unique=True, editable=False, verbose_name=_("sequence number"))
    occurred_at = models.DateTimeField(editable=False, db_index=True, verbose_name=_("occurred at"))
    actor = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    verb = models.CharField(max_length=64, db_index=True, verbose_name=_("action"))
    target_type = models.CharField(max_length=64, blank=True, verbose_name=_("target type"))
    target_id = models.CharField(max_length=64, blank=True, verbose_name=_("target id"))
    payload = models.JSONField(default=dict, verbose_name=_("details"))
    # The client's address for a change made in a web or API request; '' otherwise.
    client_address = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("client address")
    )
    scheme = models.CharField(max_length=16, editable=False, verbose_name=_("signature scheme"))
    # Which audit key signed the event: a fingerprint, never the key itself.
    key_id = models.CharField(max_length=16, blank=True, editable=False, verbose_name=_("key id"))
    prev_hash = models.CharField(max_length=64, verbose_name=_("previous hash"))
    hash = models.CharField(max_length=64, unique=True, verbose_name=_("hash"))

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"#{self.seq} {self.verb} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


class AuditHead(models.Model):
    """A single row holding the chain's tip; locked while an event is appended."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self):
        return f"audit head #{self.seq}"


class FiguresVersion(models.Model):
    """The public figures' version: the sum of `bumps` over all rows.

    Every transaction that changes a public figure (a tally, a ledger total, a
    ledger snapshot, a notice's publication) adds one to some row
    (`qingqian.core.figures_version.bump`), which makes every cached public page
    keyed by the old sum unreachable. Several rows, each writer taking one that no
    other open transaction holds (SKIP LOCKED on PostgreSQL): no single hot row
    for concurrent complaint acts and ledger imports to queue on (ADR 0010)."""

    bumps = models.BigIntegerField(default=0)

    def __str__(self):
        return f"figures version row #{self.pk}: {self.bumps}"


class CalendarYear(models.Model):
    """A year whose official schedule (holidays and make-up working days) is entered."""

    year = models.PositiveSmallIntegerField(primary_key=True, verbose_name=_("year"))
    source = models.CharField(_("source"), max_length=200)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the Monday-Friday week: a holiday, or a weekend day worked (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday")
        WORKDAY = "workday", _("make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"


class LprRate(models.Model):
    """One-year Loan Prime Rate, in force from `effective_from` until the next row."""

    effective_from = models.DateField(_("effective from"), unique=True)
    rate_percent = models.DecimalField(_("rate (% a year)"), max_digits=6, decimal_places=4)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["effective_from"]
        verbose_name = _("one-year LPR")
        verbose_name_plural = _("one-year LPR")

    def __str__(self):
        return f"{self.effective_from} {self.rate_percent}%"


class Region(models.Model):
    """A county-level division imported by an administrator (provinces and
    prefectures ship with the package in core/data)."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["code"]
        verbose_name = _("county-level region")
        verbose_name_plural = _("county-level regions")

    def __str__(self):
        return f"{self.code} {self.name}"


class OutboxEntry(models.Model):
    """Work a change calls for, written in the change's own transaction when
    the queue lives outside the database (Redis): the entry exists exactly when
    the change does, and the relay sends it to the queue after the commit, or
    later if the queue was unreachable (qingqian.core.outbox)."""

    task_path = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)  # its task ran to the end
    attempts = models.PositiveIntegerField(default=0)  # failed sends
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"], name="core_outbox_pending", condition=models.Q(sent_at=None)
            )
        ]

    def __str__(self):
        return f"outbox #{self.pk}: {self.task_path}"


class OutboxEffect(models.Model):
    """A side effect outside the database (an e-mail) that the task of an
    outbox entry has done: a second run of the same entry skips it."""

    entry = models.ForeignKey(OutboxEntry, on_delete=models.CASCADE, related_name="effects")
    name = models.CharField(max_length=200)
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "name"], name="core_outbox_effect_once")
        ]

    def __str__(self):
        return f"outbox #{self.entry_id}: {self.name}"


class PeriodicRun(models.Model):
    """One periodic job claimed for one period: the unique row is the lock that
    lets any number of schedulers run each job once per period."""

    job = models.CharField(max_length=60)
    period = models.CharField(max_length=40)
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="core_periodic_run_once")
        ]

    def __str__(self):
        return f"{self.job} for {self.period}"
