"""Published notices on the public site: the list, one notice and the Atom feed
show approved notices only, with their public fields and no one's personal data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings as django_settings
from django.http import Http404
from django.test import Client
from django.utils import timezone

from qingqian.accounts.models import Organisation, Role
from qingqian.accounts.services import user_create
from qingqian.supervision.cases import selectors, services
from tests.supervision.test_cases import GD, open_case

ATOM = "{http://www.w3.org/2005/Atom}"
APPROVED_TEXT = "经核查，广东省某市级机关拖欠中小企业账款逾期未清偿，现予通报。"
SECOND_PARAGRAPH = "整改要求见附件 <1> & <2>。"


def official(username: str, full_name: str):
    return user_create(
        actor=None,
        username=username,
        password="demo-password-123",
        role=Role.SUPERVISOR,
        organisation=Organisation.objects.get(name=GD),
        full_name=full_name,
        email=f"{username}@example.gov.cn",
        validate=False,
        two_factor_exempt=True,
    )


@pytest.fixture
def notices(db, user):
    """Four notices of one Guangdong case: one approved after another, both public;
    one rejected and one still pending, neither public."""
    drafter = official("notice-drafter", "起草人王五")
    approver = official("notice-approver", "审核人赵六")
    case = open_case(drafter)

    def draft(title, text="正文"):
        return services.notice_draft(actor=drafter, case=case, title=title, text=text)

    older = draft("先起草后批准的通报", f"{APPROVED_TEXT}\n\n{SECOND_PARAGRAPH}")
    newer = draft("后起草先批准的通报")
    rejected = draft("被退回的通报", "退回的正文")
    pending = draft("待审核的通报", "待审核的正文")
    # Approved in the other order than drafted: the list goes by publication.
    newer = services.notice_decide(actor=approver, notice=newer, approve=True)
    older = services.notice_decide(
        actor=approver, notice=older, approve=True, note="审核意见：措辞已核"
    )
    rejected = services.notice_decide(
        actor=user("supervisor"), notice=rejected, approve=False, note="内部意见：数据需核实"
    )
    return {"published": [older, newer], "rejected": rejected, "pending": pending, "case": case}


def anonymous() -> Client:
    return Client()


def unpublished_words(notices) -> list[str]:
    """What must never reach the public: unpublished notices, people, internal notes."""
    case = notices["case"]
    return [
        "被退回的通报",
        "退回的正文",
        "待审核的通报",
        "待审核的正文",
        "起草人王五",
        "审核人赵六",
        "notice-drafter",
        "notice-approver",
        "@example.gov.cn",
        "内部意见",
        "措辞已核",
        case.title,
        case.reason,
    ]


def assert_nothing_unpublished(body: str, notices) -> None:
    for word in unpublished_words(notices):
        assert word not in body, word


def test_the_selector_returns_approved_notices_newest_first_with_public_fields(notices):
    rows = list(selectors.published_notices())
    older, newer = notices["published"]
    assert [row["pk"] for row in rows] == [older.pk, newer.pk]
    assert set(rows[0]) == {"pk", "title", "text", "authority", "region_code", "published_at"}
    assert rows[0]["text"] == f"{APPROVED_TEXT}\n\n{SECOND_PARAGRAPH}"
    assert rows[0]["authority"] == GD
    assert rows[0]["region_code"] == "440000"
    assert rows[0]["published_at"] == older.decided_at
    for unpublished in (notices["pending"], notices["rejected"]):
        with pytest.raises(Http404):
            selectors.published_notice_get(unpublished.pk)
    for bad in (0, -1, 2**63, "1"):
        with pytest.raises(Http404):
            selectors.published_notice_get(bad)


def test_the_list_shows_published_notices_only(notices):
    response = anonymous().get("/public/notices/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("先起草后批准的通报") < body.index("后起草先批准的通报")
    assert GD in body and "广东省" in body
    assert_nothing_unpublished(body, notices)
    assert 'data-testid="nav-complaints"' not in body  # no officials' menu
    assert 'href="/public/notices/feed/"' in body


def test_a_published_notice_shows_its_approved_text(notices):
    older = notices["published"][0]
    response = anonymous().get(f"/public/notices/{older.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert APPROVED_TEXT in body and GD in body
    assert "<p>整改要求见附件 &lt;1&gt; &amp; &lt;2&gt;。</p>" in body  # escaped, in paragraphs
    assert timezone.localtime(older.decided_at).strftime("%Y-%m-%d") in body
    assert_nothing_unpublished(body, notices)


def test_an_unpublished_notice_is_not_found(notices):
    client = anonymous()
    for notice in (notices["pending"], notices["rejected"]):
        assert client.get(f"/public/notices/{notice.pk}/").status_code == 404
    assert client.get(f"/public/notices/{2**63}/").status_code == 404


def test_signed_in_officials_see_the_same_published_notices(notices, client_for):
    body = client_for("supervisor").get("/public/notices/").content.decode()
    assert "先起草后批准的通报" in body and "待审核的通报" not in body


def test_the_list_in_english(notices):
    client = anonymous()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/public/notices/").content.decode()
    assert "<h1>Public notices</h1>" in body
    body = anonymous().get("/public/notices/").content.decode()
    assert "<h1>通报</h1>" in body


def test_the_list_is_paginated(db, user):
    drafter = official("notice-drafter", "起草人王五")
    case = open_case(drafter)
    for number in range(21):
        title = f"第{number}号通报"
        notice = services.notice_draft(actor=drafter, case=case, title=title, text="x")
        services.notice_decide(actor=user("supervisor"), notice=notice, approve=True)
    first = anonymous().get("/public/notices/").content.decode()
    second = anonymous().get("/public/notices/?page=2").content.decode()
    assert len(re.findall(r'href="/public/notices/\d+/"', first)) == 20
    assert "第20号通报" in first and "第0号通报" not in first
    assert "第0号通报" in second and 'rel="prev"' in second


def test_the_feed_is_atom_with_the_published_notices_only(notices):
    response = anonymous().get("/public/notices/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert_nothing_unpublished(body, notices)
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("title", "id", "updated", "link", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    older, newer = notices["published"]
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [older.title, newer.title]
    first = entries[0]
    for required in ("id", "updated", "published", "summary", "author"):
        assert first.find(f"{ATOM}{required}") is not None, required
    assert first.find(f"{ATOM}link").get("href").endswith(f"/public/notices/{older.pk}/")
    summary = first.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == (
        f"<p>{APPROVED_TEXT}</p>\n\n<p>整改要求见附件 &lt;1&gt; &amp; &lt;2&gt;。</p>"
    )
    assert first.find(f"{ATOM}author").findtext(f"{ATOM}name") == GD
    assert feed.findtext(f"{ATOM}updated") == first.findtext(f"{ATOM}updated")


def test_an_empty_feed_is_still_valid_atom(db):
    feed = ET.fromstring(anonymous().get("/public/notices/feed/").content)
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.find(f"{ATOM}author") is not None and feed.find(f"{ATOM}updated") is not None


def test_the_officials_notice_page_links_its_publication(notices, client_for):
    client = client_for("supervisor")
    older = notices["published"][0]
    body = client.get(f"/supervision/notices/{older.pk}/").content.decode()
    assert f'href="/public/notices/{older.pk}/"' in body
    body = client.get(f"/supervision/notices/{notices['pending'].pk}/").content.decode()
    assert 'data-testid="notice-published"' not in body
    assert "审核同意即在公开网站发布本通报" in body
