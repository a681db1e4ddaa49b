"""Models of training (see qingqian.services.training): events an SME authority
organises on the Regulations, the SMEs' registrations (with a waiting list) and the
materials handed out."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qingqian.accounts.models import Organisation
from qingqian.parties.models import Enterprise

__all__ = ["TrainingEvent", "TrainingMaterial", "TrainingRegistration"]


class TrainingEvent(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")
        HELD = "held", _("held")

    class Topic(models.TextChoices):
        REGULATIONS = "regulations", _("interpretation of the Regulations")
        PAYMENT_TERMS = "payment_terms", _("payment terms and contracts")
        COMPLAINTS = "complaints", _("complaints and how they are handled")
        LEGAL_SERVICES = "legal_services", _("legal services and dispute resolution")
        OTHER = "other", _("other")

    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="training_events",
        verbose_name=_("organiser"),
    )
    # The organiser's province ("000000" for the national authority): what the
    # public list is filtered by.
    province_code = models.CharField(_("province"), max_length=6, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("seats"))
    registration_closes_at = models.DateTimeField(_("registration closes at"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    cancellation_note = models.TextField(_("why it is cancelled"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="training_event_ends_after"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="training_event_has_seats"),
        ]

    def __str__(self):
        return self.title


class TrainingRegistration(models.Model):
    class State(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")
        ATTENDED = "attended", _("attended")
        ABSENT = "absent", _("absent")

    event = models.ForeignKey(TrainingEvent, on_delete=models.PROTECT, related_name="registrations")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_registrations"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    # The order of the waiting list: numbers handed out in turn per event, kept
    # after promotion so the record shows how the seat was obtained.
    waitlist_number = models.PositiveIntegerField(_("waiting list number"), null=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("training registration")
        verbose_name_plural = _("training registrations")
        constraints = [
            # One live registration per person and event; a cancelled one may be
            # followed by a new one.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(state="cancelled"),
                name="training_registration_one_live",
            ),
        ]

    def __str__(self):
        return f"{self.event_id}/{self.user_id}"


class TrainingMaterial(models.Model):
    """A file (checked like evidence) or a link, shown on the event's public page."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.PROTECT, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    stored_name = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(stored_name="")) | (~Q(url="") & Q(stored_name="")),
                name="training_material_file_or_link",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.stored_name)
