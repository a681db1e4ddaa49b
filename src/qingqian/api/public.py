"""The public read API (/api/v1/public/): no token, GET only, throttled per client.

Open statistics (suppressed exactly as the public pages, by `portal.figures`),
published notices (the notices selector's public fields), and an Open311
GeoReport v2 read view of complaints (services are the complaint subjects).
Nothing here reads a party, a person or a complaint's text: the selectors it
calls return only public fields.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from xml.etree import ElementTree  # nosec B405 # builds XML from our own values, parses none

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from qingqian.api.common import run_service
from qingqian.api.serializers import error_responses
from qingqian.api.throttling import ClientAddressMixin
from qingqian.complaints.models import OPEN_STATES, State
from qingqian.complaints.selectors import public_requests
from qingqian.core import regions
from qingqian.parties.vocabulary import Subject
from qingqian.portal import figures as cells
from qingqian.portal.cache import cached_api
from qingqian.supervision.cases.selectors import published_notice_get, published_notices
from qingqian.supervision.dashboard.public import public_figures

TAG = "public"
ERROR_TEXT = {
    400: "Invalid: `fields` names each problem.",
    404: "No such published record (or no such page).",
    429: "Too many requests from this address; wait and try again (Retry-After).",
}


def errors(*codes: int) -> dict:
    return error_responses(*codes, texts=ERROR_TEXT)


class PublicThrottle(ClientAddressMixin, AnonRateThrottle):
    """Public API requests per client address (QINGQIAN_API_PUBLIC_RATE)."""

    scope = "public-api"  # its own counter, apart from the token throttle's

    def get_rate(self):
        return settings.QINGQIAN_API_PUBLIC_RATE


class PublicView(APIView):
    authentication_classes = ()  # no session, no token: everyone is the public
    permission_classes = (AllowAny,)
    throttle_classes = (PublicThrottle,)
    http_method_names = ["get", "head", "options"]


class PublicPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


# --- statistics ---------------------------------------------------------------------------


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number"},
            {"type": "string", "enum": [cells.SUPPRESSED, cells.SECONDARY]},
        ],
        "nullable": True,
        "description": (
            'A count, rate (%) or amount (fen); "<5" when suppressed, "x" when hidden'
            ' so that a total minus the other cells cannot reveal a "<5".'
        ),
    }
)
class CellField(serializers.ReadOnlyField):
    pass


def _named(names, values) -> dict:
    return dict(zip(names, values, strict=True))


COMPLAINT_NAMES = [name for name, _label in cells.COMPLAINT_COLUMNS] + [
    f"{stage}_on_time_rate" for stage, _label in cells.RATE_COLUMNS
]
LEDGER_NAMES = [name for name, _label in cells.LEDGER_COLUMNS]


def statistics_body(figures: dict) -> dict:
    """The figures as the page shows them: every cell through `portal.figures`."""
    jurisdiction = figures["jurisdiction"]
    return {
        "region": jurisdiction.prefix,
        "name": str(jurisdiction.name),
        "period": figures["period"].as_params(),
        "suppressed": cells.SUPPRESSED,
        "secondary": cells.SECONDARY,
        "totals": {
            **_named(COMPLAINT_NAMES, cells.complaint_cells(figures["complaints"])),
            **_named(LEDGER_NAMES, cells.ledger_cells(figures["ledger"])),
        },
        "months": [
            {"month": row[0], **_named(COMPLAINT_NAMES, row[1:])}
            for row in cells.month_rows(figures)
        ],
        "provinces": [
            {
                "region": row[0],
                "name": str(row[1]),
                **_named(COMPLAINT_NAMES, row[2 : 2 + len(COMPLAINT_NAMES)]),
                **_named(LEDGER_NAMES, row[2 + len(COMPLAINT_NAMES) :]),
            }
            for row in cells.province_rows(figures)
        ],
    }


class PeriodSerializer(serializers.Serializer):
    to = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.CharField()
        return fields


def _cells(names) -> dict:
    return {name: CellField() for name in names}


TotalsSerializer = type(
    "PublicTotals", (serializers.Serializer,), _cells(COMPLAINT_NAMES + LEDGER_NAMES)
)
MonthSerializer = type(
    "PublicMonth",
    (serializers.Serializer,),
    {"month": serializers.CharField(help_text="YYYY-MM"), **_cells(COMPLAINT_NAMES)},
)
ProvinceSerializer = type(
    "PublicProvince",
    (serializers.Serializer,),
    {
        "region": serializers.CharField(),
        "name": serializers.CharField(),
        **_cells(COMPLAINT_NAMES + LEDGER_NAMES),
    },
)


class StatisticsSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="'' for the nation, else the province's 2 digits.")
    name = serializers.CharField()
    period = PeriodSerializer()
    suppressed = serializers.CharField(help_text='The mark of a suppressed cell: "<5".')
    secondary = serializers.CharField(
        help_text='The mark of a cell hidden so that a total cannot reveal a "<5": "x".'
    )
    totals = TotalsSerializer()
    months = MonthSerializer(many=True)
    provinces = ProvinceSerializer(many=True, help_text="Nationally only: each province.")


class PublicStatisticsView(PublicView):
    @extend_schema(
        tags=[TAG],
        summary="Open statistics (small cells suppressed as on the public pages)",
        parameters=[
            OpenApiParameter("region", str, description="A province's 2-digit code."),
            OpenApiParameter("from", str, description="First month, YYYY-MM."),
            OpenApiParameter("to", str, description="Last month, YYYY-MM."),
        ],
        responses={200: StatisticsSerializer, **errors(400, 429)},
    )
    @cached_api
    def get(self, request):
        figures = run_service(
            public_figures,
            {"start": "from", "end": "to"},
            region=request.query_params.get("region", ""),
            start=request.query_params.get("from", ""),
            end=request.query_params.get("to", ""),
        )
        return Response(statistics_body(figures))


# --- notices ------------------------------------------------------------------------------


class PublicNoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    text = serializers.CharField()
    authority = serializers.CharField()
    region_code = serializers.CharField()
    published_at = serializers.DateTimeField()


class PublicNoticeListView(PublicView, ListAPIView):
    serializer_class = PublicNoticeSerializer
    pagination_class = PublicPagination

    def get_queryset(self):
        return published_notices()

    @extend_schema(
        tags=[TAG],
        summary="Published notices, newest first",
        responses={200: PublicNoticeSerializer(many=True), **errors(404, 429)},
    )
    @cached_api
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PublicNoticeDetailView(PublicView, RetrieveAPIView):
    serializer_class = PublicNoticeSerializer

    def get_object(self):
        return published_notice_get(self.kwargs["pk"])

    @extend_schema(
        tags=[TAG],
        summary="One published notice",
        responses={200: PublicNoticeSerializer, **errors(404, 429)},
    )
    @cached_api
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# --- Open311 GeoReport v2 -----------------------------------------------------------------

SERVICE_FIELDS = (
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
)
REQUEST_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)


def xml_response(root: str, child: str, rows: list[dict], status: int = 200) -> HttpResponse:
    """GeoReport v2 XML: <root><child><field>value</field>…</child>…</root>."""
    element = ElementTree.Element(root)
    for row in rows:
        item = ElementTree.SubElement(element, child)
        for name, value in row.items():
            field = ElementTree.SubElement(item, name)
            field.text = _xml_text(value)
    body = ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def _xml_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def services() -> list[dict]:
    return [
        {
            "service_code": subject.value,
            "service_name": str(subject.label),
            "description": _("Arrears of payment for %(subject)s owed to an SME.")
            % {"subject": subject.label},
            "metadata": False,
            "type": "realtime",
            "keywords": "arrears, SME",
            "group": _("Arrears owed to SMEs"),
        }
        for subject in Subject
    ]


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in the platform's time (+08:00), to the second."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def end_of(day) -> datetime | None:
    # A deadline is met on any moment of its due day: the day's last second.
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59))) if day else None


def start_of(day) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time())) if day else None


def province_name(code: str) -> str:
    province = regions.lookup((code or "")[:2] + "0000")
    return province.name if province else ""


def open311_request(row: dict) -> dict:
    """One complaint in GeoReport v2 terms: public fields only, no party, no text."""
    subject = Subject(row["subject"]) if row["subject"] else None
    return {
        "service_request_id": row["tracking_number"] or str(row["pk"]),
        "status": "open" if row["state"] in OPEN_STATES else "closed",
        "status_notes": str(State(row["state"]).label),
        "service_name": str(subject.label) if subject else "",
        "service_code": subject.value if subject else "",
        "description": "",
        "agency_responsible": row["agency"],
        "service_notice": "",
        "requested_datetime": iso(row["requested_at"] or start_of(row["submitted_on"])),
        "updated_datetime": iso(row["updated_at"]),
        "expected_datetime": iso(end_of(row["next_due_on"])),
        "address": province_name(row["province_code"]),
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def _moment(name: str, value: str):
    """A spec date parameter: a W3C datetime, or a date (its start, in our time)."""
    moment = parse_datetime(value) or start_of(parse_date(value))
    if moment is None:
        raise exceptions.ValidationError(
            {name: [_("Enter a date, e.g. 2026-12-04T00:00:00+08:00.")]}
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


DEFAULT_WINDOW_DAYS = 90  # GeoReport v2: without start/end_date, the most recent 90 days


def filtered(params, *, today=None) -> list[dict]:
    """The spec's filters on public_requests: service_request_id (comma-separated
    numbers), or service_code, status and start/end_date (on the day requested;
    with neither, the last DEFAULT_WINDOW_DAYS days, as the spec has it)."""
    rows = public_requests()
    wanted_ids = params.get("service_request_id", "")
    if wanted_ids:  # the spec: the other parameters are then ignored
        return rows.filter(tracking_number__in=wanted_ids.split(",")[:100])
    code = params.get("service_code", "")
    if code:
        if code not in Subject.values:
            raise exceptions.ValidationError({"service_code": [_("There is no such service.")]})
        rows = rows.filter(subject=code)
    status = params.get("status", "")
    if status:
        wanted = set(status.split(","))
        if not wanted <= {"open", "closed"}:
            raise exceptions.ValidationError({"status": [_("Choose open or closed.")]})
        if wanted == {"open"}:
            rows = rows.filter(state__in=OPEN_STATES)
        elif wanted == {"closed"}:
            rows = rows.exclude(state__in=OPEN_STATES)
    for name, lookup in (("start_date", "gte"), ("end_date", "lte")):
        if params.get(name):
            day = timezone.localdate(_moment(name, params[name]))
            rows = rows.filter(**{f"submitted_on__{lookup}": day})
    if not params.get("start_date") and not params.get("end_date"):
        since = (today or timezone.localdate()) - timedelta(days=DEFAULT_WINDOW_DAYS)
        rows = rows.filter(submitted_on__gte=since)
    return rows


class Open311View(PublicView):
    """Answers in the format its URL names (.json or .xml), errors included, as the
    GeoReport v2 spec has them: [{"code": 400, "description": "…"}] / <errors>."""

    root, child = "", ""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if kwargs.get("fmt") not in FORMATS:
            raise Http404

    def answer(self, rows: list[dict], status: int = 200):
        if self.kwargs.get("fmt") == "xml":
            return xml_response(self.root, self.child, rows, status)
        return Response(rows, status=status)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        errors = [{"code": response.status_code, "description": _describe(response.data)}]
        self.root, self.child = "errors", "error"
        answer = self.answer(errors, response.status_code)
        for header in ("Retry-After", "WWW-Authenticate"):
            if header in response:
                answer[header] = response[header]
        return answer


def _describe(data) -> str:
    # Our error handler's body: {"code", "message", "fields": {name: [messages]}}.
    if not isinstance(data, dict):
        return str(data)
    fields = data.get("fields") or {}
    parts = [f"{name}: {' '.join(map(str, messages))}" for name, messages in fields.items()]
    return " ".join(parts) or str(data.get("message") or data.get("detail") or data)


FORMATS = ("json", "xml")
FORMAT = OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=FORMATS)


# The spec's error list, as a raw schema: drf-spectacular documents an error
# status's list serializer as one object.
OPEN311_ERRORS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        "required": ["code", "description"],
    },
}


OPEN311_ERROR_TEXT = {
    400: 'A parameter is invalid: [{"code": 400, "description": "<parameter>: …"}].',
    404: "No such request (or page, or format: json and xml only).",
    429: "Too many requests from this address; wait and try again (Retry-After).",
}


def open311_responses(serializer, *codes: int) -> dict:
    """Each answer in JSON and in XML (the same fields as elements), per the URL's
    suffix; errors as the spec's list of {code, description}."""
    bodies = {200: lambda: serializer(many=True)} | {code: lambda: OPEN311_ERRORS for code in codes}
    return {
        (code, media): OpenApiResponse(body(), description=OPEN311_ERROR_TEXT.get(code, ""))
        for code, body in bodies.items()
        for media in ("application/json", "text/xml")
    }


