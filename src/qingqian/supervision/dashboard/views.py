"""The supervision dashboard, the rows behind each figure, and laggards."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.complaints.models import Channel
from qingqian.core import regions
from qingqian.core.replica import reads_from_replica
from qingqian.core.spreadsheets import download
from qingqian.supervision import periods
from qingqian.supervision.dashboard import laggards, services, tables, tilegrid
from qingqian.supervision.dashboard import selectors as dashboard
from qingqian.supervision.dashboard.forms import LaggardRuleForm
from qingqian.supervision.models import LaggardRule

FACTS_PER_PAGE = 50


def _query(request, **changes) -> str:
    params = {k: v for k, v in request.GET.items() if k not in ("page", "export", "format")}
    params.update({k: v for k, v in changes.items() if v is not None})
    return urlencode({k: v for k, v in params.items() if v != ""})


@login_required
@reads_from_replica
def dashboard_page(request):
    region, start, end = (request.GET.get(k, "") for k in ("region", "from", "to"))
    try:
        figures = dashboard.dashboard(actor=request.user, region=region, start=start, end=end)
    except ValidationError as error:
        return render(
            request,
            "supervision/dashboard_invalid.html",
            {"errors": error.message_dict},
            status=400,
        )
    export, fmt = request.GET.get("export", ""), request.GET.get("format", "")
    if fmt in ("csv", "xlsx") and export in (*tables.TABLES, "laggards"):
        return _export(request, figures, export, fmt)
    jurisdiction = figures["jurisdiction"]
    flags = laggards.laggards(actor=request.user, region=jurisdiction.prefix)
    context = {
        "figures": figures,
        "jurisdiction": jurisdiction,
        "flags": [_flag_row(flag) for flag in flags],
        "may_open_cases": has_perm(request.user, Perm.SUPERVISION_MANAGE),
        "may_set_rules": services.may_set_rules(request.user),
        "headline": _headline(figures["complaints"]),
        "channels": [
            (label, figures["complaints"]["by_channel"][channel])
            for channel, label in Channel.choices
        ],
        "on_time": [
            (stage, label, figures["complaints"]["on_time"][stage])
            for stage, label in (
                ("review", _("review within 10 working days")),
                ("transfer", _("transfer within 10 working days")),
                ("handling", _("handling within 30 days")),
            )
        ],
        "period": figures["period"].as_params(),
        "choices": _region_choices(request.user, jurisdiction),
        "charts": _charts(request, figures),
        "tiles": _tiles(request, figures),
        "map_approval_number": settings.QINGQIAN_MAP_APPROVAL_NUMBER,
        "query": _query(request),
        "months": [
            {
                **row,
                "cells": [(m, row["complaints"][m]) for m in ("received", "accepted", "resolved")],
            }
            for row in figures["by_month"]
        ],
        "facts_path": reverse("supervision:facts"),
        "facts": reverse("supervision:facts")
        + "?"
        + urlencode({"region": jurisdiction.prefix, **figures["period"].as_params()}),
    }
    return render(request, "supervision/dashboard.html", context)


def _headline(complaints: dict) -> list[tuple[str, str, int]]:
    labels = {
        "received": _("received"),
        "accepted": _("accepted"),
        "not_accepted": _("not accepted"),
        "transferred": _("transferred"),
        "resolved": _("resolved"),
        "closed": pgettext("complaint state", "closed"),
        "terminated": _("withdrawn or terminated"),
        "extended": _("complaints with handling extended (%(n)s extensions)")
        % {"n": complaints["extensions"]},
    }
    return [(measure, label, complaints[measure]) for measure, label in labels.items()]


def _flag_row(flag) -> dict:
    """A flagged laggard, with the link that opens a case on it."""
    params = {
        "kind": "listed",
        "title": _("Listed supervision: %(name)s") % {"name": flag.name},
        "reason": _("%(rule)s: %(value)s (threshold %(threshold)s)")
        % {
            "rule": tables.rule_text(flag.rule),
            "value": flag.value,
            "threshold": flag.rule.threshold,
        },
    }
    if flag.subject == "department":
        params.update(subject="department", department=flag.department_id)
    else:
        params.update(subject="region", region_code=flag.code)
    return {
        "name": flag.name,
        "code": flag.code if flag.subject == "region" else f"d{flag.department_id}",
        "rule": flag.rule,
        "rule_text": tables.rule_text(flag.rule),
        "value": flag.value,
        "case_url": reverse("supervision:case-new") + "?" + urlencode(params),
    }


def _export(request, figures, name, fmt):
    if name == "laggards":
        flags = laggards.laggards(actor=request.user, region=figures["jurisdiction"].prefix)
        header, rows, kinds = tables.laggard_table(flags)
    else:
        header, rows, kinds = tables.table(figures, name)
    return download(f"{name}-{figures['jurisdiction'].code}", header, rows, kinds, fmt)


def _region_choices(actor, jurisdiction) -> list[tuple[str, str]]:
    """The jurisdictions one may switch to: one's own, its parts, and the way back up."""
    own = periods.jurisdiction_for(actor)
    choices = [(own.prefix, own.name)]
    parts = (
        regions.provinces()
        if own.level == "national"
        else regions.prefectures(own.code)
        if own.level == "province"
        else ()
    )
    choices += [(part.code[: len(own.prefix) + 2], part.name) for part in parts]
    if jurisdiction.level == "city" and own.level == "national":
        choices += [
            (p.code[:4], p.name) for p in regions.prefectures(jurisdiction.prefix[:2] + "0000")
        ]
    return list(dict.fromkeys(choices))


