"""Session notes: write, sign (which locks), and amend with a signed amendment."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.visits import forms
from ketaclinic.visits.access import get_note_for_user, get_visit_for_user
from ketaclinic.visits.services import records


def _page(request, visit, *, new=None, amend=None, status=200):
    notes = list(visit.notes.select_related("author").prefetch_related("amendments__author"))
    context = {"visit": visit, "patient": visit.patient, "notes": notes, "tz": visit.clinic.tz,
               "new_form": new or forms.NoteForm(), "amend": amend or (None, None)}
    return render(request, "visits/notes.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def notes(request, visit_id: int):
    visit = get_visit_for_user(request.user, visit_id, Perm.CLINICAL_VIEW if request.method == "GET" else Perm.CLINICAL_RECORD)
    form = forms.NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            records.create_note(visit, kind=form.cleaned_data["kind"], body=form.cleaned_data["body"],
                                acting_user=request.user, sign="sign" in request.POST)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Note signed and locked." if "sign" in request.POST else "Draft saved.")
            return redirect("visits:notes", visit_id=visit.pk)
    return _page(request, visit, new=form if request.method == "POST" else None, status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def note_edit(request, note_id: int):
    note = get_note_for_user(request.user, note_id, Perm.CLINICAL_RECORD)
    form = forms.NoteEditForm(request.POST or None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        try:
            records.update_note(note, body=form.cleaned_data["body"], acting_user=request.user)
            if "sign" in request.POST:
                records.sign_note(note, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Note signed and locked." if "sign" in request.POST else "Draft saved.")
            return redirect(reverse("visits:notes", args=[note.visit_id]) + f"#note-{note.pk}")
    return render(request, "visits/note_edit.html", {"note": note, "form": form, "visit": note.visit},
                  status=422 if form.errors else 200)


@staff_required
@require_POST
def note_amend(request, note_id: int):
    note = get_note_for_user(request.user, note_id, Perm.CLINICAL_RECORD)
    form = forms.AmendForm(request.POST)
    if form.is_valid():
        try:
            records.amend_note(note, body=form.cleaned_data["body"], reason=form.cleaned_data["reason"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Signed amendment added.")
            return redirect(reverse("visits:notes", args=[note.visit_id]) + f"#note-{note.pk}")
    return _page(request, note.visit, amend=(note.pk, form), status=422)
