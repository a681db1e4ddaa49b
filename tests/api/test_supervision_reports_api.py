"""The information reports API: scope (404), permissions (403), field errors (400),
state and version conflicts (409), and the national aggregate."""

from __future__ import annotations

import pytest

from qingqian.core.models import AuditEvent
from qingqian.supervision.models import ProvincialReport
from tests.supervision import test_report_views as pages

GD_CODE, JS_CODE = pages.GD_CODE, pages.JS_CODE
# The same reports and mounted URLs as the pages' tests.
quarterly, js_report = pages.quarterly, pages.js_report

REPORTS = "/api/v1/supervision/reports/"
NATIONAL = f"{REPORTS}national/"


def test_list_and_read_in_scope(api_client_for, quarterly, js_report):
    everything = ProvincialReport.objects.count()
    body = api_client_for("supervisor").get(REPORTS).json()
    assert body["count"] == everything
    gd = api_client_for("gd-intake")
    body = gd.get(REPORTS).json()
    assert body["count"] == 1 and body["results"][0]["province_code"] == GD_CODE
    assert body["results"][0]["definition"] == "quarterly-summary"
    detail = gd.get(f"{REPORTS}{quarterly.pk}/")
    assert detail.status_code == 200
    data = detail.json()
    assert data["province_name"] == "广东省" and data["late"] is True
    values = {v["key"]: v for v in data["values"]}
    assert values["identified_fen"]["prefilled"] == 250_000_00
    assert values["identified_fen"]["kind"] == "money" and values["received"]["kind"] == "count"
    assert gd.get(f"{REPORTS}{js_report.pk}/").status_code == 404
    assert gd.get(f"{REPORTS}999999999/").status_code == 404


def test_list_filters(api_client_for, quarterly):
    client = api_client_for("admin")
    count = ProvincialReport.objects.count()
    assert client.get(REPORTS, {"definition": "quarterly-summary"}).json()["count"] == count
    assert client.get(REPORTS, {"definition": "monthly-progress"}).json()["count"] == 0
    assert client.get(REPORTS, {"period": "2026-07-01"}).json()["count"] == count
    assert client.get(REPORTS, {"state": "submitted"}).json()["count"] == 0
    bad = client.get(REPORTS, {"state": "nonsense", "period": "2026-13-01"})
    assert bad.status_code == 400 and {"state", "period"} <= set(bad.json()["fields"])


@pytest.mark.parametrize("username", ["gd-handler", "sme-demo", "debtor-demo"])
def test_reports_are_for_officials_of_sme_authorities(api_client_for, quarterly, username):
    client = api_client_for(username)
    assert client.get(REPORTS).status_code == 403
    assert client.get(f"{REPORTS}{quarterly.pk}/").status_code == 404


def test_setting_a_value_and_submitting(api_client_for, quarterly):
    client = api_client_for("gd-intake")
    response = client.post(
        f"{REPORTS}{quarterly.pk}/values/",
        {"key": "received", "value": 3, "reason": "线下登记两件", "version": 0},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    received = next(v for v in body["values"] if v["key"] == "received")
    assert received["value"] == 3 and received["changed"] and body["version"] == 1
    assert AuditEvent.objects.latest("seq").verb == "supervision.report_value"
    response = client.post(f"{REPORTS}{quarterly.pk}/submit/", {"version": 1}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    again = client.post(f"{REPORTS}{quarterly.pk}/submit/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "conflict"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"key": "received", "value": 3}, "reason"),
        ({"key": "received", "value": 3, "reason": " "}, "reason"),
        ({"key": "received", "value": -1, "reason": "x"}, "value"),
        ({"key": "received", "value": "many", "reason": "x"}, "value"),
        ({"key": "received", "value": 10**15, "reason": "x"}, "value"),
        ({"key": "received", "value": 10**30, "reason": "x"}, "value"),
        ({"key": "nonsense", "value": 1, "reason": "x"}, "key"),
        ({"value": 1, "reason": "x"}, "key"),
        ({"key": "received", "value": 1, "reason": "x", "state": "submitted"}, "state"),
    ],
)
def test_value_refusals_name_the_field(api_client_for, quarterly, payload, field):
    client = api_client_for("gd-intake")
    before = AuditEvent.objects.count()
    response = client.post(f"{REPORTS}{quarterly.pk}/values/", payload, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert AuditEvent.objects.count() == before
    assert quarterly.values.get(key="received").value == 0


def test_stale_version_is_a_409(api_client_for, quarterly):
    client = api_client_for("gd-intake")
    url = f"{REPORTS}{quarterly.pk}/values/"
    client.post(url, {"key": "received", "value": 1, "reason": "a", "version": 0}, format="json")
    response = client.post(
        url, {"key": "received", "value": 2, "reason": "b", "version": 0}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "stale"


@pytest.mark.parametrize(("username", "status"), [("supervisor", 403), ("js-intake", 404)])
def test_others_may_not_report(api_client_for, quarterly, username, status):
    client = api_client_for(username)
    payload = {"key": "received", "value": 1, "reason": "x"}
    assert client.post(f"{REPORTS}{quarterly.pk}/values/", payload, format="json").status_code == (
        status
    )
    assert client.post(f"{REPORTS}{quarterly.pk}/submit/", {}, format="json").status_code == status


def test_the_national_aggregate(api_client_for, quarterly, js_report):
    api_client_for("gd-intake").post(f"{REPORTS}{quarterly.pk}/submit/", {}, format="json")
    response = api_client_for("supervisor").get(
        NATIONAL, {"definition": "quarterly-summary", "period": "2026-07-01"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["counts"]["submitted"] == 1
    assert body["counts"]["expected"] == ProvincialReport.objects.count()
    assert body["counts"]["late"] == body["counts"]["expected"] - 1
    assert body["totals"]["identified_fen"] == 250_000_00
    assert body["totals"]["received"] == 0
    rows = {row["province_code"]: row for row in body["rows"]}
    assert rows[GD_CODE]["state"] == "submitted" and rows[JS_CODE]["late"] is True
    assert rows[GD_CODE]["values"]["identified_fen"] == 250_000_00
    assert [f["key"] for f in body["figures"]][:2] == ["received", "accepted"]


def test_the_national_aggregate_refusals(api_client_for, quarterly):
    query = {"definition": "quarterly-summary", "period": "2026-07-01"}
    assert api_client_for("gd-intake").get(NATIONAL, query).status_code == 403
    admin = api_client_for("admin")
    assert admin.get(NATIONAL, {**query, "definition": "nonsense"}).status_code == 404
    bad = admin.get(NATIONAL, {"period": "July"})
    assert bad.status_code == 400 and {"definition", "period"} <= set(bad.json()["fields"])
