"""The public read API (/api/v1/public/): signed out, GET only, throttled per client;
statistics suppressed as on the pages, published notices only, and an Open311
GeoReport v2 read view of the complaints that left draft, with no personal data."""

import re
from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.utils import timezone

from qingqian.complaints import services as complaint_services
from qingqian.complaints.models import OPEN_STATES, Complaint, State
from qingqian.demo_complaints import seed_demo_complaints
from tests.portal import test_notices
from tests.portal.test_home import received
from tests.portal.test_no_personal_data import leaks, personal_data

BASE = "/api/v1/public"
notices = test_notices.notices  # the fixture: two published, one rejected, one pending
# GeoReport v2, GET requests.json: the fields of a service request, in the spec's order.
REQUEST_FIELDS = [
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
]
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
ISO_CST = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()  # the throttle counts in the cache: each test starts at zero
    yield
    cache.clear()


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_demo_complaints()


def xml(response) -> ElementTree.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ElementTree.fromstring(response.content)


# Every demo complaint: they were filed up to 155 days ago, past the default 90.
EVER = {"start_date": "2000-01-01"}


def every_page(client, url: str, params: dict | None = None) -> list[dict]:
    rows, page = [], 1
    while True:
        response = client.get(url, {**(params or {}), "page": page, "page_size": 5})
        if response.status_code == 404:
            return rows
        assert response.status_code == 200
        rows += response.json()
        page += 1


# --- Open311 ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_services_carry_the_georeport_fields_in_json_and_xml(client):
    services = client.get(f"{BASE}/open311/services.json").json()
    assert [s["service_code"] for s in services] == ["goods", "works", "services"]
    for service in services:
        assert list(service) == SERVICE_FIELDS
        assert service["metadata"] is False
        assert service["type"] == "realtime"
    root = xml(client.get(f"{BASE}/open311/services.xml"))
    assert root.tag == "services"
    assert [child.tag for child in root] == ["service"] * 3
    assert [field.tag for field in root[0]] == SERVICE_FIELDS
    assert root[0].find("metadata").text == "false"


@pytest.mark.django_db
def test_requests_carry_the_georeport_fields_and_formats(client, demo):
    requests = every_page(client, f"{BASE}/open311/requests.json", EVER)
    submitted = Complaint.objects.exclude(state=State.DRAFT)
    assert len(requests) == submitted.count() > 5
    numbered = {c.tracking_number: c for c in submitted}
    for request in requests:
        assert list(request) == REQUEST_FIELDS
        complaint = numbered[request["service_request_id"]]  # the public number, not the pk
        assert request["status"] == ("open" if complaint.state in OPEN_STATES else "closed")
        assert request["service_code"] == complaint.subject
        assert request["description"] == "" and request["media_url"] == ""
        assert ISO_CST.match(request["requested_datetime"]), request
        assert ISO_CST.match(request["updated_datetime"]), request
        assert request["expected_datetime"] is None or ISO_CST.match(request["expected_datetime"])
    assert {r["status"] for r in requests} == {"open", "closed"}
    assert any(r["expected_datetime"] for r in requests if r["status"] == "open")
    assert any(r["agency_responsible"] for r in requests)


@pytest.mark.django_db
def test_a_request_names_only_its_province_and_its_due_date(client, demo):
    complaint = Complaint.objects.filter(state=State.ACCEPTED, province_code="440000").first()
    due = complaint.deadlines.filter(status="open").order_by("due_on").first().due_on
    url = f"{BASE}/open311/requests/{complaint.tracking_number}.json"
    [request] = client.get(url).json()
    assert request["address"] == "广东省"
    assert (
        request["agency_responsible"]
        == (complaint.handling_department or complaint.accepting_authority).name
    )
    expected = datetime.fromisoformat(request["expected_datetime"])
    assert expected.date() == due and expected.utcoffset().total_seconds() == 8 * 3600
    root = xml(client.get(url.replace(".json", ".xml")))
    assert root.tag == "service_requests"
    assert [field.tag for field in root.find("request")] == REQUEST_FIELDS
    assert root.find("request/service_request_id").text == complaint.tracking_number


