"""An event as an iCalendar file (RFC 5545), built by the `icalendar` library.

Times carry TZID=Asia/Shanghai with the zone's VTIMEZONE, so a calendar abroad
shows the right moment; the UID is stable per event and installation, so
importing the file again (after a change or a cancellation) updates the entry
instead of adding a second one.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from qingqian.notifications.services import absolute_url
from qingqian.services.models import TrainingEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")
PRODUCT_ID = "-//Qingqian//Training events//ZH"


def event_uid(event: TrainingEvent) -> str:
    host = urlsplit(settings.QINGQIAN_BASE_URL).hostname or "qingqian"
    return f"training-event-{event.pk}@{host}"


def event_calendar(event: TrainingEvent) -> bytes:
    page = absolute_url(reverse("training_public:detail", args=[event.pk]))
    entry = Event()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at.astimezone(SHANGHAI))
    entry.add("dtend", event.ends_at.astimezone(SHANGHAI))
    entry.add("summary", event.title)
    entry.add("location", event.place or event.online_url)
    entry.add("url", page)
    entry.add("description", _description(event, page))
    if event.state == TrainingEvent.State.CANCELLED:
        entry.add("status", "CANCELLED")
    else:
        entry.add("status", "CONFIRMED")
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _description(event: TrainingEvent, page: str) -> str:
    parts = [event.organiser.name, event.description.strip(), event.online_url, page]
    return "\n\n".join(part for part in parts if part)
