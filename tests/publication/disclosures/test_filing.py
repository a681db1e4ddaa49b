"""Filing a disclosure: who may, when, what the figures must say, versions,
late and missing filers per period, and the periods the national
administrator keeps."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingqian.core import audit
from qingqian.core.models import AuditEvent
from qingqian.publication.disclosures import selectors, services, verbs
from qingqian.publication.models import Disclosure, DisclosureFlag, DisclosureVersion


def file(rep, period, *, on=date(2026, 5, 20), **figures):
    values = {"has_overdue": False, "overdue_count": 0, "overdue_amount_fen": 0, **figures}
    return services.disclosure_file(
        actor=rep, period=period, enterprise=rep.enterprise, on=on, **values
    )


def test_only_the_bodys_own_representative_files(rep, body, enterprise_2025, user, agency):
    for actor in (user("debtor-demo"), user("gd-intake"), user("sme-demo"), user("admin")):
        with pytest.raises(PermissionDenied):
            services.disclosure_file(
                actor=actor,
                period=enterprise_2025,
                enterprise=body,
                has_overdue=False,
                overdue_count=0,
                overdue_amount_fen=0,
                on=date(2026, 5, 20),
            )
    assert not Disclosure.objects.exists()


def test_a_body_files_in_its_own_groups_period(agency_rep, public_2025, enterprise_2025):
    with pytest.raises(ValidationError) as refused:
        file(agency_rep, enterprise_2025)
    assert "period" in refused.value.message_dict
    assert file(agency_rep, public_2025).disclosure.period == public_2025


def test_filing_opens_after_the_year_ends(rep, enterprise_2025):
    with pytest.raises(ValidationError) as refused:
        file(rep, enterprise_2025, on=date(2025, 12, 31))
    assert "period" in refused.value.message_dict
    assert file(rep, enterprise_2025, on=date(2026, 1, 1)).number == 1


@pytest.mark.parametrize(
    ("figures", "field"),
    [
        ({"has_overdue": False, "overdue_count": 1}, "overdue_count"),
        ({"has_overdue": False, "overdue_amount_fen": 5}, "overdue_amount_fen"),
        ({"has_overdue": True, "overdue_amount_fen": 5}, "overdue_count"),
        ({"has_overdue": True, "overdue_count": 1}, "overdue_amount_fen"),
        ({"overdue_count": -1}, "overdue_count"),
        ({"explanation": "说" * 501}, "explanation"),
    ],
)
def test_the_figures_must_hold_together(rep, enterprise_2025, figures, field):
    with pytest.raises(ValidationError) as refused:
        file(rep, enterprise_2025, count_reason="x", amount_reason="x", **figures)
    assert field in refused.value.message_dict
    assert not Disclosure.objects.exists()


def test_an_explanation_of_500_characters_is_kept(rep, enterprise_2025):
    assert file(rep, enterprise_2025, explanation="说" * 500).explanation == "说" * 500


@pytest.mark.parametrize(
    ("on", "late"),
    [
        (date(2026, 3, 31), False),  # agencies and institutions: by 31 March
        (date(2026, 4, 1), True),
    ],
)
def test_public_bodies_are_late_after_31_march(agency_rep, public_2025, on, late):
    assert file(agency_rep, public_2025, on=on).disclosure.filed_late is late


@pytest.mark.parametrize(
    ("on", "late"),
    [
        (date(2026, 6, 30), False),  # large enterprises: the annual report window
        (date(2026, 7, 1), True),
    ],
)
def test_large_enterprises_are_late_after_30_june(rep, enterprise_2025, on, late):
    assert file(rep, enterprise_2025, on=on).disclosure.filed_late is late


def test_a_correction_is_a_new_version_never_an_edit(ledger_2025, rep, enterprise_2025, user):
    first = file(rep, enterprise_2025, count_reason="尚未核对", amount_reason="尚未核对")
    assert first.flag.state == DisclosureFlag.State.OPEN
    with pytest.raises(ValidationError) as refused:
        file(rep, enterprise_2025, has_overdue=True, overdue_count=3, overdue_amount_fen=130_000_00)
    assert "correction_reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        file(
            rep,
            enterprise_2025,
            count_reason="尚未核对",
            amount_reason="尚未核对",
            correction_reason="同上",
        )
    assert "correction_reason" in refused.value.message_dict  # nothing changed
    second = file(
        rep,
        enterprise_2025,
        has_overdue=True,
        overdue_count=3,
        overdue_amount_fen=130_000_00,
        correction_reason="与台账核对后更正",
        on=date(2026, 7, 2),
    )
    assert second.number == 2
    first.refresh_from_db()
    assert (first.has_overdue, first.overdue_amount_fen) == (False, 0)  # as it was filed
    disclosure = second.disclosure
    assert disclosure.current_version == 2
    assert disclosure.filed_late is False  # first filed on time; corrections do not change it
    assert list(selectors.versions(disclosure).values_list("number", flat=True)) == [2, 1]
    first.flag.refresh_from_db()
    assert first.flag.state == DisclosureFlag.State.SUPERSEDED
    assert not DisclosureFlag.objects.filter(version=second).exists()
    verbs_written = list(
        AuditEvent.objects.filter(target_id=str(disclosure.pk)).values_list("verb", flat=True)
    )
    assert verbs.FILE in verbs_written and verbs.CORRECT in verbs_written
    assert audit.verify_chain().ok


def test_a_version_cannot_be_changed_without_its_reason(rep, enterprise_2025, ledger_2025):
    """The database itself refuses a changed figure without its reason."""
    version = file(
        rep, enterprise_2025, has_overdue=True, overdue_count=3, overdue_amount_fen=130_000_00
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureVersion.objects.filter(pk=version.pk).update(overdue_count=2)


def test_late_and_missing_filers_per_period(rep, agency_rep, enterprise_2025, public_2025, user):
    gd, js = user("gd-intake"), user("js-intake")
    body = rep.enterprise
    assert body in selectors.missing_filers(actor=gd, period=enterprise_2025)
    assert body not in selectors.missing_filers(actor=js, period=enterprise_2025)
    assert body in selectors.missing_filers(actor=user("supervisor"), period=enterprise_2025)
    assert agency_rep.enterprise not in selectors.missing_filers(actor=gd, period=enterprise_2025)
    assert agency_rep.enterprise in selectors.missing_filers(actor=gd, period=public_2025)
    file(rep, enterprise_2025, on=date(2026, 7, 3))
    assert body not in selectors.missing_filers(actor=gd, period=enterprise_2025)
    late = selectors.late_filers(actor=gd, period=enterprise_2025)
    assert [d.enterprise for d in late] == [body]
    assert not selectors.late_filers(actor=js, period=enterprise_2025).exists()
    assert not selectors.missing_filers(actor=rep, period=enterprise_2025).exists()


def test_only_the_national_administrator_sets_periods(enterprise_2025, user):
    for username in ("gd-intake", "supervisor", "debtor-demo"):
        with pytest.raises(PermissionDenied):
            services.disclosure_period_save(
                actor=user(username), period=enterprise_2025, tolerance_fen=1
            )
    admin = user("admin")
    period = services.disclosure_period_save(
        actor=admin,
        year=2026,
        filer_group="public",
        opens_on=date(2027, 1, 1),
        due_on=date(2027, 3, 31),
        source="《保障中小企业款项支付条例》第十八条",
    )
    assert period.version == 1 and period.year_end == date(2026, 12, 31)
    with pytest.raises(ValidationError) as refused:
        services.disclosure_period_save(
            actor=admin,
            year=2026,
            filer_group="public",
            opens_on=date(2026, 12, 1),
            due_on=date(2026, 11, 30),
            source="",
        )
    assert set(refused.value.message_dict) == {"year", "opens_on", "due_on", "source"}


@pytest.mark.django_db
def test_the_seeded_periods_name_their_source():
    from qingqian.publication.models import DisclosurePeriod

    rows = {
        (p.year, p.filer_group): (p.opens_on, p.due_on, p.source)
        for p in DisclosurePeriod.objects.all()
    }
    assert rows[(2025, "public")][:2] == (date(2026, 1, 1), date(2026, 3, 31))
    assert rows[(2025, "enterprise")][:2] == (date(2026, 1, 1), date(2026, 6, 30))
    assert "第十八条" in rows[(2025, "enterprise")][2]
    assert "第十六条" in rows[(2024, "public")][2]
    assert services.disclosure_periods_seed(actor=None) == 0  # already there
