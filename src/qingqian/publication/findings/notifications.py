"""Who is told of each step of a finding, once it is committed: the enterprise's
representatives of the officials' steps that concern them, the officials of the
enterprise's own steps. Never the person who acted."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qingqian.accounts.models import Role, User
from qingqian.publication.findings.transitions import ENTERPRISE, FINDING_TRANSITIONS
from qingqian.publication.models import Finding

# The steps the enterprise is told of (the others are the officials' own work).
ENTERPRISE_TEXTS = {
    "notify": gettext_noop(
        "Prior notice: %(enterprise)s is to be listed as dishonest (%(list)s). It may state "
        "its case until %(due)s."
    ),
    "publish": gettext_noop("%(enterprise)s is listed (%(list)s) from %(start)s to %(end)s."),
    "uphold": gettext_noop("The objection was not accepted: the listing of %(enterprise)s stands."),
    "withdraw": gettext_noop(
        "The objection was accepted: %(enterprise)s is removed from the list."
    ),
    "repair": gettext_noop("Credit repair granted: %(enterprise)s is removed from the list."),
    "refuse-repair": gettext_noop("Credit repair refused for %(enterprise)s."),
    "expire": gettext_noop("The listing period of %(enterprise)s has ended: it is removed."),
}
OFFICIAL_TEXT = gettext_noop("%(enterprise)s took a step on its finding: %(state)s.")


def notify_step(finding: Finding, action: str, actor) -> None:
    if ENTERPRISE in FINDING_TRANSITIONS[action].roles:
        recipients, text = _officials(finding), OFFICIAL_TEXT
    elif action in ENTERPRISE_TEXTS:
        recipients, text = _representatives(finding), ENTERPRISE_TEXTS[action]
    else:
        return
    actor_id = getattr(actor, "pk", None)
    key = f"finding:{finding.pk}:{action}:{finding.state}"
    url = reverse("finding-detail", args=[finding.pk])

    def send():
        from qingqian.notifications.services import notify

        with translation.override(settings.LANGUAGE_CODE):
            body = _(text) % _values(finding)
            for user in recipients:
                if user.pk != actor_id and user.is_active:
                    notify(recipient=user, dedup_key=key, subject=body[:200], body=body, url=url)

    transaction.on_commit(send, robust=True)


def _values(finding: Finding) -> dict:
    return {
        "enterprise": finding.enterprise.name,
        "list": finding.credit_list.name if finding.credit_list else "",
        "due": finding.defence_due_on.isoformat() if finding.defence_due_on else "",
        "start": finding.published_on.isoformat() if finding.published_on else "",
        "end": finding.ends_on.isoformat() if finding.ends_on else "",
        "state": finding.get_state_display(),
    }


def _representatives(finding: Finding) -> list:
    return list(User.objects.filter(role=Role.DEBTOR, enterprise_id=finding.enterprise_id))


def _officials(finding: Finding) -> list:
    ids = {finding.proposed_by_id, finding.decided_by_id} - {None}
    return list(User.objects.filter(pk__in=ids))
