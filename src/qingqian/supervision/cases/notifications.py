"""What the people concerned by a supervision case are told, once its change is committed."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qingqian.supervision.models import SupervisionCase

Subject = SupervisionCase.Subject
CaseState = SupervisionCase.State


def subject_label(case: SupervisionCase) -> str:
    if case.subject == Subject.DEPARTMENT and case.department_id:
        return case.department.name
    if case.subject == Subject.DEBTOR and case.debtor_id:
        return case.debtor.name
    from qingqian.core.region_selectors import region_name

    return region_name(case.region_code) or case.region_code


NOTIFY_TEXT = {
    "opened": (
        gettext_noop("Supervision case opened: %(title)s"),
        gettext_noop(
            "A supervision case (%(kind)s) concerning %(subject)s was opened. Report progress "
            "by %(due)s."
        ),
    ),
    "progress": (
        gettext_noop("Progress reported: %(title)s"),
        gettext_noop(
            "The supervised organisation reported progress on the case concerning %(subject)s."
        ),
    ),
    "interview": (
        gettext_noop("Interview recorded: %(title)s"),
        gettext_noop(
            "The minutes and commitments of the interview concerning %(subject)s were recorded."
        ),
    ),
    CaseState.LIFTED: (
        gettext_noop("Listed supervision lifted: %(title)s"),
        gettext_noop("The listed supervision concerning %(subject)s was lifted."),
    ),
    CaseState.CONCLUDED: (
        gettext_noop("Interview case concluded: %(title)s"),
        gettext_noop("The interview case concerning %(subject)s was concluded."),
    ),
}


def notify_texts(case: SupervisionCase, what: str) -> tuple[str, str]:
    values = {
        "title": case.title,
        "kind": case.get_kind_display(),
        "subject": subject_label(case),
        "due": case.due_on.isoformat(),
    }
    subject, body = NOTIFY_TEXT[what]
    return _(subject) % values, _(body) % values


def notify_on_commit(case: SupervisionCase, what: str, recipients, actor) -> None:
    """Tell the people concerned once the change is committed (each once per case,
    what and version), never the person who acted."""
    actor_id = getattr(actor, "pk", None)
    key = f"supervision-case:{case.pk}:{what}:{case.version}"
    url = reverse("supervision:case", args=[case.pk])

    def send():
        from qingqian.notifications.services import notify

        with translation.override(settings.LANGUAGE_CODE):
            subject, body = notify_texts(case, what)
            for user in recipients():
                if user is None or user.pk == actor_id or not user.is_active:
                    continue
                notify(recipient=user, dedup_key=key, subject=subject, body=body, url=url)

    transaction.on_commit(send, robust=True)
