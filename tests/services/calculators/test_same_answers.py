"""One implementation, three doors: the CLI, the public API and the calculator
pages answer every case of the CLI's own tests, and every few days of the 2025
and 2026 calendars, with the same figures."""

import json
from datetime import date, timedelta

import pytest
from django.core.cache import cache

from qingqian.cli import main
from qingqian.cli.calendar import EXIT_UNKNOWN_YEAR

pytestmark = pytest.mark.django_db

COMMANDS = {
    "interest": "interest",
    "deadline": "deadline",
    "size": "size",
    "payment_term": "payment-term",
}
API = {
    "interest": "/api/v1/public/interest/",
    "deadline": "/api/v1/public/deadline/",
    "size": "/api/v1/public/size/",
    "payment_term": "/api/v1/public/payment-term/",
}
PAGES = {
    "interest": "/public/tools/interest/",
    "deadline": "/public/tools/deadline/",
    "size": "/public/tools/size/",
    "payment_term": "/public/tools/payment-term/",
}
FLAGS = {"from_regulations_start", "provisional", "third_party"}

BASE = {"principal": "1000000.00", "due": "2025-03-31", "end": "2025-06-30"}
# The cases of tests/cli/test_cli_interest.py, test_cli_calendar.py and test_cli_size.py.
CLI_TEST_CASES = [
    ("interest", BASE),
    (
        "interest",
        {
            "principal": "10,000",
            "due": "2025-03-31",
            "end": "2025-04-20",
            "payment": ["2025-04-10:4000.00"],
        },
    ),
    ("interest", {**BASE, "payment": ["2025-04-30:500000"]}),
    (
        "interest",
        {
            "principal": "100000",
            "due": "2024-06-30",
            "end": "2024-07-10",
            "agreed_rate": "2.5",
            "signed": "2023-09-01",
        },
    ),
    (
        "interest",
        {"principal": "10000", "due": "2020-06-30", "end": "2020-09-10", "signed": "2019-12-01"},
    ),
    (
        "interest",
        {
            "principal": "10000",
            "due": "2020-06-30",
            "end": "2020-09-10",
            "signed": "2019-12-01",
            "from_regulations_start": True,
        },
    ),
    ("deadline", {"start": "2026-09-30", "working_days": "10"}),
    ("deadline", {"start": "2026-09-01", "days": "30"}),
    ("deadline", {"start": "2026-10-01", "days": "0"}),
    ("deadline", {"start": "2026-12-01", "working_days": "30", "provisional": True}),
    ("size", {"industry": "retail", "staff": "40", "revenue": "800"}),
    ("size", {"industry": "other", "staff": "9"}),
    ("size", {"industry": "retail", "staff": "10", "revenue": "99.99"}),
    ("size", {"industry": "retail", "staff": "40", "revenue": "800", "date": "2011-06-18"}),
    ("size", {"industry": "industry", "staff": "1000", "revenue": "40000"}),
    ("payment_term", {"buyer_type": "agency", "signed": "2025-07-01", "delivered": "2025-09-01"}),
    ("payment_term", {"buyer_type": "large", "signed": "2024-07-01", "delivered": "2025-09-01"}),
    (
        "payment_term",
        {
            "buyer_type": "institution",
            "signed": "2025-07-01",
            "delivered": "2025-08-31",
            "agreed_days": "90",
        },
    ),
    (
        "payment_term",
        {
            "buyer_type": "large",
            "signed": "2025-07-01",
            "delivered": "2025-07-01",
            "accepted": "2025-07-20",
            "acceptance_ends": "2025-07-15",
            "third_party": True,
        },
    ),
]


def calendar_cases():
    """Every fifth day of 2025 and 2026, counted in working days, in days and as a term."""
    day, last = date(2025, 1, 1), date(2026, 12, 31)
    while day <= last:
        start = day.isoformat()
        yield "deadline", {"start": start, "working_days": "10"}
        yield "deadline", {"start": start, "days": "30"}
        yield "payment_term", {"buyer_type": "agency", "signed": "2025-01-01", "delivered": start}
        day += timedelta(days=5)


