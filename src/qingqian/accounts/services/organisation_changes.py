"""Audited changes to units that exist: rename, move, deactivate, reactivate,
and the transfer of their open work. Each acts only on a unit the actor
manages (selectors.organisations_managed); any other is a 404."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingqian.accounts import open_work, selectors, verbs
from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, require_perm
from qingqian.accounts.rules import ALLOWED_PARENT_KINDS
from qingqian.accounts.services.organisations import require_holder
from qingqian.core import audit, figures_version
from qingqian.core.scoping import region_prefix

MAX_NAME_LENGTH = Organisation._meta.get_field("name").max_length


def _managed(actor, organisation: Organisation) -> Organisation:
    """The unit again, locked, or 404 if the actor does not manage it."""
    require_perm(actor, Perm.ORGANISATION_MANAGE)
    selectors.organisation_managed_get(actor=actor, pk=organisation.pk)
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


@transaction.atomic
def organisation_rename(*, actor, organisation: Organisation, name: str) -> Organisation:
    organisation = _managed(actor, organisation)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the organisation's name.")})
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError({"name": _("The name is too long.")})
    _require_free_name(organisation.parent, name, organisation)
    old_name, organisation.name = organisation.name, name
    organisation.save(update_fields=["name"])
    figures_version.bump()  # a published notice names its authority on the public pages
    audit.record(
        actor=actor,
        verb=verbs.ORGANISATION_RENAME,
        target=organisation,
        payload={"from": old_name, "to": name},
    )
    return organisation


def _require_free_name(parent, name: str, organisation: Organisation) -> None:
    siblings = Organisation.objects.filter(parent=parent, name=name).exclude(pk=organisation.pk)
    if siblings.exists():
        raise ValidationError(
            {"name": _("The parent organisation already has a unit of this name.")}
        )


@transaction.atomic
def organisation_move(*, actor, organisation: Organisation, parent: Organisation) -> Organisation:
    """Put the unit (and everything below it) under another parent."""
    organisation = _managed(actor, organisation)
    require_holder(actor, parent, "parent")
    if parent.path.startswith(organisation.path):
        raise ValidationError({"parent": _("A unit cannot move below itself.")})
    if parent.kind not in ALLOWED_PARENT_KINDS[organisation.kind]:
        raise ValidationError(
            {"parent": _("This kind of organisation cannot sit under that parent.")}
        )
    if not organisation.region_code.startswith(region_prefix(parent.region_code)):
        raise ValidationError(
            {"parent": _("The unit's region does not lie within that parent's region.")}
        )
    _require_free_name(parent, organisation.name, organisation)
    old_parent, old_path = organisation.parent_id, organisation.path
    new_path = f"{parent.path}{organisation.pk}/"
    # One UPDATE for the whole subtree: swap the old path prefix for the new one.
    moved = selectors.organisation_subtree(organisation).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
    )
    organisation.parent, organisation.path = parent, new_path
    organisation.save(update_fields=["parent"])
    audit.record(
        actor=actor,
        verb=verbs.ORGANISATION_MOVE,
        target=organisation,
        payload={"from_parent": old_parent, "to_parent": parent.pk, "units_moved": moved},
    )
    return organisation


@transaction.atomic
def organisation_deactivate(*, actor, organisation: Organisation) -> Organisation:
    """Close a unit and the units below it. Refused while any of them that is
    still active holds open work or active staff: transfer the work and move
    the staff first. Nothing is deleted."""
    organisation = _managed(actor, organisation)
    if not organisation.is_active:
        raise ValidationError({"is_active": _("This organisation is already deactivated.")})
    units = selectors.organisation_active_subtree(organisation)
    _refuse_while_open(units)
    closed = list(units.filter(is_active=True).values_list("pk", flat=True))
    Organisation.objects.filter(pk__in=closed).update(is_active=False)
    organisation.is_active = False
    audit.record(
        actor=actor,
        verb=verbs.ORGANISATION_DEACTIVATE,
        target=organisation,
        payload={"deactivated": closed},
    )
    return organisation


def _refuse_while_open(units) -> None:
    errors = {}
    open_counts = open_work.counts(units)
    if any(open_counts.values()):
        labels = {kind.name: kind.label for kind in open_work.kinds()}
        listed = "; ".join(f"{labels[name]}: {n}" for name, n in open_counts.items() if n)
        errors["open_work"] = _(
            "The unit (or a unit below it) still has open work (%(listed)s). "
            "Transfer it to another unit first."
        ) % {"listed": listed}
    staff = selectors.active_staff_count(units)
    if staff:
        errors["staff"] = ngettext(
            "%(count)d active staff account still belongs to the unit or a unit below it. "
            "Move or deactivate it on the staff pages first.",
            "%(count)d active staff accounts still belong to the unit or a unit below it. "
            "Move or deactivate them on the staff pages first.",
            staff,
        ) % {"count": staff}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organisation_reactivate(*, actor, organisation: Organisation) -> Organisation:
    """Open a deactivated unit again (only that unit: those below stay closed
    until each is reactivated)."""
    organisation = _managed(actor, organisation)
    if organisation.is_active:
        raise ValidationError({"is_active": _("This organisation is active.")})
    if organisation.parent is not None and not organisation.parent.is_active:
        raise ValidationError(
            {"parent": _("Reactivate the parent organisation first: it is deactivated.")}
        )
    organisation.is_active = True
    organisation.save(update_fields=["is_active"])
    audit.record(actor=actor, verb=verbs.ORGANISATION_REACTIVATE, target=organisation, payload={})
    return organisation


@transaction.atomic
def organisation_work_transfer(
    *, actor, source: Organisation, target: Organisation
) -> dict[str, int]:
    """Move all open work of `source` (the unit itself, not the units below)
    to `target`. Each app moves its records in bulk; one audit event names the
    counts per kind. Returns them."""
    source = _managed(actor, source)
    require_holder(actor, target, "target")
    if target.pk == source.pk:
        raise ValidationError({"target": _("Choose another unit than the one the work leaves.")})
    pending = {
        kind: count
        for kind in open_work.kinds()
        if (count := kind.count(Organisation.objects.filter(pk=source.pk)))
    }
    if not pending:
        raise ValidationError({"target": _("This unit has no open work to transfer.")})
    refusals = [why for kind in pending if (why := kind.refusal(source, target))]
    if refusals:
        raise ValidationError({"target": refusals})
    moved = {
        kind.name: kind.transfer(actor=actor, source=source, target=target) for kind in pending
    }
    updated = Counter()
    for kind in pending:
        updated[kind.model] += moved[kind.name]
    audit.record(
        actor=actor,
        verb=verbs.ORGANISATION_WORK_TRANSFER,
        target=source,
        payload={
            "source": source.pk,
            "target": target.pk,
            "moved": moved,
            # The records of other apps this event stands for (by model, how many).
            "updated": dict(updated),
        },
    )
    return moved