@pytest.mark.django_db
def test_drafts_are_absent(client, demo):
    drafts = Complaint.objects.filter(state=State.DRAFT)
    assert drafts.exists()
    requests = every_page(client, f"{BASE}/open311/requests.json", EVER)
    ids = {r["service_request_id"] for r in requests}
    for draft in drafts:
        assert str(draft.pk) not in ids
        response = client.get(f"{BASE}/open311/requests/{draft.pk}.json")
        assert response.status_code == 404
        assert response.json()[0]["code"] == 404


@pytest.mark.django_db
def test_requests_filter_by_the_spec_parameters(client, demo):
    url = f"{BASE}/open311/requests.json"
    closed = client.get(url, {**EVER, "status": "closed", "page_size": 100}).json()
    assert closed and {r["status"] for r in closed} == {"closed"}
    works = client.get(url, {**EVER, "service_code": "works", "page_size": 100}).json()
    assert (
        len(works) == Complaint.objects.exclude(state=State.DRAFT).filter(subject="works").count()
    )
    two = [r["service_request_id"] for r in closed[:2]]
    chosen = client.get(url, {"service_request_id": ",".join(two), "status": "open"}).json()
    assert sorted(r["service_request_id"] for r in chosen) == sorted(two)  # status ignored
    future = timezone.localdate().replace(year=timezone.localdate().year + 1).isoformat()
    assert client.get(url, {"start_date": future}).json() == []
    assert len(client.get(url, {"end_date": future, "page_size": 100}).json()) == len(
        every_page(client, url, EVER)
    )


@pytest.mark.django_db
def test_without_dates_the_requests_are_those_of_the_last_90_days(client, user, draft):
    """GeoReport v2: with no start_date/end_date, the range defaults to the most
    recent 90 days of requested_datetime (here the day the complaint was filed)."""
    sme, today = user("sme-demo"), timezone.localdate()
    filed = {}
    for days in (89, 90, 91):
        complaint = complaint_services.complaint_submit(
            actor=sme,
            complaint=draft(contract_number=f"W-{days}"),
            on=today - timedelta(days=days),
        )
        filed[days] = complaint.tracking_number
    url = f"{BASE}/open311/requests.json"
    shown = {r["service_request_id"] for r in client.get(url, {"page_size": 100}).json()}
    assert filed[89] in shown and filed[90] in shown
    assert filed[91] not in shown
    xml_ids = {
        e.text for e in xml(client.get(url.replace(".json", ".xml"))).iter("service_request_id")
    }
    assert xml_ids == shown
    # Either date given: the window is the one asked for, no default.
    since = (today - timedelta(days=100)).isoformat()
    asked = {r["service_request_id"] for r in client.get(url, {"start_date": since}).json()}
    assert set(filed.values()) <= asked
    until = (today - timedelta(days=91)).isoformat()
    old = {r["service_request_id"] for r in client.get(url, {"end_date": until}).json()}
    assert filed[91] in old and filed[89] not in old


@pytest.mark.django_db
def test_bad_parameters_are_errors_in_the_spec_format(client):
    response = client.get(f"{BASE}/open311/requests.json", {"status": "pending"})
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and "status" in error["description"]
    root = xml(client.get(f"{BASE}/open311/requests.xml", {"start_date": "yesterday"}))
    assert root.tag == "errors"
    assert root.find("error/code").text == "400"
    assert "start_date" in root.find("error/description").text


# --- statistics and notices ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("count", "shown"), [(4, "<5"), (5, 5)])
def test_statistics_suppress_small_counts_as_the_pages(client, count, shown):
    received(count)
    body = client.get(f"{BASE}/statistics/").json()
    assert body["totals"]["received"] == shown
    guangdong = next(row for row in body["provinces"] if row["region"] == "44")
    assert guangdong["received"] == shown
    province = client.get(f"{BASE}/statistics/", {"region": "44"}).json()
    assert province["name"] == "广东省" and province["provinces"] == []
    assert province["months"][-1]["received"] == shown


