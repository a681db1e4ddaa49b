"""Accountability referrals: only agencies, institutions and state-owned
enterprises; the answer's date in working days; the answer recorded once; the
overdue reminder sent once; the counts per province and type; the letter."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingqian.notifications.models import Notification
from qingqian.parties.models import Enterprise
from qingqian.publication.models import Referral
from qingqian.publication.referrals import selectors, services
from tests.publication.findings.findings import decided_finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(user, gd_authority):
    return Enterprise.objects.create(
        uscc="11440100MB2C12345X", name="广州市某区交通运输局", type="agency", region_code="440106"
    )


@pytest.fixture
def finding_about(make_item):
    def make(enterprise):
        return decided_finding(make_item(debtor=enterprise, owed_fen=50_000_00))

    return make


def refer(user, origin, **overrides):
    fields = {
        "referred_to": "广州市人民政府",
        "to_discipline_organs": False,
        "facts": "经两次督办仍未支付",
        "response_working_days": 5,
        "on": date(2026, 9, 30),
        **overrides,
    }
    return services.referral_send(actor=user("supervisor"), origin=origin, **fields)


def test_the_answer_is_due_in_working_days_and_recorded_once(user, agency, finding_about):
    referral = refer(user, finding_about(agency))
    # National Day: 10-8, 10-9, Saturday 10-10 worked, 10-12, 10-13.
    assert referral.response_due_on == date(2026, 10, 13)
    with pytest.raises(ValidationError) as refused:
        services.referral_answer(actor=user("supervisor"), referral=referral, outcome="x", text="")
    assert {"outcome", "text"} <= set(refused.value.message_dict)
    services.referral_answer(
        actor=user("supervisor"), referral=referral, outcome="sanctions", text="对责任人诫勉谈话"
    )
    referral.refresh_from_db()
    assert (referral.state, referral.outcome) == (Referral.State.ANSWERED, "sanctions")
    with pytest.raises(ValidationError):
        services.referral_answer(
            actor=user("admin"), referral=referral, outcome="none", text="再次"
        )


def test_only_accountable_bodies_and_only_by_those_who_may(user, debtor, agency, finding_about):
    with pytest.raises(ValidationError) as refused:
        refer(user, finding_about(debtor))  # a large enterprise, not state-owned
    assert "origin" in refused.value.message_dict
    finding = finding_about(agency)
    for outsider in ("gd-intake", "debtor-demo", "js-intake"):
        with pytest.raises(PermissionDenied):
            services.referral_send(
                actor=user(outsider),
                origin=finding,
                referred_to="x",
                to_discipline_organs=False,
                facts="y",
                response_working_days=5,
            )
    with pytest.raises(ValidationError) as refused:
        refer(user, finding, referred_to=" ", response_working_days=0)
    assert {"referred_to", "response_working_days"} <= set(refused.value.message_dict)
    assert not Referral.objects.exists()


def test_the_overdue_reminder_goes_once(user, agency, finding_about):
    referral = refer(user, finding_about(agency))
    assert services.referral_reminders(date(2026, 10, 13)) == 0  # due that day
    assert services.referral_reminders(date(2026, 10, 14)) == 1
    assert services.referral_reminders(date(2026, 10, 15)) == 0
    (told,) = Notification.objects.filter(
        recipient=user("supervisor"), dedup_key__startswith="referral"
    )
    assert "2026-10-13" in told.body and str(referral.pk) in told.url


def test_counts_per_province_and_type(user, agency, finding_about):
    first = refer(user, finding_about(agency))
    refer(user, finding_about(agency))
    services.referral_answer(
        actor=user("supervisor"), referral=first, outcome="correct", text="已责令改正"
    )
    (row,) = selectors.referral_counts(actor=user("supervisor"))
    assert row == {
        "province": "44",
        "body__type": "agency",
        "referred": 2,
        "answered": 1,
        "corrected": 1,
        "sanctioned": 0,
        "no_measure": 0,
    }
    assert selectors.referral_counts(actor=user("gd-intake")) == []


def test_the_letter_and_the_pages(client_for, user, agency, finding_about):
    from tests.pdfs import pdf_text

    finding = finding_about(agency)
    supervisor = client_for("supervisor")
    created = supervisor.post(
        f"/findings/referrals/new/finding/{finding.pk}/",
        {
            "referred_to": "广州市人民政府",
            "facts": "经两次督办仍未支付",
            "response_working_days": "20",
        },
    )
    referral = Referral.objects.get()
    assert created["Location"] == f"/findings/referrals/{referral.pk}/"
    letter = supervisor.get(f"/findings/referrals/{referral.pk}/letter.pdf")
    text = pdf_text(letter.content)
    for expected in ("问责移送函", "广州市人民政府", "广州市某区交通运输局", "50,000.00"):
        assert expected in text, expected
    assert client_for("js-intake").get(f"/findings/referrals/{referral.pk}/").status_code == 404
    page = supervisor.get("/findings/referrals/").content.decode()
    assert "广东省" in page and "广州市某区交通运输局" in page
