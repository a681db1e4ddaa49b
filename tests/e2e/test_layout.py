"""Layout on a phone (375 px) and a desktop (1280 px): a figure never wraps
inside a number, the header stays compact, and the deadline tables keep
their last (status) column in view."""

import pytest
from playwright.sync_api import expect

from qingqian.complaints.models import Complaint
from qingqian.demo_complaints import seed_demo_complaints
from qingqian.demo_ledger import seed_demo_ledger

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}

# Each figure's text is one line box: one client rect, no taller than its line.
WRAPPED_FIGURES = """() => [...document.querySelectorAll('.figure-value')].filter((figure) => {
    const range = document.createRange();
    range.selectNodeContents(figure);
    const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    const lineHeight = parseFloat(getComputedStyle(figure).lineHeight);
    const overflows = figure.scrollWidth > figure.parentElement.clientWidth;
    return lines.size !== 1 || figure.getBoundingClientRect().height > lineHeight * 1.5
        || overflows;
}).map((figure) => figure.textContent.trim())"""


@pytest.fixture
def demo_figures(seeded_live_db, settings, tmp_path):
    """The demo's complaints and ledger: amounts in the hundreds of millions."""
    settings.MEDIA_ROOT = tmp_path
    seed_demo_complaints()
    seed_demo_ledger()


def assert_last_column_in_view(page, table, viewport):
    last = table.locator("thead th").last
    expect(last).to_be_visible()
    box = last.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box


def assert_compact_header(page, viewport):
    height = page.locator(".site-header").bounding_box()["height"]
    assert height <= viewport["height"] * 0.16, height


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_dashboard_figures_stay_on_one_line(page_for, site, shoot, demo_figures, viewport, name):
    page = page_for("supervisor")
    page.set_viewport_size(viewport)
    page.goto(f"{site}/supervision/")
    expect(page.get_by_test_id("figure-undisputed")).to_contain_text("¥")
    assert page.evaluate(WRAPPED_FIGURES) == []
    assert_last_column_in_view(page, page.get_by_test_id("on-time"), viewport)
    assert_compact_header(page, viewport)
    shoot(page, f"layout-dashboard-{name}")


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_complaint_deadlines_keep_their_status(page_for, site, shoot, demo_figures, viewport, name):
    complaint = (
        Complaint.objects.filter(province_code="440000", deadlines__isnull=False)
        .order_by("pk")
        .first()
    )
    page = page_for("gd-intake")
    page.set_viewport_size(viewport)
    page.goto(f"{site}/complaints/{complaint.pk}/")
    table = page.get_by_test_id("deadlines")
    assert_last_column_in_view(page, table, viewport)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_compact_header(page, viewport)
    shoot(page, f"layout-complaint-{name}")
