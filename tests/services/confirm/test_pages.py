"""The confirmation pages: the SME's form and list, the debtor's answer form,
the officials' list with its "breached" filter, 404 outside one's scope, the
printable request, and the one-time link without sign-in."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from qingqian.core.pdf import cjk_font_installed
from qingqian.ledger.models import LedgerItem
from qingqian.services.confirmations.links import link_token
from qingqian.services.confirmations.public_views import LINK_VISITS_PER_HOUR
from qingqian.services.models import ConfirmationRequest
from tests.services.confirm.requests import send

S = ConfirmationRequest.State
pytestmark = pytest.mark.django_db

FORM = {
    "debtor_uscc": "",
    "debtor_name": "广东粤海城建集团有限公司",
    "debtor_type": "large",
    "region_code": "440104",
    "contract_number": "QR-PAGE-1",
    "contract_signed_on": "2025-03-01",
    "subject": "works",
    "due_on": "2025-06-30",
    "amount": "120,000.00",
    "note": "请核对",
}


def test_the_sme_sends_a_request_from_the_form(client_for, debtor):
    client = client_for("sme-demo")
    assert client.get(reverse("confirmations:new")).status_code == 200
    response = client.post(reverse("confirmations:new"), {**FORM, "debtor_uscc": debtor.uscc})
    request = ConfirmationRequest.objects.get(contract_number="QR-PAGE-1")
    assert response.status_code == 302
    assert response["Location"] == reverse("confirmations:detail", args=[request.pk])
    assert (request.debtor, request.amount_fen) == (debtor, 120_000_00)
    listing = client.get(reverse("confirmations:list")).content.decode()
    assert "QR-PAGE-1" in listing


def test_a_refused_form_names_the_field(client_for, creditor):
    response = client_for("sme-demo").post(
        reverse("confirmations:new"), {**FORM, "debtor_uscc": creditor.uscc}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["debtor_uscc"]
    assert not ConfirmationRequest.objects.filter(contract_number="QR-PAGE-1").exists()


def test_the_form_is_the_bound_smes_only(client_for):
    for username in ("debtor-demo", "gd-intake"):
        assert client_for(username).get(reverse("confirmations:new")).status_code == 403


def test_the_debtor_partly_confirms_on_its_page(client_for, debtor):
    request = send(debtor=debtor, on=date.today())
    client = client_for("debtor-demo")
    page = client.get(reverse("confirmations:detail", args=[request.pk]))
    assert b'data-testid="answer-form"' in page.content
    response = client.post(
        reverse("confirmations:answer", args=[request.pk]),
        {"confirmed": "60,000", "disputed": "40,000", "reason": "部分未验收"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == S.PARTLY_CONFIRMED
    item = LedgerItem.objects.get(pk=request.ledger_item_id)
    assert (item.owed_fen, item.disputed_fen) == (100_000_00, 40_000_00)
    sme_view = client_for("sme-demo").get(reverse("ledger:item", args=[item.pk]))
    assert sme_view.status_code == 200


def test_a_refused_answer_shows_the_form_again(client_for, debtor):
    request = send(debtor=debtor, on=date.today())
    response = client_for("debtor-demo").post(
        reverse("confirmations:answer", args=[request.pk]),
        {"confirmed": "60,000", "disputed": "40,000", "reason": ""},
    )
    assert response.status_code == 400
    assert response.context["answer_form"].errors["reason"]


@pytest.mark.parametrize("username", ["sme-demo-2", "js-intake", "js-handler"])
def test_outside_ones_scope_a_request_does_not_exist(client_for, debtor, username):
    request = send(debtor=debtor)
    client = client_for(username)
    for name in ("confirmations:detail", "confirmations:request-pdf"):
        assert client.get(reverse(name, args=[request.pk])).status_code == 404
    for name in ("confirmations:answer", "confirmations:withdraw"):
        assert client.post(reverse(name, args=[request.pk])).status_code == 404


def test_the_officials_list_filters_the_breaches(client_for, debtor):
    send(debtor=debtor)
    breached = send(debtor=debtor, contract_number="QR-LATE")
    breached.breached = True
    breached.save()
    client = client_for("gd-intake")
    everything = client.get(reverse("confirmations:list")).content.decode()
    assert "QR-2026-001" in everything and "QR-LATE" in everything
    only = client.get(reverse("confirmations:list"), {"breached": "1"}).content.decode()
    assert "QR-LATE" in only and "QR-2026-001" not in only


def test_the_sme_withdraws_on_its_page(client_for, debtor):
    request = send(debtor=debtor)
    response = client_for("sme-demo").post(reverse("confirmations:withdraw", args=[request.pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == S.WITHDRAWN


@pytest.mark.skipif(not cjk_font_installed(), reason="the PDF needs the Noto CJK fonts")
def test_the_printable_request_is_the_smes(client_for, debtor):
    request = send(debtor=debtor, on=date.today())
    response = client_for("sme-demo").get(reverse("confirmations:request-pdf", args=[request.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    debtor_view = client_for("debtor-demo").get(
        reverse("confirmations:request-pdf", args=[request.pk])
    )
    assert debtor_view.status_code == 404


# --- the one-time link ----------------------------------------------------------------


def link_url(request) -> str:
    return reverse("confirmations_public:answer", args=[link_token(request)])


def test_the_link_shows_the_request_and_takes_one_answer(client, debtor):
    request = send(debtor=debtor, on=date.today())
    url = link_url(request)
    page = client.get(url)
    assert page.status_code == 200
    assert "广东粤海城建集团有限公司" in page.content.decode()
    answer = {
        "confirmed": "100,000",
        "disputed": "0",
        "reason": "",
        "answerer_name": "财务部 张会计",
    }
    assert client.post(url, answer).status_code == 200
    request.refresh_from_db()
    assert (request.state, request.answer_channel) == (S.CONFIRMED, "link")
    assert client.get(url).status_code == 410
    assert client.post(url, answer).status_code == 410


def test_a_made_up_link_opens_nothing(client):
    assert client.get(reverse("confirmations_public:answer", args=["0" * 64])).status_code == 410


def test_the_link_is_throttled_per_address(client, debtor):
    url = link_url(send(debtor=debtor, on=date.today()))
    for _visit in range(LINK_VISITS_PER_HOUR):
        assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429
