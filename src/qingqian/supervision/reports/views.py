"""HTML pages of the periodic information reports (信息报送).

* the list of reports in your scope, with the late ones first and CSV/XLSX
  exports (`?format=csv|xlsx`);
* one report: each figure with the platform's prefilled value and the value
  reported, editable while draft (a changed value needs its reason), the
  submit button, and a CSV/XLSX export of the figures;
* the national page of one definition and period: every province with its
  state and late flag, the totals of the submitted reports, and the national
  report as XLSX, CSV and a formatted PDF (WeasyPrint with the Noto CJK fonts;
  without them the PDF answers 503 saying what to install).

Reads go through `reports.selectors` (out of scope is a 404), writes through
`reports.services`.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingqian.core import audit, downloads, pdf, regions
from qingqian.core.downloads import file_response
from qingqian.core.forms import apply_validation_error
from qingqian.core.messages import deadline_rule_label
from qingqian.core.money import to_yuan_str
from qingqian.core.region_selectors import region_name
from qingqian.core.spreadsheets import download
from qingqian.supervision.models import ProvincialReport
from qingqian.supervision.reports import figures as report_figures
from qingqian.supervision.reports import selectors, services, units
from qingqian.supervision.reports.filters import ReportFilter
from qingqian.supervision.reports.forms import ReportValueForm, display_value

FILE_FORMATS = ("csv", "xlsx", "pdf")
FONT_PACKAGE = "fonts-noto-cjk"


def _initial(figure: dict, report: ProvincialReport) -> dict:
    value = figure["value"]
    if value is not None and figure["kind"] == report_figures.MONEY:
        value = to_yuan_str(value)
    return {"value": value, "reason": figure["reason"], "version": report.version}


# --- the list --------------------------------------------------------------------------------


LIST_HEADER = [
    "报告 / report",
    "期间起 / period start",
    "期间止 / period end",
    "省（区、市）代码 / province code",
    "省（区、市） / province",
    "状态 / state",
    "截止日期 / due on",
    "逾期 / late",
    "提交时间 / submitted at",
]
LIST_KINDS = ["text", "date", "date", "text", "text", "text", "date", "text", "text"]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _yes_no(flag: bool) -> str:
    return _("yes") if flag else _("no")


def _list_rows(rows, today):
    for report in rows.iterator(chunk_size=500):
        yield [
            str(report.definition),
            report.period_start,
            report.period_end,
            report.province_code,
            region_name(report.province_code) or report.organisation.name,
            report.get_state_display(),
            report.due_on,
            _yes_no(selectors.is_late(report, today)),
            _when(report.submitted_at),
        ]


def _require_viewer(actor) -> None:
    if not selectors.may_view_reports(actor):
        raise PermissionDenied(_("Reports are for officials of an SME authority."))


@login_required
def report_list(request):
    _require_viewer(request.user)
    today = timezone.localdate()
    filterset = ReportFilter(
        request.GET or None, queryset=selectors.report_list(actor=request.user)
    )
    # Invalid filters show their errors on the form and leave the list whole.
    rows = filterset.qs if filterset.is_valid() else filterset.queryset
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return download("reports", LIST_HEADER, _list_rows(rows, today), LIST_KINDS, fmt)
    late = selectors.late_reports(actor=request.user, today=today)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "supervision/report_list.html",
        {
            "form": filterset.form,
            "reports": [(r, selectors.is_late(r, today)) for r in rows[:500]],
            "total": rows.count(),
            "late": list(late.order_by("due_on", "province_code")[:200]),
            "national": [
                {
                    "definition": definition,
                    "period": start,
                    "url": reverse(
                        "supervision:report-national", args=[definition.code, start.isoformat()]
                    ),
                }
                for definition, start in selectors.periods_generated(actor=request.user)
            ],
            "query": query.urlencode(),
            "today": today,
            "manages_units": units.is_national_admin(request.user),
        },
    )


# --- one report ------------------------------------------------------------------------------


FIGURE_HEADER = [
    "指标 / figure",
    "键 / key",
    "平台预填 / prefilled",
    "报送值 / reported",
    "变更理由 / reason",
]


def _figure_file(report: ProvincialReport, figures: list[dict], fmt: str):
    rows = [
        [
            f["label"],
            f["key"],
            _cell(f["prefilled"], f["kind"]),
            _cell(f["value"], f["kind"]),
            f["reason"],
        ]
        for f in figures
    ]
    # Counts and yuan share two columns: money cells are written as yuan text so
    # both formats carry the same exact figures.
    name = f"report-{report.definition.code}-{report.period_start:%Y-%m-%d}-{report.province_code}"
    return download(name, FIGURE_HEADER, rows, ["text"] * 5, fmt)


def _cell(value, kind):
    if value is None:
        return ""
    return to_yuan_str(value) if kind == report_figures.MONEY else value


def _report_page(request, report, *, bound: ReportValueForm | None = None, status: int = 200):
    today = timezone.localdate()
    figures = selectors.report_values(report)
    editable = report.state == ProvincialReport.State.DRAFT and services.may_report(
        request.user, report
    )
    for figure in figures:
        figure["display_prefilled"] = display_value(figure["prefilled"], figure["kind"])
        figure["display_value"] = display_value(figure["value"], figure["kind"])
        if editable:
            if bound is not None and bound.figure["key"] == figure["key"]:
                figure["form"] = bound
            else:
                figure["form"] = ReportValueForm(figure=figure, initial=_initial(figure, report))
    return render(
        request,
        "supervision/report_detail.html",
        {
            "report": report,
            "province": region_name(report.province_code) or report.organisation.name,
            "due_rule": deadline_rule_label(
                report.period_end, report.due_on, working_days=report.definition.due_working_days
            ),
            "figures": figures,
            "editable": editable,
            "hand_entered": regions.is_platform_unit(report.province_code),
            "late": selectors.is_late(report, today),
            "submitted_late": selectors.submitted_late(report),
            "sees_nation": selectors.sees_nation(request.user),
            "today": today,
        },
        status=status,
    )


@login_required
def report_detail(request, pk):
    report = selectors.report_get(actor=request.user, pk=pk)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return _figure_file(report, selectors.report_values(report), fmt)
    return _report_page(request, report)


@login_required
@require_POST
def report_value(request, pk):
    report = selectors.report_get(actor=request.user, pk=pk)
    if not services.may_report(request.user, report):
        raise PermissionDenied(_("Only the province's SME authority reports its figures."))
    key = request.POST.get("key", "")
    figure = next((f for f in selectors.report_values(report) if f["key"] == key), None)
    if figure is None:
        messages.error(request, _("Choose one of the report's figures."))
        return _report_page(request, report, status=400)
    form = ReportValueForm(request.POST, figure=figure)
    if form.is_valid():
        try:
            services.report_set_value(
                actor=request.user,
                report=report,
                key=key,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except services.ReportConflict as error:
            messages.error(request, str(error))
            return redirect("supervision:report", pk=report.pk)
        else:
            messages.success(request, _("The value is saved."))
            return redirect(reverse("supervision:report", args=[report.pk]) + f"#figure-{key}")
    report.refresh_from_db()
    return _report_page(request, report, bound=form, status=400)


@login_required
@require_POST
def report_submit(request, pk):
    report = selectors.report_get(actor=request.user, pk=pk)
    if not services.may_report(request.user, report):
        raise PermissionDenied(_("Only the province's SME authority submits its report."))
    version = request.POST.get("version", "")
    try:
        services.report_submit(
            actor=request.user,
            report=report,
            version=int(version) if version.isdecimal() and len(version) < 12 else None,
        )
    except services.ReportConflict as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report is submitted."))
    return redirect("supervision:report", pk=report.pk)


# --- the national report ---------------------------------------------------------------------


def _aggregate(request, code: str, period: str) -> dict:
    try:
        start = date.fromisoformat(period)
    except ValueError:
        raise Http404(_("Give the period as its first day, YYYY-MM-DD.")) from None
    if not selectors.sees_nation(request.user):
        raise PermissionDenied(_("The national aggregate is for the national level."))
    definition = selectors.definition_get(code=code)
    return selectors.national_aggregate(
        actor=request.user, definition=definition, period_start=start
    )


@login_required
def report_national(request, code, period):
    aggregate = _aggregate(request, code, period)
    rows = [
        {
            **row,
            "cells": [
                display_value(value, kind)
                for value, kind in zip(row["values"], aggregate["kinds"], strict=True)
            ],
        }
        for row in aggregate["rows"]
    ]
    totals = [
        display_value(value, kind)
        for value, kind in zip(aggregate["totals"], aggregate["kinds"], strict=True)
    ]
    return render(
        request,
        "supervision/report_national.html",
        {
            **aggregate,
            "rows": rows,
            "late_rows": [row for row in rows if row["late"]],
            "total_cells": totals,
            "code": code,
            "period": aggregate["period_start"].isoformat(),
            "formats": FILE_FORMATS,
        },
    )


def national_table(aggregate: dict) -> tuple[list[str], list[list], list[str]]:
    """Header, rows (provinces, then the totals of the submitted reports) and kinds."""
    header = [
        "省（区、市）代码 / province code",
        "省（区、市） / province",
        "状态 / state",
        "截止日期 / due on",
        "提交时间 / submitted at",
        "逾期 / late",
        *aggregate["labels"],
    ]
    kinds = ["text", "text", "text", "date", "text", "text", *aggregate["kinds"]]
    rows = [
        [
            row["province_code"],
            row["name"],
            row["state_label"],
            row["due_on"],
            _when(row["submitted_at"]),
            _yes_no(row["late"] or row["submitted_late"]),
            *row["values"],
        ]
        for row in aggregate["rows"]
    ]
    counts = aggregate["counts"]
    rows.append(
        [
            "",
            _("Total of the submitted reports (%(submitted)s of %(expected)s)") % counts,
            "",
            None,
            "",
            "",
            *aggregate["totals"],
        ]
    )
    return header, rows, kinds


def audit_anchor() -> dict:
    """The audit chain's head at generation and the latest checkpoint line ('' when
    the checkpoint file cannot be read): printed on the national report, so that
    a reader can later compare them with the chain and the copies kept elsewhere."""
    seq, head_hash = audit.chain_head()
    return {"seq": seq, "hash": head_hash, "checkpoint": audit.latest_checkpoint()}


def audit_anchor_rows(anchor: dict, width: int) -> list[list]:
    """Two rows after the table's totals, in the text columns (label, then value)."""
    padding = [None] * (width - 3)
    checkpoint = anchor["checkpoint"] or "无 / none"
    return [
        ["", "操作日志链头 / audit chain head", f"#{anchor['seq']} {anchor['hash']}", *padding],
        ["", "最新操作日志检查点 / latest audit checkpoint", checkpoint, *padding],
    ]


