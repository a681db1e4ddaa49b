"""The demo's supervision cases: opened through the services, visible to Guangdong."""

from qingqian.demo_supervision import seed_demo_notice, seed_demo_supervision, seed_demo_target
from qingqian.supervision.cases.selectors import case_list, published_notices
from qingqian.supervision.targets.selectors import campaign_targets


def test_demo_cases_are_opened_once_and_seen_by_the_province(user):
    assert seed_demo_supervision() == 2
    assert seed_demo_supervision() == 0
    seen = case_list(actor=user("gd-intake"))
    assert {case.kind for case in seen} == {"listed", "interview"}
    assert seen.get(kind="listed").events.filter(action="progress").count() == 1
    assert not case_list(actor=user("js-intake")).exists()


def test_the_demo_target_is_set_once_and_followed_in_guangdong(user):
    assert seed_demo_target() == 1
    assert seed_demo_target() == 0
    assert campaign_targets(actor=user("gd-intake")).count() == 1


def test_the_demo_notice_is_approved_by_a_second_person_and_published_once(user):
    assert seed_demo_notice() == 0  # no case to cite yet
    seed_demo_supervision()
    assert seed_demo_notice() == 1
    assert seed_demo_notice() == 0
    [published] = published_notices()
    assert published["title"] == "关于广东省逾期投诉挂牌督办情况的通报（示例）"
