"""Cached public pages: the second request of a signed-out visitor is served from
the cache (one query: the figures' version), per language and query, and any
change of a public figure made through the services shows on the next request;
a signed-in person neither reads nor writes a cached page."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qingqian import settings as product_settings
from qingqian.accounts.services.organisation_changes import organisation_rename
from qingqian.complaints import services as complaint_services
from qingqian.core import figures_version
from qingqian.supervision.cases import services as case_services
from tests.portal.test_notices import official
from tests.portal.test_statistics import month_row
from tests.supervision.test_cases import open_case

pytestmark = pytest.mark.django_db

CACHED = [
    "/",
    "/public/how-to-complain/",
    "/public/statistics/",
    "/public/statistics/44/?from=2026-01&to=2026-03",
    "/public/notices/",
    "/public/notices/feed/",
    "/api/v1/public/statistics/?region=44",
    "/api/v1/public/notices/",
]


def get(client: Client, url: str):
    """The response and the number of SQL queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def body(response) -> str:
    """The page without its CSRF token (each visitor has their own)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def stored_pages() -> int:
    """Public pages in the cache (the test run's local memory, or its own Redis
    database when QINGQIAN_CACHE_URL is set)."""
    if hasattr(cache._cache, "get_client"):
        return len(cache._cache.get_client().keys("*qq:public:*"))
    return sum(1 for key in cache._cache if "qq:public:" in key)


def english() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("url", CACHED)
def test_the_second_request_is_served_from_the_cache(url):
    first, first_queries = get(Client(), url)
    assert stored_pages() == 1
    second, second_queries = get(Client(), url)  # another visitor
    assert first.status_code == second.status_code == 200
    assert first_queries > 1 or url == "/public/how-to-complain/"  # that one reads nothing
    assert second_queries == 1  # the figures' version, nothing else
    assert body(second) == body(first)
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("url", ["/public/statistics/", "/api/v1/public/statistics/"])
def test_vary_and_content_language_are_those_of_a_fresh_page(url):
    fresh, _ = get(english(), url)
    cached, queries = get(english(), url)
    assert queries == 1
    assert cached["Content-Language"] == fresh["Content-Language"] == "en"
    assert set(cached["Vary"].split(", ")) == set(fresh["Vary"].split(", "))
    assert "Cookie" in cached["Vary"]  # the language is the cookie's


def test_each_language_has_its_own_entry():
    chinese, _ = get(Client(), "/public/statistics/")
    english_page, queries = get(english(), "/public/statistics/")
    assert queries > 1  # not the Chinese page's entry
    assert "公开统计" in chinese.content.decode() or "统计" in chinese.content.decode()
    assert body(chinese) != body(english_page)
    assert 'lang="en"' in english_page.content.decode()
    again_chinese, zh_queries = get(Client(), "/public/statistics/")
    again_english, en_queries = get(english(), "/public/statistics/")
    assert (zh_queries, en_queries) == (1, 1)
    assert body(again_chinese) == body(chinese)
    assert body(again_english) == body(english_page)
    assert again_chinese["Content-Language"] == "zh-hans"


def test_the_query_string_is_part_of_the_key_in_any_order():
    march, _ = get(Client(), "/public/statistics/?from=2026-03&to=2026-03")
    same, queries = get(Client(), "/public/statistics/?to=2026-03&from=2026-03")
    assert queries == 1
    assert body(same) == body(march)
    other, other_queries = get(Client(), "/public/statistics/?from=2026-02&to=2026-03")
    assert other_queries > 1
    assert body(other) != body(march)


def test_a_complaint_filed_and_accepted_shows_on_the_next_request(draft, user):
    month = timezone.localdate().strftime("%Y-%m")
    url = f"/public/statistics/44/?from={month}&to={month}"
    before, _ = get(Client(), url)
    assert month_row(before.content.decode(), month)[:2] == ["0", "0"]
    version = figures_version.current()

    complaint = complaint_services.complaint_submit(actor=user("sme-demo"), complaint=draft())
    complaint_services.complaint_accept(actor=user("gd-intake"), complaint=complaint)

    assert figures_version.current() > version
    after, queries = get(Client(), url)
    assert queries > 1  # the old entry is out of reach
    assert month_row(after.content.decode(), month)[:2] == ["&lt;5", "&lt;5"]  # 1 and 1
    cached, cached_queries = get(Client(), url)
    assert cached_queries == 1
    assert body(cached) == body(after)


def test_a_ledger_item_recorded_shows_on_the_next_request(make_item):
    for _ in range(4):
        make_item(owed_fen=100_00)
    before, _ = get(english(), "/public/statistics/44/")
    assert "500.00" not in before.content.decode()  # four items: suppressed
    make_item(owed_fen=100_00)
    after, queries = get(english(), "/public/statistics/44/")
    assert queries > 1
    assert "500.00" in after.content.decode()


def test_a_published_notice_shows_on_the_list_the_feed_and_the_api():
    urls = ["/public/notices/", "/public/notices/feed/", "/api/v1/public/notices/"]
    for url in urls:
        assert "新近批准的通报" not in get(Client(), url)[0].content.decode()
    drafter = official("cache-drafter", "起草人")
    approver = official("cache-approver", "审核人")
    notice = case_services.notice_draft(
        actor=drafter, case=open_case(drafter), title="新近批准的通报", text="正文"
    )
    for url in urls:  # drafted, not yet published: the cached pages still hold
        assert get(Client(), url)[1] == 1
    case_services.notice_decide(actor=approver, notice=notice, approve=True)
    for url in urls:
        response, queries = get(Client(), url)
        assert queries > 1
        assert "新近批准的通报" in response.content.decode()
    detail, _ = get(Client(), f"/public/notices/{notice.pk}/")
    assert "新近批准的通报" in detail.content.decode()


def test_a_renamed_authority_shows_on_its_published_notices(user):
    drafter = official("rename-drafter", "起草人")
    notice = case_services.notice_draft(
        actor=drafter, case=open_case(drafter), title="改名前批准的通报", text="正文"
    )
    case_services.notice_decide(
        actor=official("rename-approver", "审核人"), notice=notice, approve=True
    )
    url = f"/public/notices/{notice.pk}/"
    assert "广东省中小企业主管部门" in get(Client(), url)[0].content.decode()
    organisation_rename(
        actor=user("admin"), organisation=drafter.organisation, name="广东省中小企业局"
    )
    renamed, queries = get(Client(), url)
    assert queries > 1
    assert "广东省中小企业局" in renamed.content.decode()


def test_a_signed_in_person_neither_reads_nor_writes_a_cached_page(client_for):
    anonymous_page, _ = get(Client(), "/public/statistics/")
    assert "广东受理员" not in anonymous_page.content.decode()
    signed_in = client_for("gd-intake")
    theirs, queries = get(signed_in, "/public/statistics/")
    assert queries > 1
    assert "广东受理员" in theirs.content.decode()  # their name in the header: not cached
    cache.clear()
    get(signed_in, "/public/statistics/")
    after, anonymous_queries = get(Client(), "/public/statistics/")
    assert stored_pages() == 1  # the anonymous request's, not the signed-in one's
    assert anonymous_queries > 1  # the signed-in request wrote nothing
    assert "广东受理员" not in after.content.decode()


def test_a_signed_in_home_is_their_start_page_not_the_cached_public_one(client_for):
    get(Client(), "/")
    get(Client(), "/")
    html = client_for("gd-intake").get("/").content.decode()
    assert 'data-testid="public-headline"' not in html


def test_downloads_and_errors_are_not_cached():
    url = "/public/statistics/?download=provinces&format=csv"
    first, _ = get(Client(), url)
    second, queries = get(Client(), url)
    assert queries > 1
    assert "extracted-" in second["Content-Disposition"]
    assert stored_pages() == 0
    missing = "/public/notices/999999/"
    assert get(Client(), missing)[0].status_code == 404
    response, queries = get(Client(), missing)
    assert response.status_code == 404
    assert queries > 1


def test_a_cached_page_carries_each_visitor_their_own_csrf_token():
    get(Client(), "/public/statistics/")  # stored, with the first visitor's token taken out
    visitor = Client(enforce_csrf_checks=True)
    page, queries = get(visitor, "/public/statistics/")
    assert queries == 1
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token and "qq-csrf" not in token.group(1)
    assert "csrftoken" in page.cookies  # the cookie the token goes with, as on a fresh page
    switched = visitor.post(
        "/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token.group(1)}
    )
    assert switched.status_code == 302


def test_the_cache_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("QINGQIAN_CACHE_URL", raising=False)
    assert product_settings.cache_config()["BACKEND"].endswith("LocMemCache")
    monkeypatch.setenv("QINGQIAN_CACHE_URL", "redis://127.0.0.1:6379/1")
    shared = product_settings.cache_config()
    # Redis away is an empty cache, not an error, and a short wait.
    assert shared["BACKEND"] == "qingqian.core.forgiving_cache.ForgivingRedisCache"
    assert shared["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert shared["OPTIONS"]["socket_connect_timeout"] <= 1
    monkeypatch.setenv("QINGQIAN_CACHE_URL", "memcached://127.0.0.1:11211")
    with pytest.raises(ImproperlyConfigured):
        product_settings.cache_config()


def test_every_bump_moves_the_version_by_one_and_a_rollback_undoes_it():
    from django.db import transaction

    start = figures_version.current()
    figures_version.bump()
    figures_version.bump()
    assert figures_version.current() == start + 2
    with pytest.raises(RuntimeError), transaction.atomic():
        figures_version.bump()
        raise RuntimeError
    assert figures_version.current() == start + 2


def test_the_sqlite_reader_sees_every_commit_of_another_connection(tmp_path):
    """The version of a SQLite file is read through a connection kept open by the
    thread: it must see each bump committed by another connection (a writer
    process), not a snapshot of its own."""
    import sqlite3

    path = str(tmp_path / "figures.sqlite3")
    table = figures_version.FiguresVersion._meta.db_table
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, bumps INTEGER NOT NULL)")
    writer.execute(f"INSERT INTO {table} (bumps) VALUES (0), (0)")
    assert figures_version.read_sqlite_version(path) == 0
    writer.execute("BEGIN")
    writer.execute(f"UPDATE {table} SET bumps = bumps + 1 WHERE id = 2")
    assert figures_version.read_sqlite_version(path) == 0  # not committed yet
    writer.execute("COMMIT")
    assert figures_version.read_sqlite_version(path) == 1
    writer.execute(f"UPDATE {table} SET bumps = bumps + 5 WHERE id = 1")
    assert figures_version.read_sqlite_version(path) == 6
    writer.close()


def test_on_postgresql_a_bump_never_waits_for_another_open_transaction():
    """A ledger import holds its version row until it commits (minutes): a complaint
    act's bump meanwhile takes another row instead of queueing behind it, where one
    counter row would make it wait (here: time out)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite has one writer at a time)")
    import psycopg
    from django.db import OperationalError, transaction

    settings_dict = connection.settings_dict
    other = psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
    )
    try:
        with other.cursor() as cursor:  # a long transaction holding a version row
            cursor.execute(figures_version._BUMP_FREE_ROW)
            assert cursor.rowcount == 1
        start = figures_version.current()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
        figures_version.bump()  # does not wait
        assert figures_version.current() == start + 1
        # The same bump on one shared row would queue behind the open transaction.
        with pytest.raises(OperationalError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(figures_version._BUMP_FIRST_ROW)
    finally:
        other.rollback()
        other.close()
