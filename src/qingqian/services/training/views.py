"""The signed-in pages of training: an SME user's registrations, an organiser's events
(create, edit, publish, cancel, materials, the registrations with attendance and
their CSV). Reads through `selectors` (out of scope is a 404), writes through
`services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.exports import csv_response
from qingqian.core.forms import apply_validation_error
from qingqian.services.models import TrainingEvent
from qingqian.services.training import forms, selectors, services
from qingqian.services.training.transitions import EVENT_TRANSITIONS

EXPORT_COLUMNS = [
    ("enterprise_name", gettext_lazy("enterprise")),
    ("uscc", gettext_lazy("unified social credit code")),
    ("person", gettext_lazy("registered by")),
    ("email", gettext_lazy("e-mail")),
    ("state_label", gettext_lazy("state")),
    ("created_at", gettext_lazy("registered at")),
]


def _require_organiser(request) -> None:
    if not has_perm(request.user, Perm.TRAINING_MANAGE):
        raise PermissionDenied


@login_required
def home(request):
    """What the person has to do with training: their registrations, and the events
    they organise."""
    may_register = has_perm(request.user, Perm.TRAINING_REGISTER)
    may_organise = selectors.may_organise(request.user)
    if not (may_register or may_organise):
        raise PermissionDenied
    registrations = list(selectors.my_registrations(actor=request.user)[:200])
    for registration in registrations:
        registration.position = selectors.waitlist_position(registration)
    return render(
        request,
        "services/training/home.html",
        {
            "registrations": registrations,
            "may_register": may_register,
            "may_organise": may_organise,
            "may_create": selectors.organisers_for(request.user).exists(),
            "events": selectors.event_list(actor=request.user).order_by("-starts_at")[:200],
        },
    )


@login_required
def event_new(request):
    _require_organiser(request)
    form = forms.EventForm(request.POST or None, auto_id="event_%s")
    if request.method == "POST" and form.is_valid():
        try:
            event = services.training_event_save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The event is saved as a draft."))
            return redirect("training:event", pk=event.pk)
    status = 400 if form.is_bound else 200
    return render(request, "services/training/event_form.html", {"form": form}, status=status)


@login_required
def event_detail(request, pk):
    _require_organiser(request)
    event = selectors.event_get(actor=request.user, pk=pk)
    return render(request, "services/training/event.html", _event_context(event))


def _event_context(event: TrainingEvent, **bound) -> dict:
    actions = EVENT_TRANSITIONS.actions_from(event.state)
    return {
        "event": event,
        "registrations": selectors.registrations_of(event),
        "materials": selectors.public_materials(event),
        "may_edit": "edit" in actions,
        "may_publish": "publish" in actions,
        "may_cancel": "cancel" in actions,
        "may_add_material": "add_material" in actions,
        # Attendance is recorded once the event has started (the service's rule).
        "may_record": "record_attendance" in actions and timezone.now() >= event.starts_at,
        "form": bound.get("form")
        or forms.EventForm(initial=forms.EventForm.initial_of(event), auto_id="event_%s"),
        "cancel_form": bound.get("cancel_form") or forms.CancelForm(auto_id="cancel_%s"),
        "material_form": bound.get("material_form") or forms.MaterialForm(auto_id="material_%s"),
        "publish_errors": bound.get("publish_errors", []),
    }


def _rerender(request, event, **bound):
    event = selectors.event_get(actor=request.user, pk=event.pk)
    context = _event_context(event, **bound)
    return render(request, "services/training/event.html", context, status=400)


@require_POST
@login_required
def event_edit(request, pk):
    saved = _("The event is saved.")
    return _event_form_step(request, pk, forms.EventForm, services.training_event_save, saved)


@require_POST
@login_required
def event_publish(request, pk):
    _require_organiser(request)
    event = selectors.event_get(actor=request.user, pk=pk)
    try:
        services.training_event_publish(actor=request.user, event=event)
    except ValidationError as error:
        return _rerender(request, event, publish_errors=error.messages)
    messages.success(request, _("The event is published on the public site."))
    return redirect("training:event", pk=event.pk)


@require_POST
@login_required
def event_cancel(request, pk):
    told = _("The event is cancelled; those registered are told.")
    return _event_form_step(request, pk, forms.CancelForm, services.training_event_cancel, told)


def _event_form_step(request, pk, form_class, service, done: str):
    """An organiser's form on the event page: the service, then the event page
    again with its message, or the form with its refusals."""
    _require_organiser(request)
    event = selectors.event_get(actor=request.user, pk=pk)
    prefix, context_key = FORM_PLACES[form_class]
    form = form_class(request.POST, auto_id=f"{prefix}_%s")
    if form.is_valid():
        try:
            service(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, done)
            return redirect("training:event", pk=event.pk)
    return _rerender(request, event, **{context_key: form})


# Each organiser form's id prefix and its name in the event page's context.
FORM_PLACES = {forms.EventForm: ("event", "form"), forms.CancelForm: ("cancel", "cancel_form")}


@require_POST
@login_required
def material_add(request, pk):
    _require_organiser(request)
    event = selectors.event_get(actor=request.user, pk=pk)
    form = forms.MaterialForm(request.POST, request.FILES, auto_id="material_%s")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.training_material_add(
                actor=request.user,
                event=event,
                title=form.cleaned_data["title"],
                name=upload.name if upload else "",
                data=upload.read() if upload else None,
                url=form.cleaned_data["url"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The material is added."))
            return redirect("training:event", pk=event.pk)
    return _rerender(request, event, material_form=form)


@require_POST
@login_required
def attendance_record(request, pk, registration):
    _require_organiser(request)
    event = selectors.event_get(actor=request.user, pk=pk)
    found = selectors.registration_get(actor=request.user, event=event, pk=registration)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose attended or absent."))
        return redirect("training:event", pk=event.pk)
    try:
        services.training_attendance_record(
            actor=request.user, registration=found, attended=form.cleaned_data["attended"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Attendance recorded."))
    return redirect("training:event", pk=event.pk)


@login_required
def registrations_export(request, pk):
    _require_organiser(request)
    event = selectors.event_get(actor=request.user, pk=pk)
    rows = selectors.registrations_of(event).annotate(
        enterprise_name=F("enterprise__name"),
        uscc=F("enterprise__uscc"),
        person=F("user__first_name"),
        email=F("user__email"),
    )
    return csv_response(f"training-{event.pk}-registrations.csv", _Labelled(rows), EXPORT_COLUMNS)


class _Labelled:
    """Rows with their state in words, streamed as csv_response iterates them."""

    def __init__(self, rows):
        self.rows = rows

    def iterator(self, chunk_size):
        for row in self.rows.iterator(chunk_size=chunk_size):
            row.state_label = row.get_state_display()
            yield row


# --- SME users ----------------------------------------------------------------------------


@require_POST
@login_required
def register(request, pk):
    """From the event's public page: register, then back to that page."""
    event = selectors.public_event_get(pk)
    try:
        registration = services.training_register(actor=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.state == registration.State.REGISTERED:
            messages.success(request, _("You are registered."))
        else:
            messages.success(request, _("The event is full: you are on the waiting list."))
    return redirect("training_public:detail", pk=event.pk)


@require_POST
@login_required
def registration_cancel(request, pk):
    registration = selectors.my_registration_get(actor=request.user, pk=pk)
    try:
        services.training_registration_cancel(actor=request.user, registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("training:home")
