"""Typical cases through the real services: drafting from a finished complaint the
drafter can see, masking on every save, four eyes, naming the debtor, returning,
withdrawing, and what the public selector lets out."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingqian.core.models import AuditEvent
from qingqian.parties.models import Enterprise
from qingqian.publication.models import TypicalCase
from qingqian.publication.typical_cases import masking, selectors, services
from tests.publication.typical_cases.complaints import (
    ACCOUNT,
    ADDRESS,
    CONTACT_NAME,
    CONTACT_PHONE,
    CONTRACT,
    EMAIL,
    IDENTITY,
)

State = TypicalCase.State


def personal_values(complaint) -> set[str]:
    sme, debtor = complaint.complainant, complaint.debtor
    return {
        sme.name,
        sme.uscc,
        sme.contact_name,
        sme.contact_phone,
        debtor.name,
        debtor.uscc,
        "明达 李经理",
        "李经理",
        IDENTITY,
        ACCOUNT,
        EMAIL,
        ADDRESS,
        CONTRACT,
    } - {""}


def approved(case, reviewer, approver, *, name_debtor=False):
    case = services.typical_case_review(actor=reviewer, case=case)
    return services.typical_case_approve(actor=approver, case=case, name_debtor=name_debtor)


# --- drafting ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_draft_starts_from_the_complaint_masked(typical_case, closed_complaint):
    case = typical_case
    secrets = personal_values(closed_complaint)
    assert len(secrets) >= 12
    assert {value for value in secrets if value in case.source_text} == secrets  # all were there
    assert {value for value in secrets if value in case.text} == set()
    for placeholder in (masking.SME, masking.DEBTOR, masking.PERSON, masking.PHONE):
        assert placeholder in case.text
    for placeholder in (masking.IDENTITY, masking.ACCOUNT, masking.EMAIL, masking.ADDRESS):
        assert placeholder in case.text
    assert "经协调，某单位已全额支付" not in case.text  # "欠款单位" is no debtor's name
    assert "经协调，欠款单位已全额支付。" in case.text  # the result's own words stay
    assert (case.state, case.kind, case.region_code) == (State.DRAFTED, "exposure", "440000")
    event = AuditEvent.objects.latest("seq")
    assert (event.verb, event.payload["complaint"]) == (
        "publication.typical_case_draft",
        closed_complaint.pk,
    )


@pytest.mark.django_db
def test_a_drafters_own_text_and_title_are_masked_too(closed_complaint, drafter):
    sme = closed_complaint.complainant
    case = services.typical_case_draft(
        actor=drafter,
        complaint=closed_complaint,
        kind="good_practice",
        title=f"{sme.name}获清偿",
        text=f"{sme.contact_name}（13912345678）确认收款。",
    )
    assert case.title == "某中小企业获清偿"
    assert case.text == "某某（[电话]）确认收款。"
    case = services.typical_case_edit(
        actor=drafter, case=case, kind="good_practice", title="及时清偿", text=f"账号{ACCOUNT}"
    )
    assert (case.title, case.text) == ("及时清偿", "账号[账号]")


@pytest.mark.django_db
def test_only_finished_complaints_the_drafter_can_see(draft, closed_complaint, user):
    open_complaint = draft()
    before = TypicalCase.objects.count()
    refusals = [
        (user("gd-intake"), open_complaint),  # a draft complaint: not finished
        (user("js-intake"), closed_complaint),  # another province's
        (user("gd-handler"), closed_complaint),  # no permission
        (user("sme-demo"), closed_complaint),  # the SME itself
    ]
    for actor, complaint in refusals:
        with pytest.raises(PermissionDenied):
            services.typical_case_draft(
                actor=actor, complaint=complaint, kind="exposure", title="案例"
            )
    assert TypicalCase.objects.count() == before


@pytest.mark.django_db
def test_a_draft_needs_a_kind_and_a_title(closed_complaint, drafter):
    with pytest.raises(ValidationError) as error:
        services.typical_case_draft(actor=drafter, complaint=closed_complaint, kind="x", title=" ")
    assert set(error.value.message_dict) == {"kind", "title"}


# --- four eyes --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_drafter_may_not_decide(typical_case, drafter, reviewer):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.typical_case_review(actor=drafter, case=typical_case)
    case = services.typical_case_review(actor=reviewer, case=typical_case)
    for attempt in (
        lambda: services.typical_case_approve(actor=drafter, case=case, name_debtor=False),
        lambda: services.typical_case_return(actor=drafter, case=case, note="自己退回"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert AuditEvent.objects.count() == before + 1
    assert selectors.allowed_actions(drafter, case) == []
    assert selectors.allowed_actions(reviewer, case) == ["return", "approve"]


@pytest.mark.django_db
def test_approval_needs_the_drafters_level_or_above(closed_complaint, user, approver):
    """Drafted nationally: a Guangdong official may review, not approve."""
    case = services.typical_case_draft(
        actor=approver, complaint=closed_complaint, kind="exposure", title="案例"
    )
    gd = user("gd-intake")
    case = services.typical_case_review(actor=gd, case=case)
    with pytest.raises(PermissionDenied):
        services.typical_case_approve(actor=gd, case=case, name_debtor=False)
    case.refresh_from_db()
    assert case.state == State.REVIEWED and case.approved_by is None


@pytest.mark.django_db
def test_another_region_neither_sees_nor_acts(typical_case, user):
    js = user("js-intake")
    assert not selectors.typical_case_list(actor=js).filter(pk=typical_case.pk).exists()
    assert selectors.typical_case_list(actor=user("gd-intake")).filter(pk=typical_case.pk).exists()
    assert not selectors.typical_case_list(actor=user("sme-demo")).exists()
    with pytest.raises(PermissionDenied):
        services.typical_case_review(actor=js, case=typical_case)


@pytest.mark.django_db
def test_a_stale_version_is_refused(typical_case, reviewer):
    with pytest.raises(services.TypicalCaseStale):
        services.typical_case_review(actor=reviewer, case=typical_case, version=7)
    case = services.typical_case_review(actor=reviewer, case=typical_case, version=0)
    assert case.version == 1


# --- naming, returning, withdrawing, publishing -----------------------------------------


@pytest.mark.django_db
def test_the_approver_decides_whether_the_debtor_is_named(typical_case, reviewer, approver):
    debtor = typical_case.complaint.debtor
    case = approved(typical_case, reviewer, approver, name_debtor=True)
    assert debtor.name in case.published_text and masking.DEBTOR not in case.published_text
    assert debtor.name not in case.text  # the reviewed text keeps the placeholder
    case = services.typical_case_return(actor=approver, case=case, note="暂不点名")
    assert (case.state, case.name_debtor, case.published_text) == (State.DRAFTED, False, "")
    assert case.approved_by is None and case.return_note == "暂不点名"
    case = approved(case, reviewer, approver, name_debtor=False)
    assert debtor.name not in case.published_text and masking.DEBTOR in case.published_text
    assert case.published_text == case.text


@pytest.mark.django_db
def test_return_and_withdrawal_need_their_notes(typical_case, reviewer, approver):
    case = services.typical_case_review(actor=reviewer, case=typical_case)
    with pytest.raises(ValidationError) as error:
        services.typical_case_return(actor=reviewer, case=case, note="  ")
    assert set(error.value.message_dict) == {"note"}
    case = approved(
        services.typical_case_return(actor=reviewer, case=case, note="补充"), reviewer, approver
    )
    case = services.typical_case_publish(actor=approver, case=case)
    with pytest.raises(ValidationError):
        services.typical_case_withdraw(actor=approver, case=case, note="")
    case.refresh_from_db()
    assert case.state == State.PUBLISHED


@pytest.mark.django_db
def test_the_public_sees_published_and_withdrawn_cases_only(typical_case, reviewer, approver):
    assert list(selectors.published_cases()) == []
    case = approved(typical_case, reviewer, approver, name_debtor=True)
    assert list(selectors.published_cases()) == []  # approved is not yet published
    case = services.typical_case_publish(actor=approver, case=case)
    [public] = selectors.published_cases()
    assert set(public) == set(selectors.PUBLISHED_FIELDS)
    assert public["public_text"] == case.published_text
    assert public["debtor_name"] == Enterprise.objects.get(pk=case.complaint.debtor_id).name
    assert public["authority"] == approver.organisation.name
    assert list(selectors.published_cases("good_practice")) == []
    services.typical_case_withdraw(actor=approver, case=case, note="当事方已整改，撤回。")
    [public] = selectors.published_cases()
    assert (public["state"], public["public_text"], public["debtor_name"]) == ("withdrawn", "", "")
    assert public["withdrawal_note"] == "当事方已整改，撤回。"


@pytest.mark.django_db
def test_the_public_note_and_the_debtors_people_are_masked(typical_case, reviewer, approver):
    case = approved(typical_case, reviewer, approver)
    case = services.typical_case_publish(actor=approver, case=case)
    representative = "粤海城建 财务部"  # the debtor's account on the platform
    case = services.typical_case_withdraw(
        actor=approver,
        case=case,
        note=f"应{representative}和{CONTACT_NAME}（{CONTACT_PHONE}）要求撤回。",
    )
    assert case.withdrawal_note == "应某某和某某（[电话]）要求撤回。"
