"""Every edge of a statutory clock's table, allowed and forbidden, and the
clock functions refusing a move the table does not have.

The edges are written out by hand from the rules of complaints/deadlines.py:
a running clock pauses (review, while material is awaited) and resumes; it
ends met or breached; an extension moves a running clock; a frozen transfer
clock runs again when the department returns the complaint."""

import pytest
from django.utils import timezone

from qingqian.complaints import deadlines, services
from qingqian.complaints.models import Deadline
from qingqian.complaints.transitions import CLOCK_TRANSITIONS
from qingqian.core.transitions import ForbiddenTransition

Clock = Deadline.Status
EDGES = {
    (Clock.OPEN, "pause"): Clock.PAUSED,
    (Clock.PAUSED, "resume"): Clock.OPEN,
    (Clock.OPEN, "meet"): Clock.MET,
    (Clock.OPEN, "breach"): Clock.BREACHED,
    (Clock.OPEN, "extend"): Clock.OPEN,
    (Clock.PAUSED, "extend"): Clock.PAUSED,
    (Clock.MET, "reopen"): Clock.OPEN,
    (Clock.BREACHED, "reopen"): Clock.OPEN,
}
ACTIONS = {"pause", "resume", "meet", "breach", "extend", "reopen"}


def test_the_table_names_exactly_these_actions():
    assert set(CLOCK_TRANSITIONS) == ACTIONS


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("status", Clock)
def test_every_clock_edge(status, action):
    if (status, action) in EDGES:
        assert CLOCK_TRANSITIONS.next_state(status, action) == EDGES[status, action]
    else:
        assert not CLOCK_TRANSITIONS.allowed(status, action)
        with pytest.raises(ForbiddenTransition):
            CLOCK_TRANSITIONS.next_state(status, action)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "move"),
    [
        (Clock.PAUSED, lambda d: deadlines.pause(d, timezone.localdate())),
        (Clock.MET, lambda d: deadlines.pause(d, timezone.localdate())),
        (Clock.OPEN, deadlines.reopen),
        (Clock.BREACHED, lambda d: deadlines.extend_handling(d, 60)),
    ],
)
def test_the_clock_refuses_a_move_its_table_lacks_and_keeps_its_row(draft, user, status, move):
    complaint = services.complaint_submit(actor=user("sme-demo"), complaint=draft())
    deadline = complaint.deadlines.get()
    Deadline.objects.filter(pk=deadline.pk).update(status=status)
    deadline.refresh_from_db()
    with pytest.raises(ForbiddenTransition):
        move(deadline)
    deadline.refresh_from_db()
    assert deadline.status == status
