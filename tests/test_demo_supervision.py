"""The demo's supervision cases: opened through the services, visible to Guangdong."""

from qingqian.demo_supervision import seed_demo_supervision
from qingqian.supervision.cases.selectors import case_list


def test_demo_cases_are_opened_once_and_seen_by_the_province(user):
    assert seed_demo_supervision() == 2
    assert seed_demo_supervision() == 0
    seen = case_list(actor=user("gd-intake"))
    assert {case.kind for case in seen} == {"listed", "interview"}
    assert seen.get(kind="listed").events.filter(action="progress").count() == 1
    assert not case_list(actor=user("js-intake")).exists()
