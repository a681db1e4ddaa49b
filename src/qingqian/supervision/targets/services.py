"""Audited writes of campaign targets: the national administrator sets, edits and closes them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.rules import may_have_authority
from qingqian.core import audit, regions
from qingqian.core.scoping import scope_for
from qingqian.parties.vocabulary import DEBTOR_TYPES
from qingqian.supervision import verbs
from qingqian.supervision.models import CampaignTarget

FIELDS = (
    "name",
    "min_owed_fen",
    "max_owed_fen",
    "province_codes",
    "debtor_types",
    "starts_on",
    "due_on",
)


def target_provinces() -> list[tuple[str, str]]:
    """(code, name) of the provinces a target may name: those with an SME authority."""
    return [(r.code, r.name) for r in regions.provinces() if may_have_authority(r.code)]


@transaction.atomic
def campaign_target_create(
    *,
    actor,
    name: str,
    max_owed_fen: int,
    starts_on: date,
    due_on: date,
    min_owed_fen: int | None = None,
    provinces: list[str] = (),
    debtor_types: list[str] = (),
) -> CampaignTarget:
    """A new target, e.g. "undisputed arrears below ¥5 million cleared by 30 June"."""
    _require_national_admin(actor)
    target = CampaignTarget(created_by=actor if actor and actor.is_authenticated else None)
    _set(target, name, min_owed_fen, max_owed_fen, provinces, debtor_types, starts_on, due_on)
    target.save()
    audit.record(actor=actor, verb=verbs.TARGET_CREATE, target=target, payload=_payload(target))
    return target


@transaction.atomic
def campaign_target_edit(
    *,
    actor,
    target: CampaignTarget,
    name: str,
    max_owed_fen: int,
    starts_on: date,
    due_on: date,
    min_owed_fen: int | None = None,
    provinces: list[str] = (),
    debtor_types: list[str] = (),
) -> CampaignTarget:
    """Correct an open target; the progress is recomputed from the ledger, so nothing else moves."""
    _require_national_admin(actor)
    target = CampaignTarget.objects.select_for_update().get(pk=target.pk)
    if target.state == CampaignTarget.State.CLOSED:
        raise ValidationError(_("This target is closed: it can no longer be changed."))
    before = _payload(target)
    _set(target, name, min_owed_fen, max_owed_fen, provinces, debtor_types, starts_on, due_on)
    target.save()
    after = _payload(target)
    changed = sorted(key for key in after if after[key] != before[key])
    audit.record(
        actor=actor,
        verb=verbs.TARGET_EDIT,
        target=target,
        payload={**after, "changed": changed},
    )
    return target


@transaction.atomic
def campaign_target_close(*, actor, target: CampaignTarget) -> CampaignTarget:
    """Stop following a target (it stays readable, and its figures keep their meaning)."""
    _require_national_admin(actor)
    target = CampaignTarget.objects.select_for_update().get(pk=target.pk)
    if target.state == CampaignTarget.State.CLOSED:
        raise ValidationError(_("This target is already closed."))
    target.state = CampaignTarget.State.CLOSED
    target.closed_on = timezone.localdate()
    target.save(update_fields=["state", "closed_on"])
    audit.record(
        actor=actor,
        verb=verbs.TARGET_CLOSE,
        target=target,
        payload={"closed_on": target.closed_on},
    )
    return target


# --- private -----------------------------------------------------------------------


def _set(target, name, min_owed_fen, max_owed_fen, provinces, debtor_types, starts_on, due_on):
    """Check every field, name each problem, and only then change the target."""
    name = (name or "").strip()
    provinces, debtor_types = list(dict.fromkeys(provinces)), list(dict.fromkeys(debtor_types))
    errors = {}
    if not name:
        errors["name"] = _("Name the target.")
    elif len(name) > CampaignTarget._meta.get_field("name").max_length:
        errors["name"] = _("The name is too long.")
    if not _amount(max_owed_fen) or max_owed_fen <= 0:
        errors["max_owed_fen"] = _("Enter the upper bound of the amount band, more than zero.")
    elif min_owed_fen is not None and (not _amount(min_owed_fen) or min_owed_fen < 0):
        errors["min_owed_fen"] = _("Enter a lower bound of zero or more, or leave it empty.")
    elif min_owed_fen is not None and min_owed_fen >= max_owed_fen:
        errors["min_owed_fen"] = _("The lower bound must be below the upper bound.")
    if not isinstance(starts_on, date):
        errors["starts_on"] = _("Enter the start date.")
    if not isinstance(due_on, date):
        errors["due_on"] = _("Enter the due date.")
    elif isinstance(starts_on, date) and due_on < starts_on:
        errors["due_on"] = _("The due date cannot be before the start date.")
    allowed = {code for code, _name in target_provinces()}
    if any(code not in allowed for code in provinces):
        errors["provinces"] = _("Choose provinces that have an SME authority.")
    if any(kind not in DEBTOR_TYPES for kind in debtor_types):
        errors["debtor_types"] = _("Choose debtor types from the list.")
    if errors:
        raise ValidationError(errors)
    target.name, target.min_owed_fen, target.max_owed_fen = name, min_owed_fen, max_owed_fen
    target.province_codes = " ".join(sorted(provinces))
    target.debtor_types = " ".join(str(kind) for kind in debtor_types)
    target.starts_on, target.due_on = starts_on, due_on


def _amount(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _payload(target: CampaignTarget) -> dict:
    return {name: getattr(target, name) for name in FIELDS}


def may_set_targets(actor) -> bool:
    """The national administrator (or the system itself: actor None)."""
    return actor is None or (actor.is_administrator and scope_for(actor).everything)


def _require_national_admin(actor) -> None:
    if not may_set_targets(actor):
        raise PermissionDenied(_("Only the national administrator sets campaign targets."))