def _charts(request, figures) -> dict:
    """The data island the charts are drawn from (dashboard.js)."""
    rows = [
        {
            "code": row["code"],
            "name": row["name"],
            "value": row["complaints"]["received"],
            "url": "?" + _query(request, region=row["prefix"]),
        }
        for row in figures["by_region"]
    ]
    months = figures["by_month"]
    # The boundary map only where an operator configured an approved one; by
    # default the national dashboard shows the tile grid (_tiles), drawn in HTML.
    boundary_map = figures["jurisdiction"].level == "national" and settings.QINGQIAN_MAP_GEOJSON
    return {
        "geojson_url": reverse("supervision:map-file") if boundary_map else None,
        "map": {"label": _("Complaints received"), "rows": rows} if boundary_map else None,
        "bar": {"label": _("Complaints received"), "rows": rows} if rows else None,
        "trend": {
            "label": _("Complaints by month"),
            "months": [f"{m['month']:%Y-%m}" for m in months],
            "series": [
                {"name": _(label), "values": [m["complaints"][measure] for m in months]}
                for measure, label in (
                    ("received", "received"),
                    ("accepted", "accepted"),
                    ("resolved", "resolved"),
                )
            ],
        },
    }


def _tiles(request, figures) -> dict | None:
    """The tile grid of the national dashboard, unless an approved map replaces it."""
    if figures["jurisdiction"].level != "national" or settings.QINGQIAN_MAP_GEOJSON:
        return None
    received = {row["code"]: row["complaints"]["received"] for row in figures["by_region"]}
    highest = max(received.values(), default=0)
    return {
        "tiles": tilegrid.tiles(received, lambda prefix: "?" + _query(request, region=prefix)),
        "legend": tilegrid.legend(highest),
    }


@login_required
def map_file(request):
    """The operator's approved map of China (QINGQIAN_MAP_GEOJSON), for dashboard.js."""
    if not settings.QINGQIAN_MAP_GEOJSON:
        raise Http404(_("No approved map is configured."))
    # Read by dashboard.js, not downloaded: a plain JSON response the browser may
    # keep for an hour (the file changes only with the configuration).
    response = HttpResponse(
        Path(settings.QINGQIAN_MAP_GEOJSON).read_bytes(), content_type="application/json"
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@reads_from_replica
def facts_page(request):
    """The rows behind one figure (events or deadlines), with a download."""
    params = {k: request.GET.get(k, "") for k in ("measure", "region", "from", "to", "stage")}
    department = request.GET.get("department", "")
    try:
        rows = dashboard.facts_behind(
            actor=request.user,
            measure=params["measure"],
            region=params["region"],
            start=params["from"],
            end=params["to"],
            debtor_type=request.GET.get("debtor_type", ""),
            department=int(department) if department.isdigit() else None,
            stage=params["stage"],
        )
    except ValidationError as error:
        return render(
            request,
            "supervision/dashboard_invalid.html",
            {"errors": error.message_dict},
            status=400,
        )
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return download(f"facts-{params['measure']}", *_fact_table(rows), fmt)
    page = Paginator(rows, FACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/facts.html",
        {
            "page": page,
            "measure": params["measure"],
            "query": _query(request),
            "is_event": params["measure"] in dashboard.COMPLAINT_MEASURES,
        },
    )


def _fact_table(rows):
    event = rows.model.__name__ == "ComplaintEvent"
    header = [_("tracking number"), _("date"), _("what"), _("department")]
    cells = (
        [
            row.complaint.tracking_number,
            row.day if event else (row.ended_on or row.due_on),
            row.action if event else f"{row.stage} {row.status}",
            (row.department if event else row.organisation) or "",
        ]
        for row in rows.iterator(chunk_size=2000)
    )
    return header, ([str(c) if c is not None else "" for c in row] for row in cells), ["text"] * 4


# --- the laggard rules, set by the national administrator ------------------------------------


def _require_rule_setter(request) -> None:
    if not services.may_set_rules(request.user):
        raise PermissionDenied(_("Only the national administrator sets the laggard rules."))


@login_required
def rules_page(request):
    _require_rule_setter(request)
    rules = [(rule, tables.rule_text(rule)) for rule in LaggardRule.objects.all()]
    return render(request, "supervision/rules.html", {"rules": rules})


@login_required
def rule_edit(request, pk: int):
    """Edit a rule's threshold, window or switch; "preview" lists what it would flag
    with the values entered, without saving them."""
    _require_rule_setter(request)
    rule = get_object_or_404(LaggardRule, pk=pk)
    form = LaggardRuleForm(request.POST or None, instance=rule)
    flags = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            flags = laggards.preview(actor=request.user, rule=form.instance)
        else:
            try:
                services.laggard_rule_save(
                    actor=request.user, rule=form.instance, changed=form.changed_data
                )
                return redirect("supervision:rules")
            except ValidationError as error:
                form.add_error(None, error)
    return render(
        request,
        "supervision/rule_form.html",
        {
            "form": form,
            "rule": rule,
            "rule_text": tables.rule_text(rule),
            "flags": [_flag_row(flag) for flag in flags] if flags is not None else None,
        },
    )
