"""Complaints transferred by another body (the national platform, the State
Council's "Internet + supervision" channel): recorded with that channel and the
sender's reference, on the page and the API, and counted by channel."""

import pytest

from qingqian.complaints import services
from qingqian.complaints.models import Complaint
from qingqian.core.models import AuditEvent
from qingqian.supervision.dashboard import selectors as dashboard
from qingqian.supervision.dashboard import tallies

from .test_views import SME_USCC, intake_data


@pytest.fixture(autouse=True)
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_intake_records_a_complaint_transferred_from_the_national_platform(client_for):
    client = client_for("gd-intake")
    data = intake_data(
        complainant_uscc=SME_USCC, channel="national_platform", source_reference=" ZB-2026-0815 "
    )
    response = client.post("/complaints/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.source_reference) == ("national_platform", "ZB-2026-0815")
    page = client.get(response["Location"]).content.decode()
    assert "ZB-2026-0815" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("channel", "reference"),
    [("internet_supervision", ""), ("national_platform", "   "), ("phone", "ZB-1")],
)
def test_reference_and_channel_must_agree_or_nothing_is_submitted(client_for, channel, reference):
    """A transferred complaint needs the sender's reference; a phone call has none. The
    refused form is kept as a draft (with its files), never submitted."""
    data = intake_data(complainant_uscc=SME_USCC, channel=channel, source_reference=reference)
    response = client_for("gd-intake").post("/complaints/new/", data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"source_reference"}
    assert not Complaint.objects.exclude(state="draft").exists()
    assert not AuditEvent.objects.filter(verb="complaint.submit").exists()


@pytest.mark.django_db
def test_the_api_takes_and_shows_the_channel_and_reference(api_client_for):
    from tests.api.test_complaints_api import create_body

    client = api_client_for("gd-intake")
    complainant = Complaint._meta.get_field("complainant").related_model.objects.get(uscc=SME_USCC)
    body = create_body(
        complainant=complainant.pk,
        channel="internet_supervision",
        source_reference="HLWDC-2026-77",
        submit=True,
    )
    response = client.post("/api/v1/complaints/", body, format="json")
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert (answer["channel"], answer["source_reference"]) == (
        "internet_supervision",
        "HLWDC-2026-77",
    )
    refused = client.post(
        "/api/v1/complaints/",
        create_body(complainant=complainant.pk, channel="national_platform", submit=True),
        format="json",
    )
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"source_reference"}


@pytest.mark.django_db
def test_the_dashboard_and_stats_count_complaints_by_channel(
    draft, user, api_client_for, client_for
):
    sme, intake = user("sme-demo"), user("gd-intake")
    filed = [
        ("online", ""),
        ("national_platform", "ZB-1"),
        ("national_platform", "ZB-2"),
        ("internet_supervision", "HL-1"),
        ("phone", ""),
    ]
    for number, (channel, reference) in enumerate(filed):
        complaint = draft(contract_number=f"CH-{number}")
        if channel != "online":
            complaint = services.complaint_update_draft(
                actor=sme, complaint=complaint, channel=channel, source_reference=reference
            )
        services.complaint_submit(actor=sme, complaint=complaint)
    expected = {"online": 1, "phone": 1, "letter": 0, "fax": 0, "visit": 0}
    expected |= {"national_platform": 2, "internet_supervision": 1}
    figures = dashboard.dashboard(actor=intake)
    assert figures["complaints"]["by_channel"] == expected
    assert figures["complaints"]["received"] == 5
    body = api_client_for("supervisor").get("/api/v1/stats/").json()
    assert body["complaints"]["by_channel"] == expected
    page = client_for("gd-intake").get("/supervision/").content.decode()
    row = page.split('data-testid="channels"')[1].split("</table>")[0]
    assert "<td>2</td>" in row
    assert tallies.recount().regions == tallies.stored().regions
