"""Enterprises: SMEs that are owed money and the debtors that owe it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Size(models.TextChoices):
    """The classes of the size standard (core.sizeclass)."""

    LARGE = "large", _("large enterprise")
    MEDIUM = "medium", _("medium enterprise")
    SMALL = "small", _("small enterprise")
    MICRO = "micro", _("micro enterprise")


class Enterprise(models.Model):
    """A party keyed by its unified social credit code (USCC)."""

    class Type(models.TextChoices):
        AGENCY = "agency", _("government agency")
        INSTITUTION = "institution", _("public institution")
        LARGE = "large", _("large enterprise")
        STATE_OWNED = "soe", _("state-owned enterprise")
        SME = "sme", _("SME")
        OTHER = "other", _("other")

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    region_code = models.CharField(_("region code"), max_length=6, db_index=True)
    # Central (中央) agencies, institutions and SOEs are handled nationally.
    is_central = models.BooleanField(_("central-level unit"), default=False)
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    # Size facts (划型), as last declared; the classification itself is computed
    # per contract signing date by qingqian.core.sizeclass.
    industry = models.CharField(_("industry"), max_length=40, blank=True)
    staff = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    revenue_wan = models.DecimalField(
        _("revenue (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    assets_wan = models.DecimalField(
        _("total assets (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # The enterprise's own size self-test (at sign-up): the class the standard in
    # force that day gave its declared facts, and that day. A complaint still
    # classifies by its contract signing date.
    # db_default: the bulk registration's raw insert leaves it out.
    size_declared = models.CharField(
        _("declared size"), max_length=8, choices=Size.choices, blank=True, db_default=""
    )
    size_declared_on = models.DateField(_("size declared on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.name
