"""The disclosure pages: the representative files against the ledger; the
authority sees the flag, its items, the late and missing filers, and closes it."""

from datetime import date

import pytest
from django.test import Client

from qingqian.publication.models import Disclosure, DisclosureFlag


@pytest.fixture
def rep_client(rep):
    client = Client()
    client.force_login(rep)
    return client


@pytest.fixture(autouse=True)
def in_the_window(monkeypatch):
    """Filing in May 2026, inside the large enterprises' window."""
    monkeypatch.setattr(
        "qingqian.publication.disclosures.services.timezone.localdate", lambda: date(2026, 5, 20)
    )


def test_the_form_is_prefilled_from_the_ledger(ledger_2025, rep_client, enterprise_2025):
    page = rep_client.get("/disclosures/")
    assert page.status_code == 200
    assert f"/disclosures/periods/{enterprise_2025.pk}/file/" in page.content.decode()
    form = rep_client.get(f"/disclosures/periods/{enterprise_2025.pk}/file/")
    assert form.status_code == 200
    assert form.context["form"].initial == {
        "has_overdue": "yes",
        "overdue_count": 3,
        "overdue_amount": "130000.00",
    }


def test_filing_none_against_the_ledger_needs_reasons_then_flags(
    ledger_2025, rep_client, enterprise_2025, client_for
):
    url = f"/disclosures/periods/{enterprise_2025.pk}/file/"
    data = {"has_overdue": "no", "overdue_count": "", "overdue_amount": "", "explanation": ""}
    refused = rep_client.post(url, data)
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {"count_reason", "amount_reason"}
    assert not Disclosure.objects.exists()
    data |= {"count_reason": "款项已在年后付清", "amount_reason": "款项已在年后付清"}
    filed = rep_client.post(url, data)
    assert filed.status_code == 302
    disclosure = Disclosure.objects.get()
    assert filed["Location"] == f"/disclosures/{disclosure.pk}/"
    flag = DisclosureFlag.objects.get()

    authority = client_for("gd-intake")
    home = authority.get("/disclosures/").content.decode()
    assert f"/disclosures/flags/{flag.pk}/" in home
    page = authority.get(f"/disclosures/flags/{flag.pk}/")
    assert page.status_code == 200
    assert [row.item.contract_number for row in page.context["items"]] == ["YE-A", "YE-B", "YE-E"]
    assert page.context["items_total"] == 3
    assert client_for("js-intake").get(f"/disclosures/flags/{flag.pk}/").status_code == 404
    assert rep_client.get(f"/disclosures/flags/{flag.pk}/").status_code == 404
    # The body's page shows its versions but not the flag.
    own = rep_client.get(f"/disclosures/{disclosure.pk}/")
    assert own.status_code == 200 and own.context["flags"] == []
    assert client_for("debtor-demo").get(f"/disclosures/{disclosure.pk}/").status_code == 404

    closing = authority.post(f"/disclosures/flags/{flag.pk}/close/", {"note": ""})
    assert closing.status_code == 400
    closed = authority.post(f"/disclosures/flags/{flag.pk}/close/", {"note": "已核实，责令更正"})
    assert closed.status_code == 302
    flag.refresh_from_db()
    assert flag.state == DisclosureFlag.State.CLOSED


def test_a_correction_through_the_form(ledger_2025, rep_client, enterprise_2025):
    url = f"/disclosures/periods/{enterprise_2025.pk}/file/"
    rep_client.post(url, {"has_overdue": "yes", "overdue_count": "3", "overdue_amount": "130000"})
    form = rep_client.get(url)
    assert "correction_reason" in form.context["form"].fields
    refused = rep_client.post(
        url, {"has_overdue": "yes", "overdue_count": "3", "overdue_amount": "129000"}
    )
    assert set(refused.context["form"].errors) == {"correction_reason", "amount_reason"}
    done = rep_client.post(
        url,
        {
            "has_overdue": "yes",
            "overdue_count": "3",
            "overdue_amount": "129000",
            "amount_reason": "一笔发票冲红",
            "correction_reason": "对账后更正",
        },
    )
    assert done.status_code == 302
    assert Disclosure.objects.get().current_version == 2


def test_the_period_page_lists_late_and_missing_filers(rep, enterprise_2025, client_for):
    page = client_for("gd-intake").get(f"/disclosures/periods/{enterprise_2025.pk}/")
    assert page.status_code == 200
    assert rep.enterprise in page.context["missing"]
    assert (
        client_for("gd-handler").get(f"/disclosures/periods/{enterprise_2025.pk}/").status_code
        == 404
    )


@pytest.mark.parametrize("username", ["gd-handler", "sme-demo"])
def test_the_pages_are_refused_to_others(client_for, username, enterprise_2025):
    client = client_for(username)
    assert client.get("/disclosures/").status_code == 403
    assert client.get(f"/disclosures/periods/{enterprise_2025.pk}/file/").status_code == 403


def test_a_representative_files_only_in_its_groups_periods(rep_client, public_2025):
    assert rep_client.get(f"/disclosures/periods/{public_2025.pk}/file/").status_code == 404


def test_answering_none_discards_the_prefilled_figures(ledger_2025, rep_client, enterprise_2025):
    url = f"/disclosures/periods/{enterprise_2025.pk}/file/"
    reasons = {"count_reason": "已付清", "amount_reason": "已付清"}
    filed = rep_client.post(
        url, {"has_overdue": "no", "overdue_count": "3", "overdue_amount": "130000.00", **reasons}
    )
    assert filed.status_code == 302
    version = Disclosure.objects.get().versions.get()
    assert (version.has_overdue, version.overdue_count, version.overdue_amount_fen) == (False, 0, 0)


def test_the_national_administrator_sets_a_period_and_its_tolerance(client_for, enterprise_2025):
    admin = client_for("admin")
    url = f"/disclosures/periods/{enterprise_2025.pk}/edit/"
    assert admin.get(url).context["form"].initial["tolerance"] == "0.00"
    data = {
        "year": "2025",
        "filer_group": "enterprise",
        "opens_on": "2026-01-01",
        "due_on": "2026-06-30",
        "remind_before_working_days": "10",
        "remind_after_working_days": "5",
        "tolerance": "2000",
        "tolerance_percent": "0.5",
        "source": enterprise_2025.source,
    }
    assert admin.post(url, data).status_code == 302
    enterprise_2025.refresh_from_db()
    assert (enterprise_2025.tolerance_fen, str(enterprise_2025.tolerance_percent)) == (
        2_000_00,
        "0.50",
    )
    clash = admin.post("/disclosures/periods/new/", data)
    assert clash.status_code == 400 and "year" in clash.context["form"].errors
    for username in ("gd-intake", "supervisor", "debtor-demo"):
        assert client_for(username).get(url).status_code == 403