@pytest.mark.django_db
def test_statistics_refuse_a_bad_region_naming_it(client):
    response = client.get(f"{BASE}/statistics/", {"region": "4"})
    assert response.status_code == 400
    assert "region" in response.json()["fields"]


def test_notices_are_the_published_only(client, notices):
    body = client.get(f"{BASE}/notices/").json()
    assert body["count"] == 2
    assert [n["title"] for n in body["results"]] == ["先起草后批准的通报", "后起草先批准的通报"]
    for notice in body["results"]:
        assert set(notice) == {"id", "title", "text", "authority", "region_code", "published_at"}
    one = client.get(f"{BASE}/notices/{notices['published'][0].pk}/").json()
    assert one["text"].startswith("经核查")
    for hidden in (notices["rejected"], notices["pending"]):
        assert client.get(f"{BASE}/notices/{hidden.pk}/").status_code == 404
    assert "起草人王五" not in str(body) and "审核意见" not in str(body)


# --- the public's guarantees ----------------------------------------------------------------


@pytest.mark.django_db
def test_no_personal_data_nor_text_in_any_public_response(client, demo):
    secrets = personal_data()
    texts = {
        text
        for c in Complaint.objects.all()
        for text in (c.request_text, c.facts_text, c.result_text)
        if len(text) >= 6
    }
    debtors = {c.debtor.name for c in Complaint.objects.exclude(debtor=None)}
    assert secrets and texts and debtors
    secrets |= texts | debtors  # the debtor is never named (no published record does)
    urls = [
        f"{BASE}/statistics/",
        f"{BASE}/notices/",
        f"{BASE}/open311/services.json",
        f"{BASE}/open311/requests.json?page_size=100&start_date=2000-01-01",
        f"{BASE}/open311/requests.xml?page_size=100&start_date=2000-01-01",
        *[
            f"{BASE}/open311/requests/{c.tracking_number}.xml"
            for c in Complaint.objects.exclude(state=State.DRAFT)
        ],
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not leaks(body, secrets), url


@pytest.mark.django_db
def test_the_public_api_refuses_writes(client):
    assert client.post(f"{BASE}/open311/requests.json", {}).status_code == 405
    assert client.post(f"{BASE}/notices/", {}).status_code == 405


@pytest.mark.django_db
def test_the_throttle_answers_429_past_the_rate_per_client(client, settings):
    settings.QINGQIAN_API_PUBLIC_RATE = "2/min"
    url = f"{BASE}/open311/services.json"
    for _ in range(2):
        assert client.get(url).status_code == 200
    throttled = client.get(url)
    assert throttled.status_code == 429
    assert throttled.json()[0]["code"] == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert client.get(f"{BASE}/statistics/").status_code == 429  # one count per client
    assert client.get(url, REMOTE_ADDR="198.51.100.8").status_code == 200


@pytest.mark.django_db
def test_the_public_schema_documents_only_the_public_api(client):
    schema = client.get(f"{BASE}/schema/", HTTP_ACCEPT="application/json").json()
    assert set(schema["paths"]) == {
        "/api/v1/public/statistics/",
        "/api/v1/public/notices/",
        "/api/v1/public/notices/{id}/",
        "/api/v1/public/open311/services.{fmt}",
        "/api/v1/public/open311/requests.{fmt}",
        "/api/v1/public/open311/requests/{request_id}.{fmt}",
        "/api/v1/public/interest/",
        "/api/v1/public/deadline/",
        "/api/v1/public/size/",
        "/api/v1/public/payment-term/",
    }
    tags = {tag for op in schema["paths"].values() for o in op.values() for tag in o["tags"]}
    assert tags == {"public"}
