"""Deadline reminders and breach escalation: each reminder exactly once, however
often the job runs; run by `qingqian reminders` and by the task worker."""

import json
from datetime import date

import pytest
from django.core import mail

from qingqian.accounts.models import Organisation, User
from qingqian.cli import main as cli
from qingqian.complaints import services, tasks
from qingqian.complaints.models import Deadline
from qingqian.core.models import AuditEvent
from qingqian.notifications.models import Notification

D = date
SUBMITTED = D(2026, 10, 12)  # review due 10 working days later: 2026-10-26 (Mon)


@pytest.fixture
def emails(db):
    """Give the officials of the example an e-mail address (the demo accounts have none)."""
    for username in ["gd-intake", "gd-handler", "supervisor", "miit-intake"]:
        User.objects.filter(username=username).update(email=f"{username}@example.cn")


@pytest.fixture
def submitted(draft, user, emails):
    return services.complaint_submit(actor=user("sme-demo"), complaint=draft(), on=SUBMITTED)


def run(on, capture):
    with capture(execute=True):
        return tasks.send_deadline_reminders(on=on)


def keys(username):
    return sorted(
        Notification.objects.filter(recipient__username=username).values_list(
            "dedup_key", flat=True
        )
    )


@pytest.mark.django_db
def test_each_reminder_is_sent_exactly_once(submitted, django_capture_on_commit_callbacks):
    review = submitted.deadlines.get(stage="review")
    assert review.due_on == D(2026, 10, 26)
    capture = django_capture_on_commit_callbacks

    assert run(D(2026, 10, 21), capture).notifications == 0  # three working days left
    first = run(D(2026, 10, 22), capture)  # 10-23 and 10-26 left: due soon
    assert (first.due_soon, first.breached, first.notifications) == (1, 0, 1)
    for _again in range(2):
        assert run(D(2026, 10, 22), capture).notifications == 0
    assert run(D(2026, 10, 26), capture).notifications == 0  # due today: already reminded
    assert keys("gd-intake") == [f"deadline:{review.pk}:due-soon:2026-10-26"]
    assert [m.to for m in mail.outbox] == [["gd-intake@example.cn"]]
    assert "2026-10-26" in mail.outbox[0].body
    assert f"/complaints/{submitted.pk}/" in mail.outbox[0].body

    breach = run(D(2026, 10, 27), capture)
    assert (breach.due_soon, breach.breached, breach.notifications) == (0, 1, 2)
    assert run(D(2026, 10, 27), capture).notifications == 0
    assert run(D(2026, 10, 30), capture).notifications == 0
    assert keys("gd-intake") == [
        f"deadline:{review.pk}:breached:2026-10-26",
        f"deadline:{review.pk}:due-soon:2026-10-26",
    ]
    # Escalated to the supervising level (the national authority, Guangdong's parent).
    assert keys("supervisor") == [f"deadline:{review.pk}:breached:2026-10-26"]
    assert Notification.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "gd-intake@example.cn",
        "gd-intake@example.cn",
        "supervisor@example.cn",
    ]
    assert list(tasks.breached_deadlines(D(2026, 10, 27))) == [review]
    runs = AuditEvent.objects.filter(verb="deadlines.remind")
    assert [e.payload["notifications"] for e in runs] == [1, 2]  # no event for empty runs


@pytest.mark.django_db
def test_handling_reminders_go_to_the_handlers(
    draft, user, emails, django_capture_on_commit_callbacks
):
    complaint = services.complaint_submit(actor=user("sme-demo"), complaint=draft(), on=SUBMITTED)
    complaint = services.complaint_accept(
        actor=user("gd-intake"), complaint=complaint, on=D(2026, 10, 13)
    )
    complaint = services.complaint_transfer(
        actor=user("gd-intake"),
        complaint=complaint,
        department=Organisation.objects.get(name="广东省财政厅"),
        on=D(2026, 10, 14),
    )
    handling = complaint.deadlines.get(stage="handling")
    assert handling.due_on == D(2026, 11, 13)  # 30 days, a Friday
    report = run(D(2026, 11, 11), django_capture_on_commit_callbacks)
    assert report.notifications == 1
    assert keys("gd-handler") == [f"deadline:{handling.pk}:due-soon:2026-11-13"]
    assert keys("gd-intake") == []  # their clocks (review, transfer) ended on time


@pytest.mark.django_db
def test_a_paused_clock_and_an_ended_one_earn_no_reminder(
    submitted, user, django_capture_on_commit_callbacks
):
    services.complaint_request_material(
        actor=user("gd-intake"), complaint=submitted, note="请补充合同。", on=D(2026, 10, 13)
    )
    assert run(D(2026, 10, 27), django_capture_on_commit_callbacks).notifications == 0
    assert submitted.deadlines.get().status == Deadline.Status.PAUSED
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_reminders_command_runs_the_job_once(submitted, capsys):
    assert cli(["reminders", "--on", "2026-10-27", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["breached"], report["notifications"]) == (1, 2)
    # The supervision jobs run too: September's, Q3's and 2025's reports for the
    # 31 provincial authorities (Hong Kong, Macao and Taiwan have none: DOMAIN §7a).
    assert report["reports_generated"] == 3 * 31
    assert report["ledger_snapshot_rows"] == 0  # no ledger items in this database
    assert report["listings_expired"] == 0 and report["referral_reminders"] == 0
    assert cli(["reminders", "--on", "2026-10-27"]) == 0
    out = capsys.readouterr().out
    assert "0 notifications" in out and "0 reports generated" in out
    assert cli(["reminders", "--on", "27.10.2026"]) == 2


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_reminder_task(seeded_live_db, draft, user, run_worker, mailoutbox):
    User.objects.filter(username="gd-intake").update(email="gd-intake@example.cn")
    services.complaint_submit(actor=user("sme-demo"), complaint=draft(), on=SUBMITTED)
    run_worker()  # delivers the submission's notifications
    before = Notification.objects.count()
    results = []
    for _twice in range(2):
        results.append(tasks.send_deadline_reminders_task.enqueue("2026-10-22"))
        run_worker()
    for result in results:
        result.refresh()
    assert [r.status for r in results] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert [r.return_value["notifications"] for r in results] == [1, 0]
    assert Notification.objects.count() == before + 1
    assert [m.subject for m in mailoutbox].count(
        Notification.objects.get(dedup_key__contains="due-soon").subject
    ) == 1
