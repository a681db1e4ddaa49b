"""Typical cases (典型案例): a closed complaint retold, masked, approved and published
to deter malicious arrears or to hold good practice up as an example."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TypicalCase(models.Model):
    class Kind(models.TextChoices):
        EXPOSURE = "exposure", _("malicious arrears exposed")
        GOOD_PRACTICE = "good_practice", _("good practice (positive example)")

    class State(models.TextChoices):
        DRAFTED = "drafted", _("drafted")
        REVIEWED = "reviewed", _("reviewed")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFTED, db_index=True
    )
    version = models.PositiveIntegerField(default=0)  # bumped by every change
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("complaint"),
    )
    # The complaint's province: the scope key (officials see the cases of their region).
    region_code = models.CharField(_("region code"), max_length=6, db_index=True)
    # The complaint's own words as they were when drafted: internal, never published;
    # reviewers compare it with the masked text.
    source_text = models.TextField(_("original text"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))  # masked; the drafter may edit while drafted
    name_debtor = models.BooleanField(_("name the debtor"), default=False)  # the approver's
    published_title = models.CharField(_("published title"), max_length=200, blank=True)
    published_text = models.TextField(_("published text"), blank=True)
    return_note = models.TextField(_("reason for returning"), blank=True)
    withdrawal_note = models.TextField(_("public note on withdrawal"), blank=True)

    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reviewed_at = models.DateTimeField(null=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    approved_at = models.DateTimeField(null=True)
    published_at = models.DateTimeField(null=True)
    withdrawn_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-drafted_at", "-pk"]
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")

    def __str__(self):
        return self.title
