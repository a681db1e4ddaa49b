"""Legal aid in the browser: an SME of Guangzhou asks for legal aid, the legal
service of the province accepts it, sets an online appointment and records the
outcome; the SME rates the help."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from qingqian.services.models import AidRequest
from tests.e2e.test_accessibility import at_every_width, readable


def accessible(page, where):
    violations = at_every_width(page, where)
    assert not violations, readable(violations)


def test_an_sme_asks_and_the_legal_service_answers(page_for, site):
    page = page_for("sme-demo")
    page.goto(f"{site}/services/legal-aid/")
    page.get_by_test_id("legalaid-new").click()
    accessible(page, "new request")
    page.locator("input[name=kind][value=aid]").check()
    page.locator("select[name=topic]").select_option("interest")
    page.locator("[name=description]").fill("货款逾期九十日，如何主张逾期利息？")
    page.locator("select[name=region_code]").select_option("440100")
    page.locator("input[name=urgency][value=urgent]").check()
    page.locator("form[data-testid=aid-request-form] button[type=submit]").click()
    expect(page.get_by_test_id("aid-state")).to_have_attribute("data-state", "requested")
    expect(page.get_by_test_id("aid-provider")).to_contain_text("法律服务中心")
    aid = AidRequest.objects.get(description="货款逾期九十日，如何主张逾期利息？")

    adviser = page_for("gd-legal")
    adviser.goto(f"{site}/services/legal-aid/")
    accessible(adviser, "queue")
    adviser.locator(f'a[href="/services/legal-aid/{aid.pk}/"]').click()
    accessible(adviser, "request with its steps")
    adviser.get_by_test_id("step-accept").locator("button").click()
    expect(adviser.get_by_test_id("aid-state")).to_have_attribute("data-state", "accepted")
    at = timezone.localtime() + timedelta(days=2)
    appointment = adviser.get_by_test_id("step-appointment")
    appointment.locator("[name=at]").fill(at.strftime("%Y-%m-%dT10:00"))
    appointment.locator("input[name=place][value=online]").check()
    appointment.locator("[name=note]").fill("线上会议，会议号 123 456 789")
    appointment.locator("button").click()
    expect(adviser.get_by_test_id("aid-appointment")).to_contain_text(at.strftime("%Y-%m-%d 10:00"))
    adviser.get_by_test_id("step-outcome").locator("[name=outcome]").fill(
        "已解答：逾期利息按合同约定；未约定的，按每日万分之五计算。"
    )
    adviser.get_by_test_id("step-outcome").locator("button").click()
    expect(adviser.get_by_test_id("aid-state")).to_have_attribute("data-state", "completed")

    page.reload()
    accessible(page, "rating")
    rate = page.get_by_test_id("step-rate")
    rate.locator("input[name=rating][value='5']").check()
    rate.locator("[name=comment]").fill("解答清楚及时。")
    rate.locator("button").click()
    expect(page.get_by_test_id("aid-rating")).to_contain_text("5 / 5")
    aid.refresh_from_db()
    assert (aid.state, aid.rating, aid.appointment_place) == ("completed", 5, "online")
