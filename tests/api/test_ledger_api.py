"""The ledger API: items, scoping, every refusal (404 scope, 403 role, 400 body,
409 state) writing nothing, payments and reversals, disputes, plans, legal
routes, totals against the listed rows, keyset pages, imports and exports."""

import csv
import io
import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from qingqian.accounts.models import Organisation, User
from qingqian.core.models import AuditEvent
from qingqian.demo import demo_uscc
from qingqian.ledger import services
from qingqian.ledger.columns import BY_KEY, TEMPLATE_HEADER
from qingqian.ledger.models import (
    Confirmation,
    LedgerImport,
    LedgerItem,
    LedgerTotal,
    LegalProceeding,
    Payment,
    RepaymentPlan,
    Status,
)
from qingqian.parties.models import Enterprise
from tests.files import PDF
from tests.ledger.recount import assert_ledger_consistent

ITEMS = "/api/v1/ledger/items/"
IMPORTS = "/api/v1/ledger/imports/"
EXPORTS = "/api/v1/ledger/exports/"
TOTALS = "/api/v1/ledger/totals/"
GD = "广东省中小企业主管部门"
JS = "江苏省中小企业主管部门"
NUMBERS = itertools.count(1)
TODAY = timezone.localdate


def company(region: str, serial: int) -> Enterprise:
    return Enterprise.objects.get(uscc=demo_uscc(region, serial))


def yueha():  # 粤海城建: large enterprise, Guangzhou 440104; debtor-demo represents it
    return company("440104", 4)


def mingda():  # 明达机电: SME, Guangzhou; sme-demo works there
    return company("440106", 1)


def qinghe():  # 青禾软件: SME, Shenzhen; sme-demo-2
    return company("440305", 2)


def agency():  # 深圳市某区住房和建设局
    return company("440304", 5)


def hospital():  # 广州市第一人民医院（示例）: public institution
    return company("440103", 7)


def suyuan():  # 江苏苏源: state-owned, Nanjing
    return company("320102", 6)


def make_item(**overrides) -> LedgerItem:
    """An item kept by Guangdong, entered through the service as gd-intake."""
    fields = {
        "actor": User.objects.get(username="gd-intake"),
        "owner": Organisation.objects.get(name=GD),
        "debtor": yueha(),
        "creditor": mingda(),
        "contract_number": f"L-{next(NUMBERS):05d}",
        "contract_signed_on": date(2025, 3, 1),
        "due_on": date(2025, 6, 30),
        "owed_fen": 1000_00,
        **overrides,
    }
    return services.ledger_item_create(**fields)


def create_body(**overrides) -> dict:
    return {
        "debtor": yueha().pk,
        "creditor": mingda().pk,
        "contract_number": f"API-L-{next(NUMBERS):05d}",
        "contract_signed_on": "2025-03-01",
        "subject": "goods",
        "due_on": "2025-06-30",
        "amount_owed": "1000.00",
        **overrides,
    }


def counts():
    totals = LedgerTotal.objects.aggregate(
        items=Sum("items"), owed=Sum("owed_fen"), paid=Sum("paid_fen"), disputed=Sum("disputed_fen")
    )
    return (
        LedgerItem.objects.count(),
        Payment.objects.count(),
        Confirmation.objects.count(),
        RepaymentPlan.objects.count(),
        LegalProceeding.objects.count(),
        LedgerImport.objects.count(),
        Enterprise.objects.count(),
        AuditEvent.objects.filter(verb__startswith="ledger.").count(),
        tuple(totals.values()),
    )


def fen(yuan: str) -> int:
    return int(Decimal(yuan) * 100)


def in_days(n: int) -> str:
    return (TODAY() + timedelta(days=n)).isoformat()


# --- create, read, correct ------------------------------------------------------------


@pytest.mark.django_db
def test_create_detail_list_and_patch(api_client_for):
    client = api_client_for("gd-intake")
    body = create_body(amount_owed="1,000.50", amount_paid="200.00", notes="首期已付")
    response = client.post(ITEMS, body, format="json")
    assert response.status_code == 201, response.json()
    item = response.json()
    # Figures follow from the amounts: outstanding = owed - paid; nothing disputed.
    assert (item["amount_owed"], item["amount_paid"]) == ("1000.50", "200.00")
    assert (item["outstanding"], item["undisputed_outstanding"]) == ("800.50", "800.50")
    assert (item["status"], item["category"], item["source"]) == (
        "partly_paid",
        "undisputed",
        "manual",
    )
    # Owner defaults to the actor's organisation; the region is the debtor's.
    assert item["owner"]["name"] == GD and item["region_code"] == "440104"
    assert item["province_code"] == "440000" and item["debtor_type"] == "large"
    # What was paid before entry is one "reported" payment.
    assert [(p["amount"], p["method"]) for p in item["payments"]] == [("200.00", "reported")]
    assert AuditEvent.objects.filter(verb="ledger.create", target_id=str(item["id"])).exists()

    detail = client.get(f"{ITEMS}{item['id']}/").json()
    assert detail["contract_number"] == body["contract_number"] and detail["notes"] == "首期已付"
    listed = client.get(ITEMS, {"contract": body["contract_number"]}).json()
    assert [row["id"] for row in listed["results"]] == [item["id"]]

    response = client.patch(
        f"{ITEMS}{item['id']}/", {"amount_owed": "1500.00", "notes": "更正"}, format="json"
    )
    assert response.status_code == 200, response.json()
    patched = response.json()
    assert (patched["amount_owed"], patched["outstanding"]) == ("1500.00", "1300.00")
    assert patched["notes"] == "更正"
    assert LedgerItem.objects.get(pk=item["id"]).owed_fen == 1500_00
    assert_ledger_consistent()


