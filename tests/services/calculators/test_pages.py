"""The calculator pages: GET forms that work without a script, in both languages."""

import pytest
from django.conf import settings

from qingqian.core.messages import chinese_number

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_public_home_links_the_calculators(client):
    body = client.get("/").content.decode()
    assert 'href="/public/tools/"' in body
    tools = client.get("/public/tools/").content.decode()
    for path in ("interest", "deadline", "size", "payment-term"):
        assert f'href="/public/tools/{path}/"' in tools


def test_an_empty_form_asks_without_refusing(client):
    page = client.get("/public/tools/interest/")
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        'method="get"' in body
        and "error-summary" not in body
        and 'data-testid="result"' not in body
    )


def test_the_payments_box_takes_one_payment_a_line(client):
    # 04-01..04-10 on 10,000 = 50.00; 04-11..04-20 on 6,000 = 30.00; 04-21..04-30 on 1,000 = 5.00
    query = {
        "principal": "10000",
        "due": "2025-03-31",
        "end": "2025-04-30",
        "payment": "2025-04-10:4000\r\n2025-04-20:5000.00\r\n",
    }
    body = english(client).get("/public/tools/interest/", query).content.decode()
    assert 'data-testid="total">CNY 85.00<' in body
    assert body.count("<tr>") == 4  # the header and three periods


def test_every_problem_is_named_at_once(client):
    page = english(client).get(
        "/public/tools/payment-term/",
        {"buyer_type": "army", "signed": "2025-13-01", "agreed_days": "x"},
    )
    assert page.status_code == 400
    body = page.content.decode()
    for field in ("buyer_type", "signed", "agreed_days"):
        assert f'href="#id_{field}"' in body  # each in the summary, linked to its field


def test_the_article_is_named_in_each_language(client):
    query = {"buyer_type": "agency", "signed": "2025-07-01", "delivered": "2025-09-01"}
    chinese = client.get("/public/tools/payment-term/", query).content.decode()
    assert "第九条" in chinese and 'data-testid="due-date">2025-10-09<' in chinese
    body = english(client).get("/public/tools/payment-term/", query).content.decode()
    assert "Regulations (2025) Art. 9" in body
    assert "State Council Decree No. 802" in body


def test_a_year_with_no_schedule_is_refused_unless_counted_provisionally(client):
    query = {"start": "2026-12-01", "working_days": "30"}
    refused = english(client).get("/public/tools/deadline/", query)
    assert refused.status_code == 400 and "2027" in refused.content.decode()
    counted = client.get("/public/tools/deadline/", {**query, "provisional": "on"})
    assert 'data-testid="deadline-date">2027-01-13<' in counted.content.decode()
    assert "Provisional" in counted.content.decode()


@pytest.mark.parametrize(
    ("number", "words"),
    [(9, "九"), (10, "十"), (17, "十七"), (24, "二十四"), (30, "三十"), (37, "三十七")],
)
def test_article_numbers_in_chinese(number, words):
    assert chinese_number(number) == words
