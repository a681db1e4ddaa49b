"""The typical case pages: the officials' journey from a finished complaint to
publication, in the browser's forms; the public list (by kind), one case and the
Atom feed, in Chinese and English, with no personal data and nothing unpublished."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from qingqian.publication.models import TypicalCase
from qingqian.publication.typical_cases import services
from qingqian.publication.typical_cases.public import kind_label
from tests.publication.typical_cases.complaints import (
    ACCOUNT,
    CONTACT_NAME,
    CONTACT_PHONE,
    IDENTITY,
)

ATOM = "{http://www.w3.org/2005/Atom}"
State = TypicalCase.State


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def act(client, case, action, **data):
    return client.post(f"/typical-cases/{case.pk}/act/{action}/", {"version": case.version, **data})


@pytest.mark.django_db
def test_from_a_finished_complaint_to_the_public_site(
    closed_complaint, drafter, reviewer, approver
):
    gd = signed_in(drafter)
    assert gd.get("/typical-cases/").status_code == 200
    start = gd.get("/typical-cases/new/", {"tracking_number": closed_complaint.tracking_number})
    assert (
        start.status_code == 302
        and start["Location"] == f"/typical-cases/new/{closed_complaint.pk}/"
    )
    page = gd.get(start["Location"]).content.decode()
    assert "某中小企业" in page and "[身份证号]" in page
    assert IDENTITY not in page and CONTACT_PHONE not in page and ACCOUNT not in page
    response = gd.post(start["Location"], {"kind": "exposure", "title": "恶意拖欠设备款案"})
    case = TypicalCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/typical-cases/{case.pk}/"
    assert case.text.startswith(
        "某中小企业（统一社会信用代码[统一社会信用代码]）于2025年3月与某单位"
    )
    assert CONTACT_NAME not in case.text and "联系人某某，电话[电话]" in case.text
    # The drafter has no decision to take: no forms but the edit.
    page = gd.get(f"/typical-cases/{case.pk}/").content.decode()
    assert 'data-testid="typical-case-edit-form"' in page
    assert 'data-testid="typical-case-review-form"' not in page
    assert act(gd, case, "review").status_code == 403
    # The reviewer sees what masking changed, against the complaint's own words.
    sup = signed_in(reviewer)
    page = sup.get(f"/typical-cases/{case.pk}/").content.decode()
    assert f"<del>{CONTACT_NAME}</del>" in page and "<ins>某某</ins>" in page
    assert act(sup, case, "review").status_code == 302
    case.refresh_from_db()
    national = signed_in(approver)
    assert act(national, case, "approve", name_debtor="on").status_code == 302
    case.refresh_from_db()
    assert act(national, case, "publish").status_code == 302
    case.refresh_from_db()
    assert case.state == State.PUBLISHED and case.name_debtor
    public = Client().get(f"/public/cases/{case.pk}/").content.decode()
    assert "恶意拖欠设备款案" in public and closed_complaint.debtor.name in public
    assert CONTACT_NAME not in public and closed_complaint.complainant.name not in public


@pytest.mark.django_db
def test_a_form_error_and_a_conflict(typical_case, reviewer):
    client = signed_in(reviewer)
    response = act(client, typical_case, "return", note="")
    assert response.status_code == 403  # a draft is not returned: nothing to decide yet
    act(client, typical_case, "review")
    typical_case.refresh_from_db()
    response = act(client, typical_case, "return", note="")
    assert (
        response.status_code == 400
        and 'data-testid="typical-case-return-form"' in response.content.decode()
    )
    stale = act(client, typical_case, "approve", version=0)  # the draft's version, now stale
    assert stale.status_code == 302
    typical_case.refresh_from_db()
    assert typical_case.state == State.REVIEWED


@pytest.mark.django_db
def test_who_reaches_the_officials_pages(client, typical_case, user):
    assert client.get("/typical-cases/").status_code == 302  # to the sign-in
    for username in ("sme-demo", "gd-handler", "debtor-demo"):
        assert signed_in(user(username)).get("/typical-cases/").status_code == 403
    assert signed_in(user("js-intake")).get(f"/typical-cases/{typical_case.pk}/").status_code == 404
    missing = signed_in(user("gd-intake")).get("/typical-cases/new/", {"tracking_number": "QQ-0"})
    assert missing.status_code == 400


@pytest.fixture
def public_cases(closed_complaint, drafter, reviewer, approver):
    """One exposure published naming the debtor, one good practice withdrawn, one
    approved but not published, one still a draft."""

    def through(kind, title, steps, name_debtor=False):
        case = services.typical_case_draft(
            actor=drafter, complaint=closed_complaint, kind=kind, title=title
        )
        if "review" in steps:
            case = services.typical_case_review(actor=reviewer, case=case)
        if "approve" in steps:
            case = services.typical_case_approve(actor=approver, case=case, name_debtor=name_debtor)
        if "publish" in steps:
            case = services.typical_case_publish(actor=approver, case=case)
        if "withdraw" in steps:
            case = services.typical_case_withdraw(actor=approver, case=case, note="已更正，撤回。")
        return case

    everything = ["review", "approve", "publish"]
    return {
        "exposed": through("exposure", "曝光案例", everything, name_debtor=True),
        "withdrawn": through("good_practice", "正面案例", [*everything, "withdraw"]),
        "approved": through("exposure", "已批准未发布", ["review", "approve"]),
        "drafted": through("exposure", "草稿案例", []),
    }


@pytest.mark.django_db
def test_the_public_list_marks_each_kind(client, public_cases):
    page = client.get("/public/cases/").content.decode()
    with translation.override("zh-hans"):
        exposed, good = gettext("Exposed"), gettext("Good practice")
    assert re.search(rf'data-kind="exposure" data-state="published">\s*<span[^>]*>{exposed}<', page)
    assert re.search(
        rf'data-kind="good_practice" data-state="withdrawn">\s*<span[^>]*>{good}<', page
    )
    assert "已批准未发布" not in page and "草稿案例" not in page
    only = client.get("/public/cases/", {"kind": "good_practice"}).content.decode()
    assert "正面案例" in only and "曝光案例" not in only
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/public/cases/").content.decode()
    assert "Typical cases" in english and ">Good practice</span>" in english


@pytest.mark.django_db
def test_a_withdrawn_case_shows_its_note_not_its_text(client, public_cases):
    withdrawn = public_cases["withdrawn"]
    page = client.get(f"/public/cases/{withdrawn.pk}/").content.decode()
    assert "已更正，撤回。" in page and 'data-testid="typical-case-withdrawn"' in page
    assert withdrawn.published_text not in page
    for case in (public_cases["approved"], public_cases["drafted"]):
        assert client.get(f"/public/cases/{case.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_feed(client, public_cases, closed_complaint):
    response = client.get("/public/cases/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/atom+xml"
    )
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    with translation.override("zh-hans"):
        exposure, good = kind_label("exposure"), kind_label("good_practice")
    summaries = {
        entry.find(f"{ATOM}title").text: entry.find(f"{ATOM}summary").text for entry in entries
    }
    assert set(summaries) == {f"[{exposure}] 曝光案例", f"[{good}] 正面案例"}
    assert "已更正，撤回。" in summaries[f"[{good}] 正面案例"]
    assert public_cases["exposed"].published_text.splitlines()[0] in unescape(
        summaries[f"[{exposure}] 曝光案例"]
    )
    body = response.content.decode()
    assert closed_complaint.complainant.name not in body and CONTACT_NAME not in body
    assert "已批准未发布" not in body
