"""Every file the platform serves carries the headers that stop a browser from
running it (CSP `default-src 'none'; sandbox`, nosniff) and is an attachment.

Two guards: every download route, web and API, is fetched below (the list must
name every route the URL patterns have whose view serves a file); and no module
but `core.downloads` builds a file response, so a new download cannot be
written without the headers."""

import inspect
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import get_resolver, reverse

import qingqian
from qingqian.accounts.models import User
from qingqian.complaints.evidence import evidence_add
from qingqian.complaints.models import State
from qingqian.core.downloads import DOWNLOAD_POLICY
from qingqian.ledger import services as ledger_services
from qingqian.ledger.imports import ledger_import_upload
from qingqian.parties.models import Enterprise
from qingqian.publication.referrals.services import referral_send
from qingqian.services.letters.services import LetterFacts, demand_letter_create
from qingqian.supervision.models import ProvincialReport, ReportDefinition
from qingqian.supervision.reports.services import reports_generate
from tests.api.test_complaints_api import make_complaint
from tests.files import PDF, pdf_bytes
from tests.portal.signups import registration_in_review
from tests.publication.findings.findings import decided_finding
from tests.services.confirm.requests import send as send_confirmation
from tests.services.training.events import training_event_with_material

pytestmark = pytest.mark.django_db

# Every route whose view serves a file: (route name, query strings it is fetched with).
DOWNLOAD_ROUTES = {
    "complaint-list": ["format=csv"],
    "complaint-evidence": [""],
    "complaint-result-notice": [""],
    "enterprise-list": ["format=csv"],
    "ledger:list": ["format=csv", "format=xlsx"],
    "ledger:evidence": [""],
    "ledger:import-errors": [""],
    "ledger:template": [""],
    "supervision:dashboard": ["export=by_region&format=csv", "export=laggards&format=xlsx"],
    "supervision:facts": ["measure=received&format=csv"],
    "supervision:case-export": [""],
    "supervision:reports": ["format=csv"],
    "supervision:report": ["format=xlsx"],
    "supervision:report-national-file": [""],
    "api-complaint-evidence-file": [""],
    "api-ledger-evidence-file": [""],
    "api-ledger-export": ["format=csv", "format=xlsx"],
    "api-ledger-import-errors": ["format=csv"],
    "staff-import-template": [""],
    "registration-licence": [""],
    "portal:listings": ["format=csv", "format=xlsx"],
    "portal:register-disclosures": ["format=csv", "format=xlsx"],
    "finding-prior-notice": [""],
    "referral-letter": [""],
    "portal:listing-changes": ["format=csv"],
    "portal:statistics": [
        "download=months&format=csv",
        "download=provinces&format=xlsx",
        "download=arrears&format=csv",
    ],
    "portal:statistics-region": ["download=months&format=csv"],
    "confirmations:request-pdf": [""],
    "training_public:ics": [""],
    "training_public:material": [""],
    "training:registrations-export": [""],
    "letters:pdf": [""],
    "letters:docx": [""],
}
# Code that builds a response carrying a file; only core/downloads.py may.
FILE_RESPONSE_CODE = re.compile(r"FileResponse\(|StreamingHttpResponse\(|Content-Disposition")
# The calls through which a view reaches core.downloads.file_response.
SERVES_A_FILE = re.compile(
    r"\b(file_response|download|csv_response|evidence_response|evidence_download|_export"
    r"|ledger_export|render_result_notice|_figure_file|pdf_download)\("
)


