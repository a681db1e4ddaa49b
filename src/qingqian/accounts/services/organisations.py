"""Audited writes of the organisation tree: one authority or department at a
time, or the whole set of reporting units' authorities (bootstrap)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qingqian.accounts import bootstrap, events, selectors, verbs
from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, require_perm
from qingqian.accounts.rules import (
    ALLOWED_PARENT_KINDS,
    is_organisation_region,
    may_have_authority,
)
from qingqian.core import audit
from qingqian.core import events as domain_events
from qingqian.core.scoping import region_prefix


@transaction.atomic
def organisation_create(
    *, actor, name: str, kind: str, region_code: str, parent: Organisation | None
) -> Organisation:
    """A unit under `parent`: one the actor manages, or the actor's own
    organisation (administrators add units below themselves)."""
    require_perm(actor, Perm.ORGANISATION_MANAGE)
    name = name.strip()
    require_holder(actor, parent, "parent")
    _organisation_check(name=name, kind=kind, region_code=region_code, parent=parent)
    organisation = _organisation_insert(name, kind, region_code, parent)
    audit.record(
        actor=actor,
        verb=verbs.ORGANISATION_CREATE,
        target=organisation,
        payload={
            "name": name,
            "kind": kind,
            "region_code": region_code,
            "parent": parent and parent.pk,
        },
    )
    return organisation


def require_holder(actor, organisation: Organisation | None, field: str) -> None:
    """`organisation` may receive units or work from this actor: an active unit
    they manage or their own organisation (only the system and superusers
    work at the root)."""
    if organisation is None:
        if actor is None or actor.is_superuser:
            return
        raise ValidationError({field: _("Choose an organisation in your jurisdiction.")})
    holders = selectors.organisations_managed(actor=actor, include_own=True)
    if not holders.filter(pk=organisation.pk).exists():
        raise ValidationError({field: _("Choose an organisation in your jurisdiction.")})
    if not organisation.is_active:
        raise ValidationError({field: _("This organisation has been deactivated.")})


def _organisation_check(*, name: str, kind: str, region_code: str, parent) -> None:
    errors = {}
    if not name:
        errors["name"] = _("Enter the organisation's name.")
    if kind not in Organisation.Kind.values:
        errors["kind"] = _("Choose a valid kind of organisation.")
    elif (parent.kind if parent else None) not in ALLOWED_PARENT_KINDS[kind]:
        errors["parent"] = _("This kind of organisation cannot sit under that parent.")
    if not is_organisation_region(region_code):
        errors["region_code"] = _("Enter a valid 6-digit administrative division code.")
    elif region_code != "000000" and not may_have_authority(region_code):
        errors["region_code"] = _(
            "Taiwan, Hong Kong and Macao have no SME authority in this programme: "
            "choose a mainland region."
        )
    elif parent and not region_code.startswith(region_prefix(parent.region_code)):
        errors["region_code"] = _("The region must lie within the parent organisation's region.")
    if parent and Organisation.objects.filter(parent=parent, name=name).exists():
        errors["name"] = _("The parent organisation already has a unit of this name.")
    if errors:
        raise ValidationError(errors)


def _organisation_insert(name: str, kind: str, region_code: str, parent) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, kind=kind, region_code=region_code, parent=parent, path=""
    )
    organisation.path = f"{parent.path if parent else '/'}{organisation.pk}/"
    organisation.save(update_fields=["path"])
    return organisation


@transaction.atomic
def organisations_bootstrap(
    *, actor, planning_cities: bool = False, prefectures: bool = False, xpcc: bool = False
) -> tuple[list[Organisation], int]:
    """Create whichever of the national and reporting units' authorities are
    missing (see accounts.bootstrap); an authority counts as present when its
    parent already has a unit of its name. Returns (created, already present).
    One audit event names every organisation created; a run that creates
    nothing records nothing. Every run then tells the apps that start from the
    authorities (the routing table's default rules) that they exist. Only the
    system or a national administrator may."""
    if not selectors.may_bootstrap(actor=actor):
        raise PermissionDenied(_("You do not have permission to do this."))
    national = Organisation.objects.filter(kind=Organisation.Kind.NATIONAL_AUTHORITY).first()
    created = []
    if national is None:
        national = _authority_create(bootstrap.NATIONAL_AUTHORITY, None)
        created.append(national)
    wanted = bootstrap.reporting_authorities(
        planning_cities=planning_cities, prefectures=prefectures, xpcc=xpcc
    )
    # The provincial authorities by region code, for their cities.
    provincial = {}
    for authority in wanted:
        parent = provincial[authority.parent_code] if authority.parent_code else national
        organisation = parent.children.filter(name=authority.name).first()
        if organisation is None:
            organisation = _authority_create(authority, parent)
            created.append(organisation)
        provincial.setdefault(authority.region_code, organisation)
    if created:
        audit.record(
            actor=actor,
            verb=verbs.ORGANISATIONS_BOOTSTRAP,
            payload={"created": {"accounts.organisation": [_described(o) for o in created]}},
        )
    domain_events.publish(events.ORGANISATIONS_BOOTSTRAPPED, national_id=national.pk)
    return created, len(wanted) + 1 - len(created)


def _authority_create(authority: bootstrap.Authority, parent) -> Organisation:
    fields = {"name": authority.name, "kind": authority.kind, "region_code": authority.region_code}
    _organisation_check(**fields, parent=parent)
    return _organisation_insert(**fields, parent=parent)


def _described(organisation: Organisation) -> dict:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": organisation.kind,
        "region_code": organisation.region_code,
        "parent": organisation.parent_id,
    }
