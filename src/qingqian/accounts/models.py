"""Organisations (a tree), the people who act for them, and API tokens."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """An SME authority at some level, a handling department attached to one, or a
    legal service that gives SMEs legal aid in the region of the authority it sits under."""

    class Kind(models.TextChoices):
        NATIONAL_AUTHORITY = "national", _("national SME authority")
        PROVINCIAL_AUTHORITY = "provincial", _("provincial SME authority")
        CITY_AUTHORITY = "city", _("city SME authority")
        COUNTY_AUTHORITY = "county", _("county SME authority")
        HANDLING_DEPARTMENT = "department", _("handling department")
        LEGAL_SERVICE = "legal", _("legal service")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region_code = models.CharField(_("region code"), max_length=6, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    # Materialised path of ancestor ids ("/1/7/12/"): subtree = path prefix.
    path = models.CharField(
        max_length=255, db_index=True, editable=False, verbose_name=_("tree path")
    )
    # Never deleted (complaints, ledgers and the audit trail point at it): a unit
    # that is closed or merged is deactivated once its open work is transferred.
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name")]

    def __str__(self):
        return self.name

    @property
    def accepts_complaints(self) -> bool:
        """Art. 24: provincial-level or higher SME authorities accept complaints."""
        return self.kind in {self.Kind.NATIONAL_AUTHORITY, self.Kind.PROVINCIAL_AUTHORITY}


class Role(models.TextChoices):
    SME = "sme", _("SME user")
    DEBTOR = "debtor", _("debtor representative")
    INTAKE = "intake", _("intake officer")
    HANDLER = "handler", _("handler")
    SUPERVISOR = "supervisor", _("supervisor")
    ADMIN = "admin", _("administrator")
    ADVISER = "adviser", _("legal adviser")


OFFICIAL_ROLES = frozenset({Role.INTAKE, Role.HANDLER, Role.SUPERVISOR, Role.ADMIN})
# The people of an organisation an administrator places and manages: officials,
# and the legal advisers of a legal service (who are not officials: no scope).
STAFF_ROLES = OFFICIAL_ROLES | {Role.ADVISER}
ENTERPRISE_ROLES = frozenset({Role.SME, Role.DEBTOR})


class User(AbstractUser):
    """A person. Officials belong to an organisation; SME users and debtor
    representatives to an enterprise. The role fixes what they may do, the
    organisation or enterprise fixes where."""

    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
    )
    enterprise = models.ForeignKey(
        "parties.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representatives",
        verbose_name=_("enterprise"),
    )
    # An SME account that signed up itself names the enterprise it asked to act
    # for; `enterprise` stays empty (the account sees nothing of it and files
    # nothing for it) until an intake officer of its province binds it.
    enterprise_claimed = models.ForeignKey(
        "parties.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimants",
        verbose_name=_("enterprise asked for"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Only the demo seeding sets this, so that the demo's officials sign in with a
    # password alone; production mode refuses to start while an active account has it.
    two_factor_exempt = models.BooleanField(_("exempt from two-factor sign-in"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_official_or_enterprise",
                condition=(
                    models.Q(role__in=["sme", "debtor"], enterprise__isnull=False)
                    | models.Q(role="sme", enterprise_claimed__isnull=False)
                    | models.Q(
                        role__in=["intake", "handler", "supervisor", "admin", "adviser"],
                        organisation__isnull=False,
                    )
                    | models.Q(is_superuser=True)
                ),
            )
        ]

    @property
    def is_official(self) -> bool:
        return self.role in OFFICIAL_ROLES

    @property
    def is_unbound_sme(self) -> bool:
        """Signed up for an enterprise, not yet bound to it: calculators and drafts only."""
        return self.role == Role.SME and self.enterprise_id is None

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    key_hash = models.CharField(max_length=64, unique=True, verbose_name=_("key hash"))
    prefix = models.CharField(max_length=8, verbose_name=_("prefix"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"
