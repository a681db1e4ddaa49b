"""The editors' pages of the library (signed in, Perm.LIBRARY_EDIT): every entry,
one entry's form, its history. An entry is read through `editable_entry_get`,
so anyone without the permission gets a 404; the change goes through
`library_entry_edit`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.forms import apply_validation_error
from qingqian.services.library import forms, selectors, services


@login_required
def entry_list(request):
    if not has_perm(request.user, Perm.LIBRARY_EDIT):
        raise PermissionDenied
    entries = selectors.editable_entries(actor=request.user)
    return render(request, "services/library/edit_list.html", {"entries": entries})


@login_required
def entry_edit(request, pk: int):
    entry = selectors.editable_entry_get(actor=request.user, pk=pk)
    if request.method == "POST":
        form = forms.EntryForm(request.POST)
        if form.is_valid():
            try:
                services.library_entry_edit(actor=request.user, entry=entry, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The entry was saved; the previous text is kept."))
                return redirect("library-entry-history", pk=entry.pk)
    else:
        form = forms.EntryForm(
            initial={
                field: getattr(entry, field)
                for field in ("heading_zh", "heading_en", "text_zh", "text_en", "version")
            }
        )
    return render(request, "services/library/edit.html", {"entry": entry, "form": form})


@login_required
def entry_history(request, pk: int):
    entry = selectors.editable_entry_get(actor=request.user, pk=pk)
    return render(
        request,
        "services/library/history.html",
        {"entry": entry, "versions": entry.versions.select_related("replaced_by")},
    )