@pytest.mark.django_db
def test_patch_refusals_write_nothing(api_client_for):
    item = make_item(owed_fen=1000_00, paid_fen=600_00)
    client = api_client_for("gd-intake")
    before = counts()
    url = f"{ITEMS}{item.pk}/"
    # Owed below what is already paid breaks "paid never exceeds owed".
    response = client.patch(url, {"amount_owed": "500.00"}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"amount_owed"}
    response = client.patch(url, {"due_on": "2025-01-01"}, format="json")  # before signing
    assert response.status_code == 400 and set(response.json()["fields"]) == {"due_on"}
    response = client.patch(url, {"status": "cleared", "amount_paid": "1"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"status", "amount_paid"}
    assert api_client_for("sme-demo").patch(url, {"notes": "x"}, format="json").status_code == 403
    assert api_client_for("js-intake").patch(url, {"notes": "x"}, format="json").status_code == 404
    assert counts() == before
    item.refresh_from_db()
    assert (item.owed_fen, item.due_on, item.notes) == (1000_00, date(2025, 6, 30), "")


@pytest.mark.django_db
def test_detail_reports_overdue_interest_by_the_regulations(api_client_for):
    client = api_client_for("gd-intake")
    # No agreed rate: 0.05% of the overdue principal a day, from the day after the due date.
    item = make_item(owed_fen=1000_00, due_on=date(2025, 6, 30))
    interest = client.get(f"{ITEMS}{item.pk}/", {"as_of": "2025-07-10"}).json()["overdue_interest"]
    assert interest["basis"]["kind"] == "statutory"
    assert interest["days"] == 10
    assert interest["total"] == "5.00"  # 100,000 fen x 0.0005 x 10 days = 500 fen
    assert interest["error"] == ""

    # An agreed 1% is below the 1Y LPR on the signing date (3.10% since 2024-10-21): raised.
    item = make_item(owed_fen=1000_00, agreed_rate_percent=Decimal("1.000"))
    as_of = (date(2025, 6, 30) + timedelta(days=365)).isoformat()
    interest = client.get(f"{ITEMS}{item.pk}/", {"as_of": as_of}).json()["overdue_interest"]
    assert interest["basis"]["kind"] == "agreed_raised_to_lpr"
    assert Decimal(interest["basis"]["lpr_percent"]) == Decimal("3.10")
    assert interest["total"] == "31.00"  # 100,000 fen x 3.10% x 365/365

    # A contract signed before the Regulations is flagged.
    item = make_item(contract_signed_on=date(2020, 5, 1), due_on=date(2020, 6, 1))
    interest = client.get(f"{ITEMS}{item.pk}/", {"as_of": "2020-06-11"}).json()["overdue_interest"]
    assert interest["warnings"] and "2020-09-01" in interest["warnings"][0]

    assert client.get(f"{ITEMS}{item.pk}/", {"as_of": "2025-02-30"}).status_code == 400


@pytest.mark.django_db
def test_interest_that_cannot_be_computed_is_an_error_not_a_500(api_client_for):
    # An agreed rate needs the LPR on the signing date; there is none before 2019-08-20.
    item = make_item(
        contract_signed_on=date(2018, 1, 1),
        due_on=date(2018, 6, 1),
        agreed_rate_percent=Decimal("6.000"),
    )
    response = api_client_for("gd-intake").get(f"{ITEMS}{item.pk}/")
    assert response.status_code == 200
    interest = response.json()["overdue_interest"]
    assert interest["total"] is None and interest["basis"] is None
    assert interest["error"].startswith("合同签订日期：2019-08-20 之前没有发布一年期 LPR")
    english = api_client_for("gd-intake").get(f"{ITEMS}{item.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["overdue_interest"]["error"] == (
        "contract signing date: no one-year LPR was published before 2019-08-20, "
        "so none applies on 2018-01-01"
    )


# --- scope and roles -------------------------------------------------------------------


@pytest.mark.django_db
def test_scoping_of_items(api_client_for):
    item = make_item(creditor=mingda())
    url = f"{ITEMS}{item.pk}/"
    seen = {
        "gd-intake": True,
        "gd-handler": True,  # Guangdong finance department: same province
        "supervisor": True,  # national, read only
        "sme-demo": True,  # the creditor
        "debtor-demo": True,  # the debtor's representative
        "js-intake": False,
        "sme-demo-2": False,
    }
    for username, sees in seen.items():
        client = api_client_for(username)
        response = client.get(url)
        assert response.status_code == (200 if sees else 404), username
        listed = {row["id"] for row in client.get(ITEMS).json()["results"]}
        assert (item.pk in listed) is sees, username
        if not sees:
            assert response.json()["code"] == "not_found"
            assert client.get(f"{url}payments/").status_code == 404
            assert client.get(f"{url}plans/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["supervisor", "sme-demo", "debtor-demo"])
def test_only_keepers_create(api_client_for, username):
    before = counts()
    client = api_client_for(username)
    response = client.post(ITEMS, create_body(), format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert counts() == before


@pytest.mark.django_db
def test_keeper_of_another_province_cannot_create_here(api_client_for):
    """js-intake cannot even name a Guangdong debtor: it is not among its enterprises."""
    before = counts()
    response = api_client_for("js-intake").post(ITEMS, create_body(), format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"debtor", "creditor"}
    assert counts() == before


# --- 400 naming the fields, nothing written -----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"amount_owed": "12.345"}, {"amount_owed"}),  # at most two decimals
        ({"amount_owed": 1000}, {"amount_owed"}),  # a JSON number, not yuan text
        ({"amount_owed": "-5"}, {"amount_owed"}),
        ({"amount_owed": "0"}, {"amount_owed"}),  # the service: owed must be positive
        ({"amount_paid": "1000.01"}, {"amount_paid"}),  # paid above owed
        ({"amount_paid": "600", "disputed_amount": "400.01"}, {"disputed_amount"}),
        ({"due_on": "2025-02-28"}, {"due_on"}),  # before the signing date
        ({"due_on": "2025-02-30"}, {"due_on"}),  # no such day
        ({"contract_signed_on": "NEXT_YEAR", "due_on": "NEXT_YEAR"}, {"contract_signed_on"}),
        ({"contract_number": "  "}, {"contract_number"}),
        ({"creditor": "DEBTOR"}, {"creditor"}),  # a large enterprise is not an SME
        ({"debtor": "MINGDA", "creditor": "QINGHE"}, {"debtor"}),  # an SME is no debtor here
        ({"debtor": "SUYUAN"}, {"debtor"}),  # outside Guangdong: not visible to gd-intake
        ({"owner": "JS"}, {"owner"}),  # not gd-intake's organisation or under it
        ({"agreed_rate_percent": "120"}, {"agreed_rate_percent"}),
    ],
)
def test_create_refusals_name_the_fields_and_write_nothing(api_client_for, overrides, fields):
    existing = {
        "DEBTOR": yueha().pk,
        "MINGDA": mingda().pk,
        "QINGHE": qinghe().pk,
        "SUYUAN": suyuan().pk,
        "JS": Organisation.objects.get(name=JS).pk,
        "NEXT_YEAR": in_days(366),
    }
    overrides = {name: existing.get(value, value) for name, value in overrides.items()}
    before = counts()
    response = api_client_for("gd-intake").post(ITEMS, create_body(**overrides), format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid" and set(body["fields"]) == fields
    assert counts() == before


@pytest.mark.django_db
def test_same_contract_twice_is_refused(api_client_for):
    client = api_client_for("gd-intake")
    body = create_body()
    assert client.post(ITEMS, body, format="json").status_code == 201
    before = counts()
    response = client.post(ITEMS, body, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"contract_number"}
    assert counts() == before


@pytest.mark.django_db
def test_owner_may_be_an_organisation_under_the_actor(api_client_for):
    guangzhou = Organisation.objects.get(name="广州市中小企业主管部门")
    response = api_client_for("gd-intake").post(
        ITEMS, create_body(owner=guangzhou.pk), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["owner"]["id"] == guangzhou.pk


# --- payments and reversals ---------------------------------------------------------------


@pytest.mark.django_db
def test_payments_overpayment_and_reversal(api_client_for):
    item = make_item(owed_fen=1000_00)
    debtor, keeper = api_client_for("debtor-demo"), api_client_for("gd-intake")
    url = f"{ITEMS}{item.pk}/payments/"
    payment = {"paid_on": in_days(-1), "amount": "300.00", "method": "transfer", "reference": "X1"}

    response = debtor.post(url, payment, format="json")
    assert response.status_code == 201, response.json()
    paid = response.json()
    assert (paid["amount"], paid["method"], paid["reverses"]) == ("300.00", "transfer", None)
    item.refresh_from_db()
    assert (item.paid_fen, item.outstanding_fen, item.status) == (300_00, 700_00, "partly_paid")

    before = counts()
    # More than the 700.00 outstanding: refused, naming the API's field.
    response = debtor.post(url, {**payment, "amount": "700.01"}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"amount"}
    assert "700.00" in response.json()["fields"]["amount"][0]
    response = debtor.post(url, {**payment, "paid_on": in_days(1)}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"paid_on"}
    response = debtor.post(url, {**payment, "method": "reported"}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"method"}
    # The creditor sees the item but does not record payments.
    assert api_client_for("sme-demo").post(url, payment, format="json").status_code == 403
    assert api_client_for("js-intake").post(url, payment, format="json").status_code == 404
    # Reversals are the keepers' (not the debtor's), and need a reason.
    reverse = f"/api/v1/ledger/payments/{paid['id']}/reverse/"
    assert debtor.post(reverse, {"reason": "录错"}, format="json").status_code == 403
    response = keeper.post(reverse, {"reason": " "}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"reason"}
    assert api_client_for("js-intake").post(reverse, {"reason": "x"}).status_code == 404
    assert counts() == before

    response = keeper.post(reverse, {"reason": "重复录入"}, format="json")
    assert response.status_code == 201, response.json()
    reversal = response.json()
    assert (reversal["amount"], reversal["reverses"]) == ("-300.00", paid["id"])
    item.refresh_from_db()
    assert (item.paid_fen, item.status) == (0, "outstanding")
    listed = {p["id"]: p for p in keeper.get(url).json()}
    assert listed[paid["id"]]["reversed_by"] == reversal["id"]
    assert listed[reversal["id"]]["reversed_by"] is None

    before = counts()
    again = keeper.post(reverse, {"reason": "again"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    of_reversal = f"/api/v1/ledger/payments/{reversal['id']}/reverse/"
    assert keeper.post(of_reversal, {"reason": "x"}, format="json").status_code == 409
    assert counts() == before
    assert_ledger_consistent()


@pytest.mark.django_db
def test_paying_in_full_clears_and_closes_the_item(api_client_for):
    item = make_item(owed_fen=500_00)
    client = api_client_for("gd-intake")
    url = f"{ITEMS}{item.pk}/payments/"
    body = {"paid_on": in_days(0), "amount": "500.00", "method": "bill"}
    response = client.post(url, body, format="json")
    assert response.status_code == 201 and response.json()["is_bill"] is True
    detail = client.get(f"{ITEMS}{item.pk}/").json()
    assert (detail["status"], detail["outstanding"]) == ("cleared", "0.00")
    before = counts()
    # A cleared item takes no more payments, confirmations, plans or proceedings: 409.
    for path, payload in [
        ("payments/", {**body, "amount": "1.00"}),
        ("confirm/", {}),
        ("plans/", {"instalments": [{"due_on": in_days(30), "amount": "1.00"}]}),
        ("proceedings/", {"kind": "litigation", "body": "法院", "filed_on": in_days(0)}),
    ]:
        response = client.post(f"{ITEMS}{item.pk}/{path}", payload, format="json")
        assert response.status_code == 409, (path, response.json())
        assert response.json()["code"] == "conflict"
    assert counts() == before


# --- the debtor's confirmation -------------------------------------------------------------


@pytest.mark.django_db
def test_confirm_and_dispute(api_client_for):
    item = make_item(owed_fen=1000_00, paid_fen=200_00)
    debtor = api_client_for("debtor-demo")
    url = f"{ITEMS}{item.pk}/confirm/"
    before = counts()
    response = debtor.post(url, {"disputed_amount": "400.00"}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"note"}
    response = debtor.post(url, {"disputed_amount": "800.01", "note": "x"}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"disputed_amount"}
    response = api_client_for("sme-demo").post(url, {}, format="json")
    assert response.status_code == 403
    assert counts() == before

    response = debtor.post(url, {"disputed_amount": "400.00", "note": "质量问题"}, format="json")
    assert response.status_code == 200, response.json()
    disputed = response.json()
    # 800 outstanding, 400 of it disputed: 400 undisputed.
    assert (disputed["category"], disputed["disputed_amount"]) == ("disputed", "400.00")
    assert disputed["undisputed_outstanding"] == "400.00"
    assert [(c["kind"], c["disputed_amount"]) for c in disputed["confirmations"]] == [
        ("disputed", "400.00")
    ]

    response = debtor.post(url, {}, format="json")  # confirms in full: the dispute ends
    assert response.status_code == 200
    confirmed = response.json()
    assert (confirmed["category"], confirmed["disputed_amount"]) == ("undisputed", "0.00")
    assert [c["kind"] for c in confirmed["confirmations"]] == ["disputed", "confirmed"]
    assert_ledger_consistent()


# --- repayment plans --------------------------------------------------------------------------


@pytest.mark.django_db
def test_plans(api_client_for):
    item = make_item(owed_fen=1000_00, paid_fen=100_00)  # 900.00 outstanding
    client = api_client_for("debtor-demo")
    url = f"{ITEMS}{item.pk}/plans/"
    before = counts()
    for instalments in (
        [{"due_on": in_days(30), "amount": "400.00"}, {"due_on": in_days(60), "amount": "400"}],
        [{"due_on": in_days(60), "amount": "450.00"}, {"due_on": in_days(30), "amount": "450"}],
        [{"due_on": in_days(-1), "amount": "900.00"}],
        [],
    ):
        response = client.post(url, {"instalments": instalments}, format="json")
        assert response.status_code == 400, instalments
        assert set(response.json()["fields"]) == {"instalments"}
    response = client.post(url, {"instalments": [{"due_on": "x", "amount": "1"}]}, format="json")
    assert set(response.json()["fields"]) == {"instalments.0.due_on"}
    # Each amount is valid, their sum is beyond any amount: a 400, not a 500.
    most = "999999999999999.99"
    huge = [{"due_on": in_days(30), "amount": most}, {"due_on": in_days(60), "amount": most}]
    response = client.post(url, {"instalments": huge}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"instalments"}
    assert counts() == before

    good = [{"due_on": in_days(30), "amount": "400.00"}, {"due_on": in_days(60), "amount": "500"}]
    response = client.post(url, {"instalments": good}, format="json")
    assert response.status_code == 201, response.json()
    first = response.json()
    assert first["state"] == "active" and first["paid_at_start"] == "100.00"
    assert [(i["number"], i["amount"]) for i in first["instalments"]] == [
        (1, "400.00"),
        (2, "500.00"),
    ]
    replacement = [{"due_on": in_days(90), "amount": "900.00"}]
    second = client.post(url, {"instalments": replacement}, format="json").json()
    plans = {plan["id"]: plan["state"] for plan in client.get(url).json()}
    assert plans == {first["id"]: "replaced", second["id"]: "active"}


@pytest.mark.django_db
def test_creditor_cannot_make_a_plan(api_client_for):
    item = make_item(owed_fen=100_00)
    before = counts()
    response = api_client_for("sme-demo").post(
        f"{ITEMS}{item.pk}/plans/",
        {"instalments": [{"due_on": in_days(30), "amount": "100.00"}]},
        format="json",
    )
    assert response.status_code == 403
    assert counts() == before


# --- legal route ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_legal_route_open_and_decide(api_client_for):
    item = make_item(owed_fen=1000_00, disputed_fen=1000_00)
    keeper = api_client_for("gd-intake")
    url = f"{ITEMS}{item.pk}/proceedings/"
    body = {"kind": "litigation", "body": "广州市天河区人民法院", "filed_on": in_days(-10)}
    before = counts()
    assert api_client_for("debtor-demo").post(url, body, format="json").status_code == 403
    response = keeper.post(url, {**body, "filed_on": in_days(1)}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"filed_on"}
    response = keeper.post(url, {**body, "kind": "prayer"}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"kind"}
    assert counts() == before

    response = keeper.post(url, {**body, "case_number": "(2026)粤0106民初1号"}, format="json")
    assert response.status_code == 201, response.json()
    proceeding = response.json()
    assert proceeding["outcome"] == "pending" and proceeding["item"] == item.pk
    assert keeper.get(f"{ITEMS}{item.pk}/").json()["status"] == "legal_route"

    decide = f"/api/v1/ledger/proceedings/{proceeding['id']}/decide/"
    decision = {"outcome": "for_debtor", "decided_on": in_days(0)}
    before = counts()
    assert api_client_for("js-intake").post(decide, decision, format="json").status_code == 404
    assert api_client_for("sme-demo").post(decide, decision, format="json").status_code == 403
    response = keeper.post(decide, {**decision, "decided_on": in_days(-11)}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"decided_on"}
    response = keeper.post(decide, {**decision, "outcome": "pending"}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"outcome"}
    assert counts() == before

    response = keeper.post(decide, decision, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == "for_debtor"
    detail = keeper.get(f"{ITEMS}{item.pk}/").json()
    assert detail["status"] == "written_off"
    assert (detail["written_off"], detail["outstanding"]) == ("1000.00", "0.00")
    assert [p["outcome"] for p in detail["proceedings"]] == ["for_debtor"]
    before = counts()
    assert keeper.post(decide, decision, format="json").status_code == 409
    payment = {"paid_on": in_days(0), "amount": "1.00", "method": "transfer"}
    assert keeper.post(f"{ITEMS}{item.pk}/payments/", payment, format="json").status_code == 409
    assert counts() == before
    assert_ledger_consistent()


# --- totals and keyset pages -----------------------------------------------------------------


@pytest.fixture
def spread(db):
    """Items of several debtors, regions, statuses and categories."""
    keeper = User.objects.get(username="gd-intake")
    items = [
        make_item(debtor=yueha(), owed_fen=1000_00, disputed_fen=400_00),
        make_item(debtor=yueha(), owed_fen=2500_50, paid_fen=500_00),
        make_item(debtor=yueha(), owed_fen=300_00, paid_fen=300_00),
        make_item(debtor=agency(), owed_fen=7000_00, disputed_fen=1000_00),
        make_item(debtor=agency(), owed_fen=120_00, creditor=qinghe()),
        make_item(debtor=hospital(), owed_fen=4000_00, paid_fen=1000_00, disputed_fen=500_00),
        make_item(debtor=hospital(), owed_fen=999_99, due_on=TODAY() - timedelta(days=45)),
    ]
    for item in items[0], items[3]:
        proceeding = services.legal_route_open(
            actor=keeper, item=item, kind="mediation", body="调解委员会", filed_on=TODAY()
        )
    # The agency's disputed 1,000 yuan is decided for it: written off, the rest still due.
    services.legal_route_decide(
        actor=keeper, proceeding=proceeding, outcome="for_debtor", decided_on=TODAY()
    )
    return items


def walk(client, params, size=2):
    """Every page of the list: the rows, and the totals each page reported."""
    rows, totals, after = [], [], None
    while True:
        query = {**params, "page_size": size, **({"after": after} if after else {})}
        response = client.get(ITEMS, query)
        assert response.status_code == 200, response.json()
        page = response.json()
        assert len(page["results"]) <= size
        rows += page["results"]
        totals.append(page["totals"])
        after = page["next_after"]
        if after is None:
            return rows, totals


def summed(rows) -> dict:
    total = {"items": len(rows)}
    for name, key in [
        ("owed", "amount_owed"),
        ("paid", "amount_paid"),
        ("disputed", "disputed_amount"),
        ("written_off", "written_off"),
        ("outstanding", "outstanding"),
        ("undisputed_outstanding", "undisputed_outstanding"),
    ]:
        total[name] = sum(fen(row[key]) for row in rows)
    total["identified"] = total["owed"] - total["written_off"]
    in_court = [row for row in rows if row["status"] == "legal_route"]
    total["legal_route"] = sum(fen(row["disputed_amount"]) for row in in_court)
    return total


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"debtor_type": "agency"},
        {"region": "4401"},
        {"region": "440103"},
        {"status": "partly_paid"},
        {"status": "legal_route"},
        {"category": "disputed"},
        {"min_owed": "999.99", "max_owed": "4000"},
        {"age": "31-90"},
        {"region": "44", "category": "undisputed", "debtor_type": "large"},
    ],
)
def test_totals_equal_the_sum_of_the_listed_rows(api_client_for, spread, params):
    client = api_client_for("gd-intake")
    rows, page_totals = walk(client, params)
    expected = summed(rows)
    assert rows, "each filter selects something here"
    for totals in page_totals:  # every page reports the totals of all the rows
        assert {name: fen(v) if name != "items" else v for name, v in totals.items()} == expected
    response = client.get(TOTALS, params)
    assert response.status_code == 200
    totals = response.json()["totals"]
    assert {name: fen(v) if name != "items" else v for name, v in totals.items()} == expected


@pytest.mark.django_db
def test_keyset_pages_walk_every_row_once_newest_first(api_client_for, spread):
    client = api_client_for("gd-intake")
    mine = {item.pk for item in spread}
    for size in (1, 2, 3, 50):
        rows, _totals = walk(client, {}, size=size)
        ids = [row["id"] for row in rows]
        assert len(ids) == len(set(ids)) and mine <= set(ids)
        assert ids == sorted(ids, reverse=True)
    # The creditor sees its own items only: 明达 is the creditor of all but one.
    rows, totals = walk(api_client_for("sme-demo"), {})
    assert {row["id"] for row in rows} == {i.pk for i in spread if i.creditor_id == mingda().pk}
    assert totals[0]["items"] == len(spread) - 1
    rows, _totals = walk(api_client_for("sme-demo-2"), {})
    assert [row["id"] for row in rows] == [spread[4].pk]
    assert client.get(ITEMS, {"after": 0}).status_code == 400
    assert client.get(ITEMS, {"page_size": 501}).status_code == 400
    assert client.get(ITEMS, {"status": "paid"}).status_code == 400
    assert client.get(ITEMS, {"min_owed": "1.001"}).status_code == 400


@pytest.mark.django_db
def test_invalid_query_names_every_field_at_once(api_client_for):
    """The filters (the ledger's FilterSet) and the paging or format are checked together."""
    client = api_client_for("gd-intake")
    query = {"status": "paid", "min_owed": "1.001", "region": "4"}
    for url, rest in (
        (ITEMS, {"after": "0"}),
        (TOTALS, {}),
        (EXPORTS, {"format": "pdf"}),
    ):
        response = client.get(url, {**query, **rest})
        assert response.status_code == 400, url
        body = response.json()
        assert body["code"] == "invalid"
        assert set(body["fields"]) == {*query, *rest}, url
    response = client.get(ITEMS, {"contract": "x" * 101, "q": "ignored"})
    assert set(response.json()["fields"]) == {"contract"}


@pytest.mark.django_db
def test_totals_by_province(api_client_for, spread):
    body = api_client_for("supervisor").get(TOTALS).json()
    guangdong = [row for row in body["by_province"] if row["province_code"] == "440000"]
    assert {row["status"] for row in guangdong} == {
        "outstanding",
        "partly_paid",
        "cleared",
        "legal_route",
    }
    assert sum(row["totals"]["items"] for row in guangdong) == len(spread)
    owed = sum(fen(row["totals"]["owed"]) for row in guangdong)
    assert owed == sum(item.owed_fen for item in spread)
    # The parties' totals cover their own items only, and no provinces.
    sme = api_client_for("sme-demo-2").get(TOTALS).json()
    assert sme["totals"]["items"] == 1 and sme["by_province"] == []


# --- imports ------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return tmp_path


def import_row(**overrides) -> list[str]:
    values = {
        "debtor_uscc": yueha().uscc,
        "debtor_name": yueha().name,
        "debtor_type": "大型企业",
        "region_code": "440104",
        "creditor_uscc": mingda().uscc,
        "creditor_name": mingda().name,
        "contract_number": f"IMP-{next(NUMBERS):05d}",
        "contract_signed_on": "2025-01-10",
        "subject": "货物",
        "due_on": "2025/3/10",
        "amount_owed": "5,000.00",
        "amount_paid": "1000",
        "disputed_amount": "",
        "notes": "",
        **overrides,
    }
    assert list(values) == [column.split(" / ")[1] for column in TEMPLATE_HEADER]
    return list(values.values())


def csv_file(rows, name="台账.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"))


def upload(client, rows, capture, **data):
    with capture(execute=True):  # the upload's commit enqueues the (immediate) task
        return client.post(IMPORTS, {"file": csv_file(rows), **data}, format="multipart")


@pytest.mark.django_db
def test_import_of_a_valid_return(api_client_for, media, django_capture_on_commit_callbacks):
    client = api_client_for("gd-intake")
    rows = [import_row(), import_row(amount_owed="120.50", amount_paid="")]
    response = upload(client, rows, django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.json()
    queued = response.json()
    assert queued["state"] == "queued" and queued["owner"]["name"] == GD
    assert queued["original_name"] == "台账.csv"

    status = client.get(f"{IMPORTS}{queued['id']}/").json()
    assert status["state"] == "done", status
    assert (status["rows_read"], status["created_count"], status["error_count"]) == (2, 2, 0)
    assert status["progress"]["fraction"] == 1.0
    listed = client.get(ITEMS, {"contract": rows[0][6]}).json()["results"]
    assert [(r["source"], r["amount_owed"], r["amount_paid"]) for r in listed] == [
        ("import", "5000.00", "1000.00")
    ]
    assert client.get(f"{IMPORTS}{queued['id']}/errors/").json()["count"] == 0
    assert queued["id"] in [r["id"] for r in client.get(IMPORTS).json()["results"]]
    # Imports are their uploader's (and national officials'): others get 404.
    assert api_client_for("js-intake").get(f"{IMPORTS}{queued['id']}/").status_code == 404
    assert api_client_for("sme-demo").get(f"{IMPORTS}{queued['id']}/").status_code == 404
    assert api_client_for("sme-demo").get(IMPORTS).json()["results"] == []
    assert_ledger_consistent()


@pytest.mark.django_db
def test_a_bad_return_is_refused_with_an_error_report(
    api_client_for, media, django_capture_on_commit_callbacks
):
    client = api_client_for("gd-intake")
    rows = [
        import_row(),
        import_row(amount_owed="abc"),
        import_row(due_on="2025-13-01", region_code="320102"),
    ]
    before = LedgerItem.objects.count()
    response = upload(client, rows, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    record = response.json()["id"]
    status = client.get(f"{IMPORTS}{record}/").json()
    assert status["state"] == "refused" and status["created_count"] == 0
    assert LedgerItem.objects.count() == before  # all or nothing: the good row too

    report = client.get(f"{IMPORTS}{record}/errors/", {"page_size": 500})
    assert report.status_code == 200
    cells = {(e["row"], e["column"]) for e in report.json()["results"]}
    # Header is row 1: the bad rows are 3 and 4.
    assert {(3, "amount_owed"), (4, "due_on"), (4, "region_code")} <= cells
    assert {row for row, _column in cells} == {3, 4}
    assert report.json()["count"] == status["error_count"]

    response = client.get(f"{IMPORTS}{record}/errors/", {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][0].endswith("row")
    assert {(int(line[0]), line[1]) for line in lines[1:]} == cells
    assert client.get(f"{IMPORTS}{record}/errors/", {"format": "pdf"}).status_code == 400


@pytest.mark.django_db
def test_import_refusals(api_client_for, media):
    before = counts()
    for username in ("sme-demo", "supervisor"):
        response = api_client_for(username).post(
            IMPORTS, {"file": csv_file([import_row()])}, format="multipart"
        )
        assert response.status_code == 403, username
    client = api_client_for("gd-intake")
    js = Organisation.objects.get(name=JS)
    response = client.post(
        IMPORTS, {"file": csv_file([import_row()]), "owner": js.pk}, format="multipart"
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"owner"}
    response = client.post(IMPORTS, {}, format="multipart")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"file"}
    assert counts() == before
    assert not list(media.glob("ledger-imports/*"))


# --- exports --------------------------------------------------------------------------------------


def export_header(key: str) -> str:
    return BY_KEY[key].header


@pytest.mark.django_db
def test_export_csv_and_xlsx_escape_formulas(api_client_for):
    formula = make_item(owed_fen=1234_56, paid_fen=234_56, notes="=1+1", subject="works")
    other = make_item(debtor=agency(), owed_fen=10_00, notes="@SUM(A1)")
    client = api_client_for("gd-intake")

    response = client.get(EXPORTS, {"format": "csv", "debtor": yueha().pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *lines = list(csv.reader(io.StringIO(text)))
    assert header[:3] == [export_header(k) for k in ("debtor_uscc", "debtor_name", "debtor_type")]
    assert header[-3:] == ["状态 / status", "台账编号 / item_id", "未付金额（元） / outstanding"]
    rows = [dict(zip(header, line, strict=True)) for line in lines]
    assert [r[export_header("contract_number")] for r in rows] == [formula.contract_number]
    row = rows[0]
    assert row[export_header("notes")] == "'=1+1"
    assert row[export_header("debtor_uscc")] == yueha().uscc
    assert row[export_header("amount_owed")] == "1234.56"
    assert row[export_header("amount_paid")] == "234.56"
    assert row["未付金额（元） / outstanding"] == "1000.00"
    with translation.override("zh-hans"):  # the export's words, not its codes
        assert row["状态 / status"] == str(Status.PARTLY_PAID.label)
    assert row["台账编号 / item_id"] == str(formula.pk)
    assert row[export_header("due_on")] == "2025-06-30"

    response = client.get(EXPORTS, {"format": "xlsx", "region": "44"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    header, *lines = workbook.get_sheet_by_index(0).to_python()
    rows = {line[header.index(export_header("contract_number"))]: line for line in lines}
    assert set(rows) == {formula.contract_number, other.contract_number}
    notes = header.index(export_header("notes"))
    assert rows[formula.contract_number][notes] == "'=1+1"
    assert rows[other.contract_number][notes] == "'@SUM(A1)"
    assert rows[formula.contract_number][header.index(export_header("amount_owed"))] == 1234.56

    # Scoped: Jiangsu exports none of these; a bad format is a JSON 400.
    response = api_client_for("js-intake").get(EXPORTS, {"format": "csv"})
    assert formula.contract_number not in b"".join(response.streaming_content).decode("utf-8-sig")
    response = client.get(EXPORTS, {"format": "pdf"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"format"}


def test_evidence_of_a_payment_through_the_api(api_client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = make_item()
    debtor = api_client_for("debtor-demo")
    payment = debtor.post(
        f"/api/v1/ledger/items/{item.pk}/payments/",
        {"paid_on": date.today().isoformat(), "amount": "10.00", "method": "transfer"},
        format="json",
    ).json()
    url = f"/api/v1/ledger/items/{item.pk}/evidence/"
    upload = debtor.post(
        url, {"file": SimpleUploadedFile("回单.pdf", PDF), "payment": payment["id"]}
    )
    assert upload.status_code == 201, upload.content
    body = upload.json()
    assert (body["payment"], body["content_type"], body["size"]) == (
        payment["id"],
        "application/pdf",
        len(PDF),
    )
    listed = api_client_for("sme-demo").get(url).json()
    assert [e["id"] for e in listed] == [body["id"]]
    download = api_client_for("sme-demo").get(f"{url}{body['id']}/")
    assert b"".join(download.streaming_content) == PDF
    assert api_client_for("sme-demo-2").get(f"{url}{body['id']}/").status_code == 404
    refused = debtor.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")})
    assert refused.status_code == 400 and "file" in refused.json()["fields"]
    wrong = debtor.post(url, {"file": SimpleUploadedFile("a.pdf", PDF), "payment": 999999})
    assert wrong.status_code == 400 and "payment" in wrong.json()["fields"]
    assert item.evidence.count() == 1
