from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from qingqian.core.models import AuditEvent, CalendarDay, CalendarYear, LprRate
from qingqian.core.selectors import load_calendar

SCHEDULE_2027 = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节调休\n"


def upload(text, name="2027.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.mark.django_db
def test_missing_next_year_is_announced(client_for):
    page = client_for("admin").get("/reference/").content.decode()
    assert "2027" in page and "未录入" in page


@pytest.mark.django_db
def test_administrator_imports_a_year_and_the_calendar_knows_it(client_for):
    client = client_for("admin")
    response = client.post(
        "/reference/calendar/2027/", {"action": "import", "file": upload(SCHEDULE_2027)}
    )
    assert response.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()
    calendar = load_calendar()
    assert not calendar.is_workday(date(2027, 1, 1))
    assert calendar.is_workday(date(2027, 2, 6))  # a Saturday worked
    assert AuditEvent.objects.order_by("-seq").first().verb == "calendar.import"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload("2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n"), "2"),  # names the bad line
        (upload("2027-01-04,workday,周一\n"), "1"),  # a Monday cannot be a make-up day
        (SimpleUploadedFile("a.csv", "日期".encode("gbk")), "UTF-8"),
        (upload(SCHEDULE_2027, name="schedule.xlsx"), ".csv"),
    ],
)
def test_bad_schedule_files_write_nothing(client_for, file, message):
    before = (CalendarDay.objects.count(), AuditEvent.objects.count())
    response = client_for("admin").post(
        "/reference/calendar/2027/", {"action": "import", "file": file}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (CalendarDay.objects.count(), AuditEvent.objects.count()) == before
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_a_chinese_header_file_imports_on_the_page(client_for):
    text = "\ufeff日期,类别,名称\n2027-01-01,休,元旦\n2027-02-06,班,春节调休\n"
    response = client_for("admin").post(
        "/reference/calendar/2027/", {"action": "import", "file": upload(text)}
    )
    assert response.status_code == 302
    calendar = load_calendar()
    assert not calendar.is_workday(date(2027, 1, 1)) and calendar.is_workday(date(2027, 2, 6))


BAD_2027 = "日期,类别,名称\n2027-01-01,休,元旦\n2027-13-01,休,x\n2027-01-04,班,周一\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "messages"),
    [
        (
            "zh-hans",
            ["第 3 行，日期：“2027-13-01”不是有效日期", "第 4 行，类别：2027-01-04 不是周末"],
        ),
        (
            "en",
            ["Line 3, date: “2027-13-01” is not a date", "Line 4, kind: 2027-01-04 is a weekday"],
        ),
    ],
)
def test_a_bad_file_is_refused_in_the_readers_language(client_for, language, messages):
    before = (CalendarDay.objects.count(), AuditEvent.objects.count())
    client = client_for("admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(
        "/reference/calendar/2027/", {"action": "import", "file": upload(BAD_2027)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    for message in messages:
        assert message in page
    assert (CalendarDay.objects.count(), AuditEvent.objects.count()) == before
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_administrator_adds_and_removes_a_day(client_for):
    client = client_for("admin")
    client.post(
        "/reference/calendar/2026/",
        {"action": "set", "date": "2026-12-31", "kind": "holiday", "name": "测试"},
    )
    assert not load_calendar().is_workday(date(2026, 12, 31))
    client.post("/reference/calendar/2026/", {"action": "delete", "date": "2026-12-31"})
    assert load_calendar().is_workday(date(2026, 12, 31))
    verbs = [e.verb for e in AuditEvent.objects.order_by("-seq")[:2]]
    assert len(set(verbs)) == 2


@pytest.mark.django_db
def test_administrator_maintains_the_lpr(client_for):
    client = client_for("admin")
    response = client.post(
        "/reference/lpr/",
        {"effective_from": "2026-10-20", "rate_percent": "2.90", "source": "测试"},
    )
    assert response.status_code == 302
    assert LprRate.objects.get(effective_from=date(2026, 10, 20)).rate_percent == Decimal("2.9")
    response = client.post(
        "/reference/lpr/", {"effective_from": "2026-11-20", "rate_percent": "-1"}
    )
    assert response.status_code == 200
    assert not LprRate.objects.filter(effective_from=date(2026, 11, 20)).exists()
    client.post("/reference/lpr/", {"action": "delete", "effective_from": "2026-10-20"})
    assert not LprRate.objects.filter(effective_from=date(2026, 10, 20)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["supervisor", "gd-intake", "sme-demo"])
def test_only_administrators_edit_reference_data(client_for, username):
    client = client_for(username)
    for url in ("/reference/", "/reference/calendar/2026/", "/reference/lpr/"):
        assert client.get(url).status_code == 403
    client.post("/reference/lpr/", {"effective_from": "2026-10-20", "rate_percent": "2.90"})
    assert not LprRate.objects.filter(effective_from=date(2026, 10, 20)).exists()
