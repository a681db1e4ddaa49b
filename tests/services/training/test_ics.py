"""The calendar file parses back with the library and says the right moments."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from qingqian.core.downloads import DOWNLOAD_POLICY
from qingqian.services.training import services

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_ics_parses_back_with_the_right_times(client, make_event):
    starts_at = datetime(2030, 3, 5, 9, 30, tzinfo=SHANGHAI)  # 01:30 UTC
    event = make_event(
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2, minutes=30),
        registration_closes_at=starts_at - timedelta(days=2),
        online_url="https://meeting.example.cn/abc",
    )
    response = client.get(reverse("training_public:ics", args=[event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Security-Policy"] == DOWNLOAD_POLICY
    calendar = Calendar.from_ical(response.content)
    (entry,) = calendar.walk("VEVENT")
    start, end = entry.decoded("dtstart"), entry.decoded("dtend")
    assert start == starts_at and start.utcoffset() == timedelta(hours=8)
    assert end - start == timedelta(hours=2, minutes=30)
    assert entry["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert str(entry["summary"]) == event.title
    assert str(entry["location"]) == event.place
    assert str(entry["url"]).endswith(reverse("training_public:detail", args=[event.pk]))
    assert "https://meeting.example.cn/abc" in str(entry["description"])
    assert str(entry["uid"]).startswith(f"training-event-{event.pk}@")
    assert str(entry["status"]) == "CONFIRMED"


def test_the_uid_is_stable_and_a_cancelled_event_says_so(client, make_event, user):
    event = make_event()
    url = reverse("training_public:ics", args=[event.pk])
    before = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    services.training_event_cancel(actor=user("gd-intake"), event=event, note="改期")
    after = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert str(after["uid"]) == str(before["uid"])
    assert str(after["status"]) == "CANCELLED"


def test_a_draft_has_no_calendar_file(client, make_event):
    event = make_event(publish=False)
    assert client.get(reverse("training_public:ics", args=[event.pk])).status_code == 404