def cli_argv(kind: str, params: dict) -> list[str]:
    argv = [COMMANDS[kind]]
    for name, value in params.items():
        if kind == "deadline" and name == "start":
            argv.insert(1, value)
        elif name in FLAGS:
            argv += [f"--{name.replace('_', '-')}"] if value else []
        else:
            for each in value if isinstance(value, list) else [value]:
                argv += [f"--{name.replace('_', '-')}", each]
    return argv


def api_query(params: dict) -> dict:
    return {name: ("true" if value is True else value) for name, value in params.items()}


def cli_json(capsys, kind, params) -> dict:
    code = main([*cli_argv(kind, params), "--json"])
    out, _ = capsys.readouterr()
    assert code == 0, out
    return json.loads(out)


@pytest.mark.parametrize(("kind", "params"), CLI_TEST_CASES)
def test_the_cli_the_api_and_the_page_agree_on_the_cli_tests_cases(client, capsys, kind, params):
    expected = cli_json(capsys, kind, params)
    answered = client.get(API[kind], api_query(params))
    assert answered.status_code == 200
    assert answered.json() == expected
    page = client.get(PAGES[kind], api_query(params))
    assert page.status_code == 200
    assert _headline(kind, expected) in page.content.decode()


def test_they_agree_on_the_2025_and_2026_calendars(client, capsys):
    cases = list(calendar_cases())
    assert len(cases) == 438  # 146 days, three questions each
    refused = 0
    for kind, params in cases:
        cache.clear()  # the public API's throttle counts in the cache
        answered = client.get(API[kind], params)
        if main([*cli_argv(kind, params), "--json"]) == EXIT_UNKNOWN_YEAR:
            # Late 2026 counted into 2027, whose schedule is not entered: both refuse.
            assert "2027" in capsys.readouterr().err
            assert (answered.status_code, list(answered.json()["fields"])) == (400, ["start"])
            refused += 1
            continue
        assert answered.json() == json.loads(capsys.readouterr().out), params
    # Into 2027: 30 days from 12-02, 12-07, 12-12, 12-17, 12-22 and 12-27; ten working
    # days from 12-22 and 12-27 (from 12-17 the tenth is 12-31).
    assert refused == 8


def _headline(kind: str, data: dict) -> str:
    """The answer as the (Chinese) page shows it."""
    if kind == "interest":
        whole, fen = data["total_yuan"].split(".")
        return f'data-testid="total">¥{int(whole):,}.{fen}<'
    if kind == "deadline":
        return f'data-testid="deadline-date">{data["date"]}<'
    if kind == "size":
        return f'data-testid="size">{SIZES[data["size"]]}<'
    return f'data-testid="due-date">{data["due_date"]}<' if data["due_date"] else "due-date"


SIZES = {"large": "大型企业", "medium": "中型企业", "small": "小型企业", "micro": "微型企业"}


@pytest.mark.parametrize(
    ("kind", "params", "field"),
    [
        ("interest", {**BASE, "principal": "1e6"}, "principal"),
        ("interest", {**BASE, "agreed_rate": "3"}, "signed"),
        ("interest", {**BASE, "payment": ["2025-04-01"]}, "payment"),
        ("deadline", {"start": "2026-02-30", "days": "3"}, "start"),
        ("deadline", {"start": "2026-09-30", "working_days": "ten"}, "working_days"),
        ("size", {"staff": "40"}, "industry"),
        ("size", {"industry": "retail", "staff": "40"}, "revenue"),
        ("payment_term", {"buyer_type": "agency", "signed": "2025-07-01"}, "delivered"),
    ],
)
def test_a_refusal_names_the_same_parameter_everywhere(client, capsys, kind, params, field):
    code = main(cli_argv(kind, params))
    _, err = capsys.readouterr()
    assert code == 1
    option = "START" if field == "start" else f"--{field.replace('_', '-')}"
    assert err.startswith("error: ") and (option in err or field in err), err
    answered = client.get(API[kind], api_query(params))
    assert answered.status_code == 400
    assert field in answered.json()["fields"]
    page = client.get(PAGES[kind], api_query(params))
    assert page.status_code == 400
    assert f'id="id_{field}"' in page.content.decode()
    assert 'class="error-summary"' in page.content.decode()
