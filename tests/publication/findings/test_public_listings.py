"""The defaulters list in public: listings in force with their status, the
exports, and the change record since a moment."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.utils import timezone

from qingqian.publication.findings import services
from tests.publication.findings.test_findings import credit_list, notified, proposed  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(user, proposed, credit_list):  # noqa: F811
    finding, _item = proposed
    finding = notified(user, finding, credit_list, date(2026, 9, 30))
    return services.finding_publish(actor=user("admin"), finding=finding, on=date(2026, 10, 14))


def test_the_list_shows_listings_in_force_and_says_when_under_review(client, user, listed):
    page = client.get("/public/listings/").content.decode()
    assert "广东粤海城建集团有限公司" in page and listed.enterprise.uscc in page
    assert "2027-10-14" in page
    rows = client.get("/public/listings/?format=json").json()["listings"]
    assert [(row["uscc"], row["under_review"]) for row in rows] == [(listed.enterprise.uscc, False)]
    services.finding_object(actor=user("debtor-demo"), finding=listed, text="有争议")
    rows = client.get("/public/listings/?format=json").json()["listings"]
    assert rows[0]["under_review"] is True
    csv = b"".join(client.get("/public/listings/?format=csv").streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("uscc,name,region_code,list")


def test_changes_since_a_moment(client, user, listed):
    before = timezone.now()
    services.finding_object(actor=user("debtor-demo"), finding=listed, text="有争议")
    everything = client.get("/public/listings/changes/").json()["changes"]
    assert [row["change"] for row in everything] == ["listed", "under_review"]
    since = client.get("/public/listings/changes/", {"since": before.isoformat()}).json()
    assert [row["change"] for row in since["changes"]] == ["under_review"]
    assert since["changes"][0]["uscc"] == listed.enterprise.uscc
    refused = client.get("/public/listings/changes/", {"since": "yesterday"})
    assert refused.status_code == 400 and "since" in json.loads(refused.content)["fields"]
    feed = client.get("/public/listings/feed/").content.decode()
    assert feed.count("<entry>") == 2 and listed.enterprise.uscc in feed


def test_nothing_before_publication_is_public(client, user, proposed, credit_list):  # noqa: F811
    finding, _item = proposed
    notified(user, finding, credit_list, date(2026, 9, 30))
    assert client.get("/public/listings/?format=json").json()["listings"] == []
    assert client.get("/public/listings/changes/").json()["changes"] == []
