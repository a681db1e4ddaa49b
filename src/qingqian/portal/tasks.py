"""Background work of the sign-up (django-tasks): the e-mail verification link
and the province's decision. The link's token is made in the worker, so no
usable token is stored in the queue's table."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from qingqian.accounts.tasks import link_for, send_to
from qingqian.portal.models import Registration, State
from qingqian.portal.tokens import email_tokens


@task()
def send_email_link_task(user_id: int) -> bool:
    registration = Registration.objects.select_related("user").filter(user_id=user_id).first()
    if registration is None or registration.email_verified_at or not registration.user.is_active:
        return False
    user = registration.user
    with translation.override(settings.LANGUAGE_CODE):
        link = link_for("portal:signup-email", user, email_tokens.make_token(user))
        body = _(
            "You signed up on the Qingqian platform for %(enterprise)s. Confirm that this "
            "e-mail address is yours by opening this link (it works once):\n\n%(link)s\n\n"
            "If it was not you, ignore this message."
        ) % {"enterprise": registration.enterprise_name, "link": link}
        send_to(user, _("Confirm your e-mail address"), body)
    return True


@task()
def send_decision_task(registration_id: int) -> bool:
    registration = Registration.objects.select_related("user").filter(pk=registration_id).first()
    if registration is None or not registration.user.is_active:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        if registration.state == State.BOUND:
            body = _(
                "Your account now acts for %(enterprise)s: you can file complaints. "
                "Sign in at %(site)s"
            )
        else:
            body = _(
                "The business licence you sent for %(enterprise)s was not accepted: "
                "%(reason)s\n\nSend another on your account's page at %(site)s"
            )
        values = {
            "enterprise": registration.enterprise_name,
            "reason": registration.refusal_reason,
            "site": settings.QINGQIAN_BASE_URL,
        }
        send_to(registration.user, _("Your Qingqian sign-up"), body % values)
    return True