@pytest.fixture
def records(settings, tmp_path, make_item):
    settings.MEDIA_ROOT = tmp_path
    sme, keeper = User.objects.get(username="sme-demo"), User.objects.get(username="gd-intake")
    resolved, submitted = make_complaint(State.RESOLVED), make_complaint(State.SUBMITTED)
    evidence = evidence_add(actor=sme, complaint=submitted, name="合同.html", data=PDF)
    item = make_item(owed_fen=500_00)
    ledger_evidence = ledger_services.ledger_evidence_add(
        actor=User.objects.get(username="debtor-demo"),
        item=item,
        name="回单.png",
        data=pdf_bytes("r"),
    )
    upload = ledger_import_upload(
        actor=keeper, owner=item.owner, fileobj=io.BytesIO(b"x,y\n1,2\n"), original_name="a.csv"
    )
    reports_generate(
        definition=ReportDefinition.objects.get(code="quarterly-summary"),
        period_start=date(2026, 7, 1),
        on=date(2026, 10, 9),
    )
    report = ProvincialReport.objects.get(
        definition__code="quarterly-summary", period_start=date(2026, 7, 1), province_code="440000"
    )
    national = ["quarterly-summary", "2026-07-01"]
    registration = registration_in_review(settings, tmp_path / "sms")
    finding = decided_finding(item)
    agency = Enterprise.objects.create(
        uscc="11440100MB2C12345X", name="广州市某区交通运输局", type="agency", region_code="440106"
    )
    letter = demand_letter_create(
        actor=sme,
        facts=LetterFacts(
            debtor_name=item.debtor.name,
            debtor_uscc=item.debtor.uscc,
            debtor_type="large",
            contract_title="运输服务合同",
            contract_signed_on=date(2025, 7, 1),
            sme_notified_at_signing="yes",
            principal_fen=1_000_00,
            due_on=date(2025, 8, 31),
            interest_as_of=date(2025, 9, 30),
        ),
    )
    referral = referral_send(
        actor=User.objects.get(username="supervisor"),
        origin=decided_finding(make_item(debtor=agency, owed_fen=1_00)),
        referred_to="广州市人民政府",
        to_discipline_organs=False,
        facts="经督办仍未支付",
        response_working_days=20,
    )
    confirmation = send_confirmation(debtor=item.debtor, on=date.today())
    training, material = training_event_with_material(User.objects.get(username="gd-intake"))
    return {
        "confirmations:request-pdf": [confirmation.pk],
        "training_public:ics": [training.pk],
        "training_public:material": [training.pk, material.pk],
        "training:registrations-export": [training.pk],
        "referral-letter": [referral.pk],
        "finding-prior-notice": [finding.pk],
        "registration-licence": [registration.pk],
        "complaint-evidence": [submitted.pk, evidence.pk],
        "complaint-result-notice": [resolved.pk],
        "ledger:evidence": [item.pk, ledger_evidence.pk],
        "ledger:import-errors": [upload.pk],
        "ledger:template": ["xlsx"],
        "supervision:case-export": ["xlsx"],
        "supervision:report": [report.pk],
        "supervision:report-national-file": [*national, "pdf"],
        "api-complaint-evidence-file": [submitted.pk, evidence.pk],
        "api-ledger-evidence-file": [item.pk, ledger_evidence.pk],
        "api-ledger-import-errors": [upload.pk],
        "portal:statistics-region": ["44"],
        "letters:pdf": [letter.pk],
        "letters:docx": [letter.pk],
    }


NATIONAL_ROUTES = {
    "referral-letter",
    "supervision:dashboard",
    "supervision:facts",
    "supervision:report-national-file",
}


ADMINISTRATOR_ROUTES = {"staff-import-template", "finding-prior-notice"}
# An SME's own files: its demand letters and its printable confirmation requests.
SME_ROUTES = {"confirmations:request-pdf", "letters:pdf", "letters:docx"}


def reader(name: str) -> str:
    """Someone who may fetch the route: the national pages are the supervisor's,
    the staff pages an administrator's, the SME's own files the SME's."""
    if name in ADMINISTRATOR_ROUTES:
        return "admin"
    if name in SME_ROUTES:
        return "sme-demo"
    return "supervisor" if name in NATIONAL_ROUTES else "gd-intake"


def test_every_download_carries_the_sandbox_policy(records, client_for, api_client_for):
    for name, queries in DOWNLOAD_ROUTES.items():
        url = reverse(name, args=records.get(name, []))
        client = (api_client_for if name.startswith("api-") else client_for)(reader(name))
        for query in queries:
            response = client.get(f"{url}?{query}" if query else url)
            where = f"{name} {url}?{query}"
            assert response.status_code == 200, where
            assert response["Content-Disposition"].startswith("attachment;"), where
            assert response["Content-Security-Policy"] == DOWNLOAD_POLICY, where
            assert response["X-Content-Type-Options"] == "nosniff", where
            assert "text/html" not in response["Content-Type"], where


def test_the_list_names_every_route_whose_view_serves_a_file():
    """A route serves a file when its view calls one of the ways to the helper."""
    serving = {
        name
        for name, view in _named_views(get_resolver().url_patterns)
        if SERVES_A_FILE.search(_source(view))
    }
    assert serving == set(DOWNLOAD_ROUTES)


def _source(view) -> str:
    """Our view's code; a class made by a factory (the API's action views) has the
    factory's, which serves no file."""
    if not view.__module__.startswith("qingqian."):
        return ""
    try:
        return inspect.getsource(view)
    except OSError:
        return ""


def _named_views(patterns, namespace=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_views(pattern.url_patterns, inner)
        elif pattern.name:
            view = getattr(pattern.callback, "view_class", pattern.callback)
            # A callable instance (a syndication feed) is read as its class.
            is_code = inspect.isfunction(view) or inspect.isclass(view)
            yield f"{namespace}{pattern.name}", view if is_code else type(view)


def test_no_module_but_the_helper_builds_a_file_response():
    root = Path(qingqian.__file__).parent
    builders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if FILE_RESPONSE_CODE.search(path.read_text(encoding="utf-8"))
    ]
    assert builders == ["core/downloads.py"]
