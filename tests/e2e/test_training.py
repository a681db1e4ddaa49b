"""Training in the browser: a visitor finds the nearly full demo event on the public
list, is asked to sign in to register, signs in as an SME, takes the last seat and
downloads the calendar file; the event page then says no seat is left. An
organiser drafts an event with the browser's date-and-time pickers (Beijing time),
publishes it, and the public list shows it. axe finds nothing on these pages."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from qingqian.accounts.models import User
from qingqian.services.models import TrainingEvent, TrainingRegistration
from qingqian.services.training.demo import EVENTS
from tests.e2e.test_accessibility import axe_violations, readable

NEARLY_FULL = EVENTS[0][0]


def test_a_visitor_finds_an_event_signs_in_registers_and_downloads_the_ics(browser, site, shoot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{site}/public/training/")
    page.get_by_test_id("training-provinces").get_by_role("link", name="广东省").click()
    events = page.get_by_test_id("training-events")
    expect(events).to_contain_text(NEARLY_FULL)
    assert axe_violations(page, "training list") == [], readable(
        axe_violations(page, "training list")
    )
    events.get_by_role("link", name=NEARLY_FULL).click()
    expect(page.get_by_test_id("training-seats-left")).to_contain_text("1")
    shoot(page, "training-1-event", guide=False)
    page.get_by_test_id("training-sign-in").click()
    page.get_by_label("用户名").fill("sme-demo")
    page.get_by_label("密码").fill("demo-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEARLY_FULL)
    page.get_by_test_id("training-register").click()
    expect(page.get_by_test_id("training-my-registration")).to_have_attribute(
        "data-state", "registered"
    )
    expect(page.get_by_test_id("training-seats-left")).to_contain_text("0")
    shoot(page, "training-event")
    violations = axe_violations(page, "training event")
    assert violations == [], readable(violations)
    with page.expect_download() as download_info:
        page.get_by_test_id("training-ics").click()
    calendar = Calendar.from_ical(download_info.value.path().read_bytes())
    (entry,) = calendar.walk("VEVENT")
    event = TrainingEvent.objects.get(title=NEARLY_FULL)
    assert str(entry["summary"]) == NEARLY_FULL
    assert entry.decoded("dtstart") == event.starts_at
    registration = TrainingRegistration.objects.get(event=event, user__username="sme-demo")
    assert registration.state == TrainingRegistration.State.REGISTERED
    assert registration.enterprise == User.objects.get(username="sme-demo").enterprise
    context.close()


def test_an_organiser_drafts_publishes_and_the_public_sees_it(page_for, site):
    page = page_for("gd-intake")
    page.goto(f"{site}/services/training/")
    page.get_by_test_id("training-event-new").click()
    starts = timezone.localtime() + timedelta(days=30)
    form = page.get_by_test_id("training-event-form")
    form.locator("[name=title]").fill("中小企业合同付款条款培训")
    form.locator("[name=topic]").select_option("payment_terms")
    form.locator("[name=starts_at]").fill(starts.strftime("%Y-%m-%dT09:00"))
    form.locator("[name=ends_at]").fill(starts.strftime("%Y-%m-%dT11:30"))
    closes = starts - timedelta(days=3)
    form.locator("[name=registration_closes_at]").fill(closes.strftime("%Y-%m-%dT18:00"))
    form.locator("[name=capacity]").fill("50")
    form.get_by_role("button").click()
    expect(page.get_by_role("alert").first).to_be_visible()  # neither place nor link
    page.locator("[name=place]").fill("深圳市福田区某会议中心")
    page.get_by_test_id("training-event-form").get_by_role("button").click()
    expect(page.get_by_test_id("training-event-state")).to_have_attribute("data-state", "draft")
    violations = axe_violations(page, "organiser's event")
    assert violations == [], readable(violations)
    page.get_by_test_id("training-publish").click()
    expect(page.get_by_test_id("training-event-state")).to_have_attribute("data-state", "published")
    event = TrainingEvent.objects.get(title="中小企业合同付款条款培训")
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "09:00"
    assert event.province_code == "440000"
    page.goto(f"{site}/public/training/")
    expect(page.get_by_test_id("training-events")).to_contain_text("中小企业合同付款条款培训")
