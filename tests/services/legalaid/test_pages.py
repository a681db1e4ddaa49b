"""The pages of legal aid: the SME asks and rates, the legal service answers,
the officials look on; outside the scope a request is a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qingqian.services.models import AidRequest
from tests.services.legalaid.aid import submit

pytestmark = pytest.mark.django_db
S = AidRequest.State


def _step(client, aid, action, data=None):
    return client.post(reverse("legalaid-step", args=[aid.pk, action]), data or {})


def test_the_sme_asks_through_the_form(client_for, user):
    client = client_for("sme-demo")
    page = client.get(reverse("legalaid-new"))
    assert page.status_code == 200
    assert 'name="region_code"' in page.content.decode()
    response = client.post(
        reverse("legalaid-new"),
        {
            "kind": "consulting",
            "topic": "evidence",
            "description": "验收单据缺失，如何举证？",
            "region_code": "440100",
            "urgency": "urgent",
        },
    )
    aid = AidRequest.objects.get(description="验收单据缺失，如何举证？")
    assert response.status_code == 302 and response["Location"] == f"/services/legal-aid/{aid.pk}/"
    assert (aid.kind, aid.urgency, aid.requested_by) == ("consulting", "urgent", user("sme-demo"))


def test_a_refused_request_shows_the_field_and_writes_nothing(client_for):
    count = AidRequest.objects.count()
    response = client_for("sme-demo").post(
        reverse("legalaid-new"),
        {"kind": "aid", "topic": "other", "region_code": "440100", "urgency": "normal"},
    )
    assert response.status_code == 200
    assert 'href="#id_description"' in response.content.decode()
    assert AidRequest.objects.count() == count


@pytest.mark.parametrize("username", ["gd-legal", "gd-intake", "debtor-demo"])
def test_only_smes_open_the_request_form(client_for, username):
    assert client_for(username).get(reverse("legalaid-new")).status_code == 403


def test_the_legal_service_answers_and_the_sme_rates(client_for, user):
    aid = submit(user("sme-demo"))
    adviser, sme = client_for("gd-legal"), client_for("sme-demo")
    queue = adviser.get(reverse("legalaid-list")).content.decode()
    assert f"/services/legal-aid/{aid.pk}/" in queue
    detail = adviser.get(reverse("legalaid-detail", args=[aid.pk])).content.decode()
    assert 'data-testid="step-accept"' in detail and 'data-testid="step-rate"' not in detail
    assert _step(adviser, aid, "accept").status_code == 302
    at = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = _step(adviser, aid, "appointment", {"at": at, "place": "online", "note": "线上"})
    assert response.status_code == 302
    assert _step(adviser, aid, "outcome", {"outcome": "已解答"}).status_code == 302
    assert _step(sme, aid, "rate", {"rating": "5", "comment": "好"}).status_code == 302
    aid.refresh_from_db()
    assert (aid.state, aid.rating, aid.appointment_place) == (S.COMPLETED, 5, "online")
    page = sme.get(reverse("legalaid-detail", args=[aid.pk])).content.decode()
    assert 'data-testid="aid-rating"' in page and 'data-testid="step-rate"' not in page


def test_a_decline_without_reason_is_shown_on_its_form(client_for, user):
    aid = submit(user("sme-demo"))
    response = _step(client_for("gd-legal"), aid, "decline", {"reason": ""})
    assert response.status_code == 400
    assert 'href="#id_reason"' in response.content.decode()
    aid.refresh_from_db()
    assert aid.state == S.REQUESTED


def test_steps_not_ones_own_are_refused(client_for, user):
    aid = submit(user("sme-demo"))
    assert _step(client_for("sme-demo"), aid, "accept").status_code == 403
    assert _step(client_for("gd-intake"), aid, "accept").status_code == 403
    assert _step(client_for("gd-legal"), aid, "explode").status_code == 404
    aid.refresh_from_db()
    assert aid.state == S.REQUESTED


@pytest.mark.parametrize("username", ["sme-demo-2", "js-intake", "gd-handler", "debtor-demo"])
def test_outside_the_scope_a_request_is_a_404(client_for, user, username):
    aid = submit(user("sme-demo"))
    client = client_for(username)
    assert client.get(reverse("legalaid-detail", args=[aid.pk])).status_code == 404
    assert _step(client, aid, "withdraw").status_code == 404
    assert (
        f"/services/legal-aid/{aid.pk}/"
        not in client.get(reverse("legalaid-list")).content.decode()
    )


def test_officials_see_the_overdue_flag(client_for, user):
    aid = submit(user("sme-demo"))
    AidRequest.objects.filter(pk=aid.pk).update(overdue=True)
    page = client_for("gd-intake").get(reverse("legalaid-list")).content.decode()
    assert f"/services/legal-aid/{aid.pk}/" in page and 'data-testid="overdue"' in page


def test_an_administrator_sets_the_regions_a_legal_service_covers(client_for, user):
    from qingqian.accounts.models import Organisation
    from qingqian.services.legalaid.demo import LEGAL_SERVICE

    service = Organisation.objects.get(name=LEGAL_SERVICE)
    client = client_for("admin")
    page = client.get(reverse("legalaid-coverage")).content.decode()
    assert LEGAL_SERVICE in page
    url = reverse("legalaid-coverage-edit", args=[service.pk])
    refused = client.post(url, {"region_codes": "320100"})
    assert refused.status_code == 200 and 'href="#id_region_codes"' in refused.content.decode()
    assert not service.aid_coverage.exists()
    assert client.post(url, {"region_codes": "440100，440300"}).status_code == 302
    assert sorted(service.aid_coverage.values_list("region_code", flat=True)) == [
        "440100",
        "440300",
    ]


@pytest.mark.parametrize("username", ["gd-legal", "sme-demo", "gd-intake"])
def test_only_administrators_open_the_regions_page(client_for, username):
    assert client_for(username).get(reverse("legalaid-coverage")).status_code == 403
