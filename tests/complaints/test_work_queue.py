"""Officials' work queue: each complaint's running clock due first, days left in
the clock's own unit (or days overdue), nearest due date first, filters by stage
and due window; the same on the page and through the API."""

from datetime import timedelta

import chinese_calendar
import pytest
from django.utils import timezone

from qingqian.accounts.models import Organisation
from qingqian.complaints import services
from qingqian.complaints.models import Deadline

Stage = Deadline.Stage


def due_in(complaint, stage, days: int) -> None:
    """Put the complaint's running clock of `stage` `days` calendar days from today."""
    today = timezone.localdate()
    complaint.deadlines.filter(stage=stage).update(due_on=today + timedelta(days=days))


@pytest.fixture
def queue(draft, user):
    """In review: overdue by 4 days, due in 2 days, due in 20 days; in handling
    (transferred): due in 5 calendar days."""
    sme, intake = user("sme-demo"), user("gd-intake")
    overdue, soon, later, handled = (
        services.complaint_submit(actor=sme, complaint=draft(contract_number=f"Q-{n}"))
        for n in range(4)
    )
    handled = services.complaint_accept(actor=intake, complaint=handled)
    handled = services.complaint_transfer(
        actor=intake, complaint=handled, department=Organisation.objects.get(name="广东省财政厅")
    )
    due_in(overdue, Stage.REVIEW, -4)
    due_in(soon, Stage.REVIEW, 2)
    due_in(later, Stage.REVIEW, 20)
    due_in(handled, Stage.HANDLING, 5)
    return {"overdue": overdue, "soon": soon, "later": later, "handled": handled}


def working_days_within(days: int) -> int:
    """Working days in (today, today + days], by the published schedule."""
    today = timezone.localdate()
    return sum(chinese_calendar.is_workday(today + timedelta(days=n)) for n in range(1, days + 1))


def numbers(complaints) -> list[str]:
    return [c.contract_number for c in complaints]


def listed(client, query="") -> list[str]:
    return numbers(client.get(f"/complaints/?{query}").context["page"])


@pytest.mark.django_db
def test_the_list_puts_the_nearest_due_date_first_and_says_how_many_days_are_left(
    queue, client_for
):
    client = client_for("gd-intake")
    assert listed(client) == ["Q-0", "Q-1", "Q-3", "Q-2"]
    rows = {c.contract_number: c.next_due for c in client.get("/complaints/").context["page"]}
    assert (rows["Q-0"].days_overdue, rows["Q-0"].stage) == (4, Stage.REVIEW)
    assert (rows["Q-1"].unit, rows["Q-1"].days_left) == ("working_days", working_days_within(2))
    assert (rows["Q-3"].unit, rows["Q-3"].days_left) == ("days", 5)
    assert rows["Q-3"].stage == Stage.HANDLING
    client.cookies["django_language"] = "en"
    page = client.get("/complaints/").content.decode()
    assert "overdue by 4 days" in page and "5 days left" in page
    assert listed(client, "ordering=newest") == ["Q-3", "Q-2", "Q-1", "Q-0"]


@pytest.mark.django_db
def test_the_list_filters_by_stage_and_due_window(queue, client_for):
    client = client_for("gd-intake")
    assert listed(client, "stage=handling") == ["Q-3"]
    assert listed(client, "stage=review") == ["Q-0", "Q-1", "Q-2"]
    assert listed(client, "due=overdue") == ["Q-0"]
    assert listed(client, "due=3") == ["Q-1"]
    assert listed(client, "due=7") == ["Q-1", "Q-3"]
    assert listed(client, "stage=review&due=7") == ["Q-1"]


@pytest.mark.django_db
def test_the_api_lists_the_same_queue_with_its_fields_filters_and_ordering(queue, api_client_for):
    api = api_client_for("gd-intake")
    body = api.get("/api/v1/complaints/").json()
    assert [row["contract_number"] for row in body["results"]] == ["Q-0", "Q-1", "Q-3", "Q-2"]
    first = body["results"][0]["next_due"]
    assert (first["stage"], first["days_overdue"], first["days_left"]) == ("review", 4, 0)
    handled = body["results"][2]["next_due"]
    assert (handled["unit"], handled["days_left"]) == ("days", 5)
    due_7 = api.get("/api/v1/complaints/", {"due": "7", "stage": "handling"}).json()
    assert [row["contract_number"] for row in due_7["results"]] == ["Q-3"]
    newest = api.get("/api/v1/complaints/", {"ordering": "newest"}).json()
    assert [row["contract_number"] for row in newest["results"]] == ["Q-3", "Q-2", "Q-1", "Q-0"]
    refused = api.get("/api/v1/complaints/", {"due": "soon"})
    assert refused.status_code == 400 and "due" in refused.json()["fields"]


def test_the_schema_documents_the_queue_filters_and_fields():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/complaints/"]["get"]["parameters"]}
    assert parameters["due"]["schema"]["enum"] == ["overdue", "3", "7"]
    assert parameters["ordering"]["schema"]["enum"] == ["due", "newest"]
    assert "handling" in parameters["stage"]["schema"]["enum"]
    item = schema["components"]["schemas"]["ComplaintQueueItem"]
    assert "next_due" in item["properties"]


@pytest.mark.django_db
def test_the_detail_page_counts_a_handling_clock_in_calendar_days(queue, client_for):
    client = client_for("gd-intake")
    client.cookies["django_language"] = "en"
    page = client.get(f"/complaints/{queue['handled'].pk}/").content.decode()
    assert "due in 5 days" in page and "due in 5 working days" not in page
