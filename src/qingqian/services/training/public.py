"""The public pages of training (no sign-in): upcoming events by province, one
event with its seats left and materials, its calendar file and its material files.
Only what the public selectors return reaches them; never who registered."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core import evidence_files
from qingqian.core.downloads import file_response
from qingqian.core.region_selectors import region_name
from qingqian.core.scoping import NATIONAL_REGION_CODE
from qingqian.services.training import ics, selectors

EVENTS_PER_PAGE = 20
ICS = "text/calendar; charset=utf-8"


def event_list(request):
    provinces = selectors.public_provinces()
    province = request.GET.get("province")
    if province not in provinces:
        province = None
    events = selectors.public_events(province)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "services/training/public_list.html",
        {"page": page, "province": province, "provinces": _named(provinces)},
    )


def event_detail(request, pk: int):
    event = selectors.public_event_get(pk)
    registration = None
    if request.user.is_authenticated:
        registration = selectors.my_live_registration(actor=request.user, event=event)
    return render(
        request,
        "services/training/public_detail.html",
        {
            "event": event,
            "seats_left": max(event.seats_left, 0),
            "materials": selectors.public_materials(event),
            "open": selectors.public_events().filter(pk=event.pk).exists(),
            "registration": registration,
            "may_register": has_perm(request.user, Perm.TRAINING_REGISTER)
            if request.user.is_authenticated
            else False,
        },
    )


def event_calendar(request, pk: int):
    event = selectors.public_event_get(pk)
    return file_response(
        ics.event_calendar(event), filename=f"training-{event.pk}.ics", content_type=ICS
    )


def material_download(request, pk: int, material: int):
    event = selectors.public_event_get(pk)
    return evidence_files.evidence_response(selectors.public_material_get(event, material))


def _named(codes: list[str]) -> list[tuple[str, str]]:
    return [(code, province_name(code)) for code in codes]


def province_name(code: str) -> str:
    if code == NATIONAL_REGION_CODE:
        return _("national")
    return region_name(code) or code
