"""The one-time link of a printed request (no sign-in): the request and the
answer form, for whoever holds the link, once, until the answer's due date.
Throttled per client address, like the sign-up, so links cannot be guessed by
trying."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from qingqian.core.client_address import client_address
from qingqian.core.forms import apply_validation_error
from qingqian.core.throttle import over_limit
from qingqian.services.confirmations import selectors, services
from qingqian.services.confirmations.forms import ANSWER_FIELDS, LinkAnswerForm
from qingqian.services.confirmations.views import renamed

LINK_VISITS_PER_HOUR = 30  # per client address: an office answering a few, not a guesser


@never_cache
def confirm_link_view(request, token: str):
    if over_limit(f"confirm-link:ip:{client_address(request)}", LINK_VISITS_PER_HOUR):
        return render(request, "services/confirmations/link_throttled.html", status=429)
    confirmation = selectors.request_for_link(token)
    if confirmation is None:
        return render(request, "services/confirmations/link_invalid.html", status=410)
    form = LinkAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirmation_answer(
                actor=None,
                request=confirmation,
                token=token,
                confirmed_fen=form.cleaned_data["confirmed"],
                disputed_fen=form.cleaned_data["disputed"] or 0,
                reason=form.cleaned_data["reason"],
                answerer_name=form.cleaned_data["answerer_name"],
            )
        except PermissionDenied:
            return render(request, "services/confirmations/link_invalid.html", status=410)
        except ValidationError as error:
            apply_validation_error(form, renamed(error, ANSWER_FIELDS))
        else:
            return render(request, "services/confirmations/link_done.html")
    context = {"confirmation": confirmation, "form": form}
    status = 400 if form.errors else 200
    return render(request, "services/confirmations/link.html", context, status=status)
