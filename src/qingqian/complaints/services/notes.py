"""Internal notes: officials working on a complaint write to each other."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from qingqian.complaints import selectors, verbs
from qingqian.complaints.models import Complaint, ComplaintEvent
from qingqian.complaints.services.acting import lock, require_text, works_on
from qingqian.core import audit


@transaction.atomic
def complaint_add_internal_note(*, actor, complaint: Complaint, text: str) -> ComplaintEvent:
    """Officials working on a complaint leave notes for each other; the SME and
    the debtor never see them. Not a transition: the state does not change."""
    complaint = lock(complaint)
    if not (actor.is_official and works_on(actor, complaint)):
        raise PermissionDenied(_("You may not add notes to this complaint."))
    require_text(text, "text", _("Write the note."))
    event = ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor,
        action=selectors.INTERNAL_NOTE,
        from_state=complaint.state,
        to_state=complaint.state,
        internal_note=text.strip(),
    )
    audit.record(
        actor=actor, verb=verbs.INTERNAL_NOTE_ADDED, target=complaint, payload={"event": event.pk}
    )
    return event
