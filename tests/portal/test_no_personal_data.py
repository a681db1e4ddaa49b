"""Signed out, the public pages show none of the demo's personal data: people's
names, e-mail addresses and phones, the names and credit codes of the SMEs
(complainants and creditors), nor the contact persons of any enterprise; and no
unpublished record (a notice awaiting approval)."""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest

from qingqian.accounts.models import User
from qingqian.core import regions
from qingqian.demo_complaints import seed_demo_complaints
from qingqian.demo_disclosures import seed_demo_disclosures
from qingqian.demo_ledger import seed_demo_ledger
from qingqian.demo_portal import seed_demo_signup
from qingqian.demo_supervision import seed_demo_notice, seed_demo_supervision
from qingqian.parties.models import Enterprise
from qingqian.publication.typical_cases import services as typical_cases
from qingqian.supervision.cases.services import notice_draft
from qingqian.supervision.models import SupervisionCase
from tests.publication.findings.findings import published_finding
from tests.publication.typical_cases import complaints as typical
from tests.supervision.test_cases import GD, make_official

UNPUBLISHED = "尚未审核的通报（不得公开）"
UNPUBLISHED_CASE = "已批准尚未发布的典型案例（不得公开）"
START = (
    [
        "/",
        "/public/how-to-complain/",
        "/public/statistics/",
        "/public/notices/feed/",
        "/public/cases/feed/",
        "/public/register/?q=有限公司",  # every register entry of the demo
    ]
    + [f"/public/statistics/{province.code[:2]}/" for province in regions.provinces()]
)
LINK = re.compile(r'href="([^"#]+)"')


def personal_data() -> set[str]:
    """Every demo value no public page may show."""
    values = set()
    for user in User.objects.all():
        values |= {user.get_full_name(), user.email, user.phone}
    for enterprise in Enterprise.objects.all():
        values |= {enterprise.contact_name, enterprise.contact_phone}
    for sme in Enterprise.objects.filter(type=Enterprise.Type.SME):
        values |= {sme.name, sme.uscc}
    return {value for value in values if value and len(value) >= 3}


def typical_case_from_personal_data(draft, user):
    """A typical case published from a closed complaint full of personal data (naming
    the debtor, as the approver may), and another approved but not yet published."""
    complaint = typical.closed_complaint_with_personal_data(draft, user)
    drafter, reviewer = user("gd-intake"), make_official("gd-supervisor", GD)
    cases = []
    for title in ("拖欠设备款典型案例", UNPUBLISHED_CASE):
        case = typical_cases.typical_case_draft(
            actor=drafter, complaint=complaint, kind="exposure", title=title
        )
        case = typical_cases.typical_case_review(actor=reviewer, case=case)
        cases.append(
            typical_cases.typical_case_approve(actor=reviewer, case=case, name_debtor=True)
        )
    return typical_cases.typical_case_publish(actor=reviewer, case=cases[0])


def leaks(text: str, secrets: set[str]) -> set[str]:
    return {value for value in secrets if value in text}


def crawl(client) -> dict[str, str]:
    """Every public page reachable from START through links under /public/ (and /),
    downloads included except XLSX (a zip: its CSV twin holds the same cells)."""
    seen, queue = {}, list(START)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        if "xlsx" in response.get("Content-Disposition", ""):
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[url] = unescape(body.decode("utf-8-sig"))
        for href in LINK.findall(seen[url]):
            target = urljoin(url, unescape(href))
            parts = urlsplit(target)
            if parts.path.startswith("/public/") and "format=xlsx" not in target:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


@pytest.mark.django_db
def test_the_public_pages_show_no_personal_data(client, settings, tmp_path, draft, user, make_item):
    settings.MEDIA_ROOT = tmp_path
    seed_demo_complaints()
    seed_demo_ledger()
    seed_demo_supervision()
    seed_demo_notice()
    seed_demo_signup()
    seed_demo_disclosures()
    listed = published_finding(make_item(owed_fen=1_00))
    notice_draft(
        actor=User.objects.get(username="supervisor"),
        case=SupervisionCase.objects.get(kind="listed"),
        title=UNPUBLISHED,
        text=UNPUBLISHED,
    )
    published_case = typical_case_from_personal_data(draft, user)
    secrets = personal_data() | {UNPUBLISHED, UNPUBLISHED_CASE}
    secrets |= {typical.IDENTITY, typical.ACCOUNT, typical.EMAIL, typical.ADDRESS, typical.CONTRACT}
    assert {typical.CONTACT_NAME, typical.CONTACT_PHONE} <= secrets
    assert {"明达 李经理", "广州市明达机电设备有限公司", "国家督导员"} <= secrets
    assert {"青木 周经理", "signup-demo@example.cn", "13900139000"} <= secrets
    pages = crawl(client)
    assert any("download=months" in url for url in pages)  # the CSVs were read too
    assert "/public/statistics/44/" in pages
    assert any(url.startswith("/public/register/9") for url in pages)  # an entry's page
    assert listed.enterprise.uscc in pages["/public/listings/"]  # a listing was crawled
    assert any(re.fullmatch(r"/public/notices/\d+/", url) for url in pages)  # the demo's
    assert f"/public/cases/{published_case.pk}/" in pages
    found = {url: leaks(text, secrets) for url, text in pages.items()}
    assert not {url: values for url, values in found.items() if values}


def test_the_check_finds_a_name_a_page_would_show():
    """The crawl's own check can fail: a page showing a complainant is caught."""
    page = "<td>广州市明达机电设备有限公司</td><td>&lt;5</td>"
    assert leaks(unescape(page), {"广州市明达机电设备有限公司", "13800000000"}) == {
        "广州市明达机电设备有限公司"
    }
