"""The complaints an organisation still has to accept or handle, counted and
moved for accounts' deactivation and transfer tool (accounts.open_work)."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.accounts import open_work
from qingqian.accounts.models import Organisation
from qingqian.complaints.models import OPEN_STATES, Complaint, ComplaintEvent, Deadline

# The action a transfer of a unit's work leaves in each complaint's history.
REASSIGN = "reassign"
RUNNING = (Deadline.Status.OPEN, Deadline.Status.PAUSED)


def _open(**unit) -> QuerySet[Complaint]:
    return Complaint.objects.filter(state__in=OPEN_STATES, **unit)


def _count_accepting(organisations) -> int:
    return _open(accepting_authority__in=organisations).count()


def _count_handling(organisations) -> int:
    return _open(handling_department__in=organisations).count()


def _refuse_accepting(source, target) -> str | None:
    if not target.accepts_complaints:
        return _(
            "Complaints awaiting their accepting authority go to the national or a "
            "provincial authority only."
        )
    return None


def _refuse_handling(source, target) -> str | None:
    if target.kind != Organisation.Kind.HANDLING_DEPARTMENT:
        return _("Complaints in handling go to a handling department only.")
    return None


def _transfer_accepting(*, actor, source, target) -> int:
    complaints = _open(accepting_authority=source)
    # The accepting province is the complaints' scope key: it follows the authority.
    return _transfer(
        actor,
        complaints,
        source,
        target,
        accepting_authority=target,
        province_code=target.region_code,
    )


def _transfer_handling(*, actor, source, target) -> int:
    return _transfer(
        actor, _open(handling_department=source), source, target, handling_department=target
    )


def _transfer(actor, complaints, source, target, **fields) -> int:
    """Bulk updates of the complaints and of the clocks the source had to meet,
    and one history line per complaint saying who holds it now."""
    ids = list(complaints.values_list("pk", flat=True))
    Complaint.objects.filter(pk__in=ids).update(version=F("version") + 1, **fields)
    Deadline.objects.filter(complaint__in=ids, organisation=source, status__in=RUNNING).update(
        organisation=target
    )
    today = timezone.localdate()
    details = {"from": source.pk, "from_name": source.name, "to": target.pk, "to_name": target.name}
    now = Complaint.objects.filter(pk__in=ids).values_list("pk", "state", "handling_department")
    ComplaintEvent.objects.bulk_create(
        [
            ComplaintEvent(
                complaint_id=pk,
                actor=actor,
                action=REASSIGN,
                day=today,
                department_id=department,
                from_state=state,
                to_state=state,
                details=details,
            )
            for pk, state, department in now
        ],
        batch_size=1000,
    )
    return len(ids)


def register() -> None:
    open_work.register(
        "complaints_accepting",
        label=gettext_lazy("complaints awaiting their accepting authority"),
        model="complaints.complaint",
        count=_count_accepting,
        transfer=_transfer_accepting,
        refusal=_refuse_accepting,
    )
    open_work.register(
        "complaints_handling",
        label=gettext_lazy("complaints in handling"),
        model="complaints.complaint",
        count=_count_handling,
        transfer=_transfer_handling,
        refusal=_refuse_handling,
    )