@login_required
def report_national_file(request, code, period, fmt):
    if fmt not in FILE_FORMATS:
        raise Http404
    aggregate = _aggregate(request, code, period)
    name = f"national-{aggregate['definition'].code}-{aggregate['period_start']:%Y-%m-%d}"
    if fmt in ("csv", "xlsx"):
        header, rows, kinds = national_table(aggregate)
        rows += audit_anchor_rows(audit_anchor(), len(header))
        return download(name, header, rows, kinds, fmt)
    try:
        content = render_national_pdf(aggregate)
    except pdf.PdfUnavailable as error:
        return render(
            request,
            "supervision/report_pdf_unavailable.html",
            {"package": FONT_PACKAGE, "detail": str(error)},
            status=503,
        )
    return file_response(content, filename=f"{name}.pdf", content_type=downloads.PDF)


def _pdf_cell(value, kind: str) -> str:
    """Yuan with grouping and no currency sign (the column says yuan): narrow columns."""
    if kind == report_figures.MONEY and isinstance(value, int):
        whole, fen = divmod(value, 100)
        return f"{whole:,}.{fen:02d}"
    return "—" if value is None else str(value)


def render_national_pdf(aggregate: dict) -> bytes:
    """The national report as a PDF; PdfUnavailable when the CJK fonts (or
    WeasyPrint's libraries) are missing, never a PDF of empty boxes."""
    weasyprint = pdf.weasyprint()  # checks the CJK fonts first
    header, rows, kinds = national_table(aggregate)
    cells = [
        [
            v.isoformat() if isinstance(v, date) else _pdf_cell(v, k)
            for v, k in zip(row, kinds, strict=True)
        ]
        for row in rows
    ]
    late = [r["late"] or r["submitted_late"] for r in aggregate["rows"]]
    html = render_to_string(
        "supervision/report_national_pdf.html",
        {
            **aggregate,
            "header": header[1:],
            "body": [
                {"cells": row[1:], "late": flag} for row, flag in zip(cells, late, strict=False)
            ],
            "total": cells[-1][1:],
            "numeric_from": 6,
            "col_kinds": ["name", "state", "date", "date", "flag", *aggregate["kinds"]],
            "generated_at": timezone.localtime(),
            "audit_anchor": audit_anchor(),
            "font_family": pdf.font_family_css(),
        },
    )
    return weasyprint.HTML(string=html).write_pdf()