class Open311ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    service_name = serializers.CharField()
    description = serializers.CharField()
    metadata = serializers.BooleanField()
    type = serializers.CharField()
    keywords = serializers.CharField()
    group = serializers.CharField()


class Open311RequestSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "closed"])
    status_notes = serializers.CharField()
    service_name = serializers.CharField()
    service_code = serializers.CharField()
    description = serializers.CharField()
    agency_responsible = serializers.CharField()
    service_notice = serializers.CharField()
    requested_datetime = serializers.DateTimeField()
    updated_datetime = serializers.DateTimeField()
    expected_datetime = serializers.DateTimeField(allow_null=True)
    address = serializers.CharField(help_text="The province's name only.")
    address_id = serializers.CharField()
    zipcode = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    long = serializers.FloatField(allow_null=True)
    media_url = serializers.CharField()


class Open311ServicesView(Open311View):
    root, child = "services", "service"

    @extend_schema(
        tags=[TAG],
        summary="Open311 GeoReport v2 services (complaint subjects)",
        parameters=[FORMAT],
        responses=open311_responses(Open311ServiceSerializer, 404, 429),
    )
    def get(self, request, fmt):
        return self.answer(services())


class Open311RequestsView(Open311View):
    root, child = "service_requests", "request"

    @extend_schema(
        tags=[TAG],
        summary="Open311 GeoReport v2 service requests (complaints that left draft)",
        parameters=[
            FORMAT,
            OpenApiParameter(
                "service_request_id", str, description="Comma-separated numbers; then alone."
            ),
            OpenApiParameter("service_code", str, enum=Subject.values),
            OpenApiParameter("status", str, description="open, closed or open,closed"),
            OpenApiParameter(
                "start_date",
                OpenApiTypes.DATETIME,
                description="Requested on or after; with no start/end_date, the last 90 days.",
            ),
            OpenApiParameter(
                "end_date",
                OpenApiTypes.DATETIME,
                description="Requested on or before; with no start/end_date, the last 90 days.",
            ),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="At most 100; 50 if not given."),
        ],
        responses=open311_responses(Open311RequestSerializer, 400, 404, 429),
    )
    def get(self, request, fmt):
        paginator = PublicPagination()
        page = paginator.paginate_queryset(filtered(request.query_params), request, self)
        return self.answer([open311_request(row) for row in page])


class Open311RequestView(Open311View):
    root, child = "service_requests", "request"

    @extend_schema(
        tags=[TAG],
        summary="One Open311 GeoReport v2 service request (a list of one, per the spec)",
        parameters=[FORMAT],
        responses=open311_responses(Open311RequestSerializer, 404, 429),
    )
    def get(self, request, request_id, fmt):
        return self.answer([open311_request(find_request(request_id))])


def find_request(request_id: str) -> dict:
    """By public number; a complaint without one (none yet) by its id."""
    if len(request_id) > 32:  # longer than any tracking number
        raise Http404
    rows = public_requests()
    row = rows.filter(tracking_number=request_id).first()
    if row is None and request_id.isdigit() and len(request_id) < 10:
        row = rows.filter(pk=int(request_id), tracking_number__isnull=True).first()
    if row is None:
        raise Http404
    return row
