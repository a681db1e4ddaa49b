"""The open supervision cases whose subject is a handling department, counted
and moved for accounts' deactivation and transfer tool (accounts.open_work):
the department must report progress until the case is lifted or concluded."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.accounts import open_work
from qingqian.accounts.models import Organisation
from qingqian.supervision.models import CaseEvent, SupervisionCase

# The action a transfer leaves in each case's history.
REASSIGN = "reassigned"


def _open(organisations) -> QuerySet[SupervisionCase]:
    return SupervisionCase.objects.filter(
        state=SupervisionCase.State.OPEN, department__in=organisations
    )


def _count(organisations) -> int:
    return _open(organisations).count()


def _refusal(source, target) -> str | None:
    if target.kind != Organisation.Kind.HANDLING_DEPARTMENT:
        return _("Supervision cases of a department go to a handling department only.")
    return None


def _transfer(*, actor, source, target) -> int:
    ids = list(_open([source]).values_list("pk", flat=True))
    SupervisionCase.objects.filter(pk__in=ids).update(department=target, version=F("version") + 1)
    text = f"{source.name} → {target.name}"
    CaseEvent.objects.bulk_create(
        [CaseEvent(case_id=pk, actor=actor, action=REASSIGN, text=text) for pk in ids],
        batch_size=1000,
    )
    return len(ids)


def register() -> None:
    open_work.register(
        "supervision_cases",
        label=gettext_lazy("open supervision cases of the department"),
        model="supervision.supervisioncase",
        count=_count,
        transfer=_transfer,
        refusal=_refusal,
    )
