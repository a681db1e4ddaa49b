"""The demo's supervision cases: opened through the services, visible to Guangdong."""

from qingqian.demo_supervision import seed_demo_supervision, seed_demo_target
from qingqian.supervision.cases.selectors import case_list
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
