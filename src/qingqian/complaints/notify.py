"""Who hears about a complaint event: in-app inbox and e-mail, from a background task.

`notify_with_change` (called by every workflow service) queues
`tasks.deliver_event_notifications_task` with the action; the task calls
`deliver_event_notifications`, which decides who hears what:

* the complainant SME's users: every change of state they can see (not the
  internal review of a result: submit-result, send-back);
* intake officers of the accepting authority: submit, resubmit, return,
  submit-result, feedback, and the complainant's reopen and withdraw;
* handlers of the handling department: transfer, send-back, and the end of
  a complaint they hold (withdraw, terminate);
* debtor representatives: the transfer (they see complaints from then on).

The person who took the action is not told about it. Texts name the tracking
number, the debtor, the action and the state: never the complainant's
personal contact details, nor any note (notes may carry them), except the
material a request asks of the complainant, told to the complainant only.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.accounts.models import Role, User
from qingqian.complaints.models import ComplaintEvent, State
from qingqian.core.queue import enqueue_with_change

logger = logging.getLogger(__name__)

UNHEARD_ACTIONS = frozenset({"create-draft"})  # a draft is its author's alone
SME_SILENT_ACTIONS = frozenset({"create-draft", "submit-result", "send-back"})
INTAKE_ACTIONS = frozenset(
    {"submit", "resubmit", "return", "submit-result", "feedback", "reopen", "withdraw"}
)
HANDLER_ACTIONS = frozenset({"transfer", "send-back", "withdraw", "terminate"})
DEBTOR_ACTIONS = frozenset({"transfer"})

ACTION_TEXT = {
    "submit": gettext_lazy("submitted for review"),
    "request-material": gettext_lazy("more material requested"),
    "resubmit": gettext_lazy("material resubmitted"),
    "accept": gettext_lazy("accepted"),
    "not-accept": gettext_lazy("not accepted"),
    "transfer": gettext_lazy("transferred to a handling department"),
    "return": gettext_lazy("returned by the handling department"),
    "debtor-response": gettext_lazy("the debtor has responded"),
    "extend": gettext_lazy("handling period extended"),
    "supervision-order": gettext_lazy("supervision order issued"),
    "submit-result": gettext_lazy("result submitted for review"),
    "approve-result": gettext_lazy("result approved"),
    "send-back": gettext_lazy("result sent back for revision"),
    "feedback": gettext_lazy("feedback received"),
    "reopen": gettext_lazy("reopened on new facts"),
    "withdraw": gettext_lazy("withdrawn by the complainant"),
    "terminate": gettext_lazy("terminated"),
}


def notify_with_change(event: ComplaintEvent) -> None:
    """Queue the delivery with the action (nothing is sent for a rollback)."""
    if event.action in UNHEARD_ACTIONS:
        return
    from qingqian.complaints.tasks import deliver_event_notifications_task

    enqueue_with_change(deliver_event_notifications_task, event.pk)


def deliver_event_notifications(event_id: int) -> int:
    """Inbox message (and e-mail) for everyone who should hear of the event; returns how many.

    Idempotent: the dedup key `event:<id>` makes a second run send nothing.
    """
    from qingqian.notifications.services import notify

    event = (
        ComplaintEvent.objects.select_related(
            "complaint__debtor", "complaint__accepting_authority", "complaint__handling_department"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = event_texts(event)
    url = reverse("complaint-detail", args=[event.complaint_id])
    sent = 0
    for user in event_recipients(event):
        if notify(
            recipient=user, dedup_key=f"event:{event.pk}", subject=subject, body=body, url=url
        ):
            sent += 1
    return sent


def event_recipients(event: ComplaintEvent) -> list[User]:
    complaint, action = event.complaint, event.action
    who = Q(pk__in=[])
    if event.from_state != event.to_state and action not in SME_SILENT_ACTIONS:
        who |= Q(role=Role.SME, enterprise_id=complaint.complainant_id)
    if action in INTAKE_ACTIONS and complaint.accepting_authority_id:
        who |= Q(role=Role.INTAKE, organisation_id=complaint.accepting_authority_id)
    if action in HANDLER_ACTIONS and complaint.handling_department_id:
        who |= Q(
            role=Role.HANDLER,
            organisation__path__startswith=complaint.handling_department.path,
        )
    if action in DEBTOR_ACTIONS and complaint.debtor_id:
        who |= Q(role=Role.DEBTOR, enterprise_id=complaint.debtor_id)
    users = User.objects.filter(who, is_active=True).exclude(pk=event.actor_id)
    return list(users.order_by("pk"))


def event_texts(event: ComplaintEvent) -> tuple[str, str]:
    complaint = event.complaint
    values = {
        "number": complaint.tracking_number or str(complaint.pk),
        "what": ACTION_TEXT.get(event.action, event.action),
        "debtor": complaint.debtor.name if complaint.debtor else "",
        "state": State(event.to_state).label if event.to_state in State.values else "",
    }
    subject = _("Complaint %(number)s: %(what)s") % values
    body = (
        _(
            "Complaint %(number)s against %(debtor)s: %(what)s. Status: %(state)s. "
            "Open the record for the details."
        )
        % values
    )
    if event.action == "request-material":
        # Written for the complainant, the only one told of the request.
        body += " " + _("Material requested: %(material)s") % {"material": event.note}
    return subject, body
