"""Reporting units (报送单位): which bodies the periodic reports are due from.

MIIT addresses its notices to the SME authorities of "各省、自治区、直辖市及
计划单列市、新疆生产建设兵团" (DOMAIN.md §7a). By default the 31 mainland
provincial-level authorities report (their units are created with them, on
accounts' bootstrap event); the national administrator adds or removes units:
a provincial-level authority directly under the national one (the Xinjiang
Production and Construction Corps' among them, at the platform's own code
660000, with figures entered by hand), or the SME authority of a city with
separate planning status (Dalian, Qingdao, Ningbo, Xiamen, Shenzhen). Taiwan,
Hong Kong and Macao have no authority, so no unit.

A unit's reports are keyed by its region code, so one active unit per code.
The reports' generation, due counts, late list and reminders follow the units.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.bootstrap import PLANNING_CITY_CODES
from qingqian.accounts.models import Organisation
from qingqian.accounts.rules import may_have_authority
from qingqian.core import audit, regions
from qingqian.core.scoping import scope_for
from qingqian.supervision import verbs
from qingqian.supervision.models import ReportingUnit

Kind = Organisation.Kind
# The campaign's start: the default units report for every period.
CAMPAIGN_START = date(2018, 11, 1)


def is_national_admin(actor) -> bool:
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and actor.is_administrator
        and scope_for(actor).everything
    )


# --- reads ---------------------------------------------------------------------------------


def active_units(*, period_end: date | None = None) -> QuerySet[ReportingUnit]:
    """The units reports are due from; with `period_end`, those due for that period."""
    units = ReportingUnit.objects.filter(active=True, organisation__is_active=True)
    if period_end is not None:
        units = units.filter(since__lte=period_end)
    return units.select_related("organisation").order_by("organisation__region_code", "pk")


def unit_list() -> QuerySet[ReportingUnit]:
    """Every unit, active first (the page of the national administrator)."""
    return ReportingUnit.objects.select_related("organisation").order_by(
        "-active", "organisation__region_code", "pk"
    )


def may_report_as_unit(organisation: Organisation) -> bool:
    """The kinds of body MIIT addresses: a provincial-level authority directly under
    the national one, or the authority of a city with separate planning status."""
    if not organisation.is_active or not may_have_authority(organisation.region_code):
        return False
    if organisation.kind == Kind.PROVINCIAL_AUTHORITY:
        return (
            organisation.parent is not None and organisation.parent.kind == Kind.NATIONAL_AUTHORITY
        )
    return organisation.kind == Kind.CITY_AUTHORITY and (
        organisation.region_code in PLANNING_CITY_CODES
    )


def candidates() -> list[Organisation]:
    """The organisations that may be added as units now (the page's choices)."""
    taken = set(active_units().values_list("organisation__region_code", flat=True))
    organisations = Organisation.objects.filter(
        is_active=True, kind__in=[Kind.PROVINCIAL_AUTHORITY, Kind.CITY_AUTHORITY]
    ).select_related("parent")
    return [
        o
        for o in organisations.order_by("region_code", "pk")
        if o.region_code not in taken and may_report_as_unit(o)
    ]


# --- writes --------------------------------------------------------------------------------


def _require_national_admin(actor) -> None:
    if not is_national_admin(actor):
        raise PermissionDenied(_("Only the national administrator changes the reporting units."))


@transaction.atomic
def reporting_unit_add(
    *, actor, organisation: Organisation, since: date | None = None
) -> ReportingUnit:
    """The organisation reports from the period that ends on or after `since`
    (today by default); a unit removed earlier is made active again."""
    _require_national_admin(actor)
    since = since or timezone.localdate()
    organisation = Organisation.objects.select_related("parent").get(pk=organisation.pk)
    if not may_report_as_unit(organisation):
        raise ValidationError(
            {
                "organisation": _(
                    "Only a provincial-level SME authority or that of a city with separate "
                    "planning status reports (not Taiwan, Hong Kong or Macao)."
                )
            }
        )
    if active_units().filter(organisation__region_code=organisation.region_code).exists():
        raise ValidationError(
            {"organisation": _("A reporting unit already reports for this region.")}
        )
    unit, _created = ReportingUnit.objects.update_or_create(
        organisation=organisation, defaults={"since": since, "active": True}
    )
    audit.record(
        actor=actor,
        verb=verbs.REPORTING_UNIT_ADD,
        target=unit,
        payload={
            "organisation": organisation.pk,
            "region_code": organisation.region_code,
            "since": since,
        },
    )
    return unit


@transaction.atomic
def reporting_unit_remove(*, actor, unit: ReportingUnit) -> ReportingUnit:
    """No report is due from the unit for periods not generated yet; reports
    already generated stay as they are."""
    _require_national_admin(actor)
    unit = ReportingUnit.objects.select_for_update().get(pk=unit.pk)
    if not unit.active:
        raise ValidationError({"unit": _("This unit does not report any more.")})
    unit.active = False
    unit.save(update_fields=["active"])
    audit.record(
        actor=actor,
        verb=verbs.REPORTING_UNIT_REMOVE,
        target=unit,
        payload={"organisation": unit.organisation_id},
    )
    return unit


@transaction.atomic
def default_units_after_bootstrap(*, national_id: int) -> None:
    """accounts' bootstrap event: every provincial-level authority directly under
    the national one that has never been a unit becomes one (one removed by the
    administrator stays removed)."""
    provincial = Organisation.objects.filter(
        kind=Kind.PROVINCIAL_AUTHORITY, parent_id=national_id, is_active=True
    ).select_related("parent")
    known = set(ReportingUnit.objects.values_list("organisation_id", flat=True))
    taken = set(active_units().values_list("organisation__region_code", flat=True))
    created = []
    for organisation in provincial.order_by("region_code", "pk"):
        code = organisation.region_code
        if organisation.pk in known or code in taken or not may_report_as_unit(organisation):
            continue
        if regions.is_platform_unit(code):  # the Corps reports once the administrator adds it
            continue
        taken.add(code)
        created.append(
            ReportingUnit.objects.create(organisation=organisation, since=CAMPAIGN_START)
        )
    if created:
        audit.record(
            actor=None,
            verb=verbs.REPORTING_UNITS_SEED,
            target=("supervision.reportingunit", "seed"),
            payload={"organisations": [unit.organisation_id for unit in created]},
        )
