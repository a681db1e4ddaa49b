"""Writing demand letters: the figures are overdue_interest's with the database
LPR table (checked by hand from the rule), frozen with the letter; the articles
follow the version in force at signing; only a bound SME writes; a refusal names
the field and writes nothing; the PDF goes to the SME's own complaint as evidence."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingqian.complaints.models import Evidence
from qingqian.core.evidence_files import evidence_path
from qingqian.core.interest import overdue_interest
from qingqian.core.models import AuditEvent, LprRate
from qingqian.core.selectors import load_calendar, load_lpr_table
from qingqian.core.workdays import compute_deadline
from qingqian.services.letters import verbs
from qingqian.services.letters.basis import articles_for
from qingqian.services.letters.content import letter_content
from qingqian.services.letters.services import (
    demand_letter_attach_to_complaint,
    demand_letter_create,
)
from qingqian.services.models import DemandLetter, DemandLetterAttachment
from tests.pdfs import pdf_text
from tests.services.letters.conftest import facts

pytestmark = pytest.mark.django_db


def _their_interest(**overrides) -> int:
    stated = facts(**overrides)
    return overdue_interest(
        stated.principal_fen,
        stated.due_on,
        list(stated.payments),
        stated.interest_as_of,
        agreed_annual_rate=stated.agreed_rate_percent,
        signed_on=stated.contract_signed_on,
        lpr_table=load_lpr_table(),
    ).total_fen


# --- the figures ----------------------------------------------------------------------


def test_statutory_interest_by_hand_and_as_the_interest_module_computes_it(write_letter):
    letter = write_letter()
    # 100,000.00 yuan × 0.05% a day × 30 days (2025-04-01 .. 2025-04-30) = 1,500.00 yuan.
    assert letter.interest_fen == 1_500_00 == _their_interest()
    assert letter.days_overdue == 30
    assert letter.outstanding_fen == 100_000_00
    assert letter.basis_kind == "statutory"


def test_payments_reduce_the_principal_from_the_next_day(write_letter):
    paid = [(date(2025, 4, 10), 40_000_00)]
    letter = write_letter(payments=paid)
    # 10 days on 100,000.00 (500.00) + 20 days on 60,000.00 (600.00).
    assert letter.interest_fen == 1_100_00 == _their_interest(payments=paid)
    assert letter.outstanding_fen == 60_000_00
    assert [(p.paid_on, p.amount_fen) for p in letter.payments.all()] == paid


def test_an_agreed_rate_below_the_lpr_on_the_signing_date_is_raised_to_it(write_letter):
    letter = write_letter(agreed_rate_percent=Decimal("3.0"))
    # LPR on 2025-01-15 is 3.10% (from 2024-10-21): 100,000.00 × 3.10% × 30 / 365 = 254.79.
    assert letter.interest_fen == 254_79 == _their_interest(agreed_rate_percent=Decimal("3.0"))
    assert letter.basis_kind == "agreed_raised_to_lpr"
    assert letter.lpr_percent == Decimal("3.10") == letter.applied_annual_percent


def test_an_agreed_rate_above_the_lpr_applies_as_agreed(write_letter):
    stated = {
        "agreed_rate_percent": Decimal("6"),
        "contract_signed_on": date(2025, 7, 1),
        "due_on": date(2025, 9, 30),
        "interest_as_of": date(2025, 10, 30),
        "letter_date": date(2025, 11, 3),
    }
    letter = write_letter(**stated)
    # 100,000.00 × 6% × 30 / 365 = 493.15.
    assert letter.interest_fen == 493_15 == _their_interest(**stated)
    assert (letter.basis_kind, letter.lpr_percent) == ("agreed", Decimal("3.00"))


def test_the_figures_stay_when_the_lpr_table_changes(write_letter):
    letter = write_letter(agreed_rate_percent=Decimal("3.0"))
    LprRate.objects.filter(effective_from=date(2024, 10, 21)).update(rate_percent=Decimal("5"))
    letter.refresh_from_db()
    assert letter.interest_fen == 254_79
    assert letter.lpr_percent == Decimal("3.10")


def test_the_deadline_to_pay_is_ten_working_days_by_the_calendar(write_letter):
    letter = write_letter(letter_date=date(2026, 9, 28))
    # 9-29, 9-30; National Day 10-1..10-7 off; 10-8, 10-9, 10-10 (a Saturday worked),
    # 10-12 .. 10-16.
    assert letter.pay_by == date(2026, 10, 16)
    expected = compute_deadline(load_calendar(), date(2026, 9, 28), working_days=10)
    assert letter.pay_by == expected.date
    assert not letter.pay_by_provisional


def test_a_deadline_into_a_year_without_its_schedule_is_provisional(write_letter):
    letter = write_letter(letter_date=date(2026, 12, 24))
    assert letter.pay_by.year == 2027  # the packaged schedules end with 2026
    assert letter.pay_by_provisional and "PROVISIONAL" in letter.pay_by_rule


def test_a_deadline_given_must_follow_the_letter_date(write_letter):
    with pytest.raises(ValidationError) as refused:
        write_letter(pay_by=date(2025, 5, 6))
    assert "pay_by" in refused.value.message_dict


# --- the articles relied on -----------------------------------------------------------


@pytest.mark.parametrize(
    ("signed", "debtor_type", "version", "articles"),
    [
        (date(2025, 5, 31), "agency", "2020", (8, 15, 17, 17)),
        (date(2025, 6, 1), "agency", "2025", (9, 17, 24, 26)),
        (date(2025, 5, 31), "large", "2020", (None, 15, 17, 17)),
        (date(2025, 6, 1), "large", "2025", (9, 17, 24, 26)),
    ],
)
def test_articles_follow_the_version_in_force_at_signing(signed, debtor_type, version, articles):
    found = articles_for(signed, debtor_type)
    assert found.version.year == version
    assert found.version.decree_number == {"2020": 728, "2025": 802}[version]
    assert (found.payment_term, found.interest, found.complaint, found.credit) == articles


def test_a_contract_signed_before_the_regulations_is_flagged_in_the_basis(write_letter):
    before = write_letter(contract_signed_on=date(2020, 8, 31), due_on=date(2020, 12, 31))
    after = write_letter(contract_signed_on=date(2020, 9, 1), due_on=date(2020, 12, 31))
    assert before.signed_before_regulations and not after.signed_before_regulations
    assert "不溯及既往" in "".join(letter_content(before).basis)
    assert "不溯及既往" not in "".join(letter_content(after).basis)


def test_the_letter_states_the_decree_and_articles_of_its_version(write_letter):
    old = letter_content(write_letter(debtor_type="agency"))
    new = letter_content(
        write_letter(
            debtor_type="agency",
            contract_signed_on=date(2025, 6, 2),
            due_on=date(2025, 8, 31),
            interest_as_of=date(2025, 9, 30),
            letter_date=date(2025, 10, 9),
        )
    )
    assert "国务院令第728号" in old.basis_heading
    assert [line.split("：")[1] for line in old.basis] == [
        "第八条",
        "第十五条",
        "第十七条",
        "第十七条",
    ]
    assert "国务院令第802号" in new.basis_heading
    assert [line.split("：")[1] for line in new.basis] == [
        "第九条",
        "第十七条",
        "第二十四条",
        "第二十六条",
    ]
    assert "第二十四条" in new.consequences and "第二十六条" in new.consequences


# --- who writes, and refusals ---------------------------------------------------------


def test_an_unbound_sme_may_not_write_a_letter(unbound_sme):
    before = DemandLetter.objects.count()
    with pytest.raises(PermissionDenied):
        demand_letter_create(actor=unbound_sme, facts=facts())
    assert DemandLetter.objects.count() == before


def test_an_official_may_not_write_a_letter(write_letter):
    with pytest.raises(PermissionDenied):
        write_letter(username="gd-intake")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"debtor_uscc": "91440104MA5XXXXXX1"}, "debtor_uscc"),
        ({"debtor_name": "  "}, "debtor_name"),
        ({"debtor_type": "sme"}, "debtor_type"),
        ({"interest_as_of": date(2025, 3, 31)}, "interest_as_of"),
        ({"payments": [(date(2025, 4, 1), 100_000_00)]}, "payments"),
        ({"payments": [(date(2025, 4, 1), 200_000_00)]}, "payments"),
        (
            {
                "agreed_rate_percent": Decimal("4"),
                "contract_signed_on": date(2019, 1, 2),
                "due_on": date(2019, 3, 31),
            },
            "contract_signed_on",
        ),
    ],
)
def test_a_refusal_names_the_field_and_writes_nothing(write_letter, overrides, field):
    letters, events = DemandLetter.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        write_letter(**overrides)
    assert field in refused.value.message_dict
    assert (DemandLetter.objects.count(), AuditEvent.objects.count()) == (letters, events)


def test_writing_is_audited(write_letter):
    letter = write_letter()
    event = AuditEvent.objects.filter(verb=verbs.DEMAND_LETTER_CREATE).latest("seq")
    assert event.target_id == str(letter.pk)
    assert event.payload["interest_fen"] == 1_500_00


def test_a_known_debtor_is_linked(write_letter):
    letter = write_letter()
    assert letter.debtor is not None and letter.debtor.uscc == letter.debtor_uscc


# --- attaching to a complaint ---------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_attaching_adds_the_pdf_as_evidence_of_the_smes_complaint(media, write_letter, draft, user):
    letter, complaint = write_letter(), draft()
    attachment = demand_letter_attach_to_complaint(
        actor=user("sme-demo"), letter=letter, complaint=complaint
    )
    evidence = Evidence.objects.get(complaint=complaint)
    assert attachment.evidence == evidence
    assert evidence.content_type == "application/pdf"
    assert evidence.original_name.endswith(".pdf")
    event = AuditEvent.objects.filter(verb=verbs.DEMAND_LETTER_ATTACH).latest("seq")
    assert event.payload == {"complaint": complaint.pk, "evidence": evidence.pk}
    text = pdf_text(_evidence_bytes(evidence))
    assert letter.debtor_name in text and "1,500.00" in text


def _evidence_bytes(evidence) -> bytes:
    return evidence_path(evidence).read_bytes()


def test_a_letter_goes_once_to_a_complaint(media, write_letter, draft, user):
    letter, complaint = write_letter(), draft()
    demand_letter_attach_to_complaint(actor=user("sme-demo"), letter=letter, complaint=complaint)
    with pytest.raises(ValidationError) as refused:
        demand_letter_attach_to_complaint(
            actor=user("sme-demo"), letter=letter, complaint=complaint
        )
    assert "complaint" in refused.value.message_dict
    assert DemandLetterAttachment.objects.filter(letter=letter).count() == 1


def test_another_smes_letter_or_complaint_is_refused(media, write_letter, draft, user):
    mine, theirs = write_letter(), write_letter(username="sme-demo-2")
    complaint = draft()
    with pytest.raises(PermissionDenied):
        demand_letter_attach_to_complaint(
            actor=user("sme-demo"), letter=theirs, complaint=complaint
        )
    with pytest.raises(ValidationError):
        demand_letter_attach_to_complaint(
            actor=user("sme-demo-2"), letter=theirs, complaint=complaint
        )
    assert not Evidence.objects.filter(complaint=complaint).exists()
    assert mine.attachments.count() == 0
