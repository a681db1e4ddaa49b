"""The filing services find or register the debtor a complaint names by its
particulars, whichever channel the complaint came through."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from qingqian.complaints import services, verbs
from qingqian.complaints.models import Complaint, State
from qingqian.core.models import AuditEvent
from qingqian.demo import demo_uscc
from qingqian.parties import verbs as party_verbs
from qingqian.parties.models import Enterprise
from tests.conftest import DEBTOR

NEW_DEBTOR = {
    "uscc": demo_uscc("440300", 8),
    "name": "深圳某某集团有限公司",
    "type": "large",
    "region_code": "440300",
}
NOT_A_CODE = {**NEW_DEBTOR, "uscc": "123"}


def particulars_of(enterprise: Enterprise) -> dict:
    return {name: getattr(enterprise, name) for name in ("uscc", "name", "type", "region_code")}


def file(user, *, submit: bool, debtor, **overrides):
    """File the conftest's complete complaint, its debtor named as given."""
    sme = user("sme-demo")
    fields = {
        "contract_number": "GZ-2025-0042",
        "contract_signed_on": date(2025, 3, 1),
        "delivered_on": date(2025, 4, 1),
        "subject": "goods",
        "amount_owed_fen": 128_000_00,
        "request_text": "请求支付拖欠货款。",
        "facts_text": "交货验收后至今未付余款。",
        "undertaking": True,
        **overrides,
    }
    return services.complaint_file(
        actor=sme, complainant=sme.enterprise, debtor=debtor, submit=submit, **fields
    )


@pytest.mark.django_db
def test_particulars_of_a_known_enterprise_name_it_and_register_nothing(user):
    known = Enterprise.objects.get(name=DEBTOR)
    enterprises = Enterprise.objects.count()
    complaint = file(user, submit=False, debtor=particulars_of(known))
    assert complaint.debtor == known and complaint.debtor_as_entered == {}
    assert Enterprise.objects.count() == enterprises


@pytest.mark.django_db
def test_particulars_of_a_new_debtor_register_it_in_the_same_act(user):
    complaint = file(user, submit=False, debtor=NEW_DEBTOR)
    assert complaint.debtor.uscc == NEW_DEBTOR["uscc"]
    trail = list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))
    assert trail[-2:] == [party_verbs.ENTERPRISE_REGISTER_DEBTOR, verbs.DRAFT_CREATED]


@pytest.mark.django_db
def test_a_draft_keeps_particulars_that_name_no_debtor_yet(user):
    enterprises = Enterprise.objects.count()
    complaint = file(user, submit=False, debtor=NOT_A_CODE)
    assert complaint.state == State.DRAFT and complaint.debtor is None
    assert complaint.debtor_as_entered == NOT_A_CODE
    assert Enterprise.objects.count() == enterprises


@pytest.mark.django_db
def test_a_submission_is_refused_for_particulars_that_name_no_debtor(user):
    with pytest.raises(ValidationError) as refused:
        file(user, submit=True, debtor=NOT_A_CODE)
    assert set(refused.value.message_dict) == {"uscc"}


@pytest.mark.django_db
def test_a_submission_names_the_debtors_problems_with_all_the_others_at_once(user):
    with pytest.raises(ValidationError) as refused:
        file(
            user, submit=True, debtor={**NOT_A_CODE, "name": ""}, request_text="", undertaking=False
        )
    assert set(refused.value.message_dict) == {"uscc", "name", "request_text", "undertaking"}


@pytest.mark.django_db
def test_a_submission_registers_the_debtor_its_particulars_name(user):
    complaint = file(user, submit=True, debtor=NEW_DEBTOR)
    assert complaint.state == State.SUBMITTED and complaint.debtor.uscc == NEW_DEBTOR["uscc"]
    assert complaint.debtor_as_entered == {}


@pytest.mark.django_db
@pytest.mark.parametrize("submit", [True, False])
def test_the_complainant_is_never_its_own_debtor_by_particulars(user, submit):
    own = particulars_of(user("sme-demo").enterprise)
    if submit:
        with pytest.raises(ValidationError) as refused:
            file(user, submit=True, debtor=own)
        assert set(refused.value.message_dict) == {"debtor"}
    else:
        complaint = file(user, submit=False, debtor=own)
        assert complaint.debtor is None and complaint.debtor_as_entered == own


@pytest.mark.django_db
def test_a_draft_edit_names_the_debtor_and_drops_what_was_typed(user, draft):
    complaint = draft(debtor=None, debtor_as_entered={"name": "深圳某某"})
    complaint = services.complaint_update_draft(
        actor=user("sme-demo"), complaint=complaint, debtor=NEW_DEBTOR
    )
    assert complaint.debtor.uscc == NEW_DEBTOR["uscc"] and complaint.debtor_as_entered == {}


@pytest.mark.django_db
def test_a_draft_edit_to_be_submitted_needs_the_debtor(user, draft):
    complaint = draft()
    with pytest.raises(ValidationError) as refused:
        services.complaint_update_draft(
            actor=user("sme-demo"), complaint=complaint, debtor=NOT_A_CODE, submitting=True
        )
    assert set(refused.value.message_dict) == {"uscc"}


def state_owned_sme() -> Enterprise:
    """State-owned, but an SME by its registered facts (transport, 80 staff)."""
    return Enterprise.objects.create(
        uscc=demo_uscc("440300", 9),
        name="深圳某国有运输有限公司",
        type=Enterprise.Type.STATE_OWNED,
        region_code="440300",
        industry="transport",
        staff=80,
        revenue_wan=Decimal("2500"),
    )


@pytest.mark.django_db
def test_a_state_owned_sme_is_refused_by_the_coverage_rule(user):
    debtor = state_owned_sme()
    before = (AuditEvent.objects.count(), Complaint.objects.count())
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        file(user, submit=True, debtor=particulars_of(debtor))
    assert refused.value.message_dict["debtor"] == [
        "《保障中小企业款项支付条例》适用于机关、事业单位和大型企业拖欠中小企业的款项；"
        "国有企业属于大型企业的适用，属于中小企业的不适用。"
    ]
    assert (AuditEvent.objects.count(), Complaint.objects.count()) == before


@pytest.mark.django_db
def test_a_large_state_owned_enterprise_and_one_of_unknown_size_are_accepted(user):
    large = Enterprise.objects.get(uscc=demo_uscc("320102", 6))  # the demo's, large by its facts
    assert file(user, submit=True, debtor=particulars_of(large)).state == State.SUBMITTED
    unknown = {**NEW_DEBTOR, "type": "soe"}  # typed at intake: no facts, the handler checks
    complaint = file(user, submit=True, debtor=unknown, contract_number="GZ-2025-0043")
    assert complaint.state == State.SUBMITTED


@pytest.mark.django_db
def test_particulars_of_an_sme_are_refused_in_english_too(user):
    enterprises = Enterprise.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        file(user, submit=True, debtor={**NEW_DEBTOR, "type": "sme"})
    assert Enterprise.objects.count() == enterprises  # the refusal registers nothing
    assert refused.value.message_dict["debtor"] == [
        "The Regulations cover debts owed to SMEs by government agencies, public institutions "
        "and large enterprises; a state-owned enterprise is covered when it is large, "
        "not when it is an SME."
    ]


@pytest.mark.django_db
def test_kept_particulars_of_an_sme_name_the_type_field(user):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        file(user, submit=True, debtor={**NOT_A_CODE, "type": "sme"})
    assert set(refused.value.message_dict) == {"uscc", "type"}
    assert "covered when it is large" in refused.value.message_dict["type"][0]
