"""Words that complaints and the ledger both use about a contract and its parties.

They live here, below both apps, so that the ledger never imports complaints:
a complaint's contract becomes a ledger item with the same subject, notification
answer and debtor type. The values are stored in both apps' tables; the
migrations hold them as plain choices, so moving a class here changes no column.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qingqian.core.coverage import may_be_covered
from qingqian.parties.models import Enterprise


class Subject(models.TextChoices):
    GOODS = "goods", _("goods")
    WORKS = "works", _("works")
    SERVICES = "services", _("services")


class Notified(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("not known")


# The enterprise types a complaint or a ledger item may name as the debtor: those
# the coverage rule does not exclude whatever their size (core.coverage).
DEBTOR_TYPES = tuple(kind for kind in Enterprise.Type if may_be_covered(kind))
DEBTOR_TYPE_CHOICES = [(kind, kind.label) for kind in DEBTOR_TYPES]
