"""The services for SMEs in one place: what the signed-in person may use here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from qingqian.accounts.permissions import Perm, has_perm


@login_required
def services_home(request):
    user = request.user
    may = {
        "confirmations": any(
            has_perm(user, perm)
            for perm in (
                Perm.CONFIRMATION_REQUEST,
                Perm.CONFIRMATION_ANSWER,
                Perm.CONFIRMATION_OVERSEE,
            )
        ),
        "legal_aid": any(
            has_perm(user, perm)
            for perm in (Perm.LEGAL_AID_REQUEST, Perm.LEGAL_AID_PROVIDE, Perm.LEGAL_AID_OVERSEE)
        ),
        "legal_aid_coverage": has_perm(user, Perm.ORGANISATION_MANAGE),
        "library_edit": has_perm(user, Perm.LIBRARY_EDIT),
        "letters": has_perm(user, Perm.DEMAND_LETTER_WRITE),
        "training": any(
            has_perm(user, perm) for perm in (Perm.TRAINING_REGISTER, Perm.TRAINING_MANAGE)
        ),
    }
    return render(request, "services/home.html", {"may": may})
