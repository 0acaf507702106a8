"""Small helpers that keep the billing views to a parse → access → service → render shape."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from ketaclinic.accounts import audit
from ketaclinic.core.forms import add_service_errors


def record_opened(request, object_type: str, obj, summary: str) -> None:
    """A page that shows a patient's money is a chart-like opening: it leaves an audit row."""
    audit.record(audit.Action.VIEW, actor=request.user, object_type=object_type, object_id=obj.pk,
                 clinic=obj.patient.clinic_id, patient=obj.patient_id, summary=summary)


def form_page(request, form, *, save, title: str, back_url: str, done_url=None, message: str = "Saved.",
              template: str = "billing/form.html", intro: str = "", submit: str = "Save", extra: dict | None = None):
    """Show ``form``; on a valid POST call ``save(cleaned_data)`` and redirect, else show the errors by field.

    ``done_url`` may be a callable taking what ``save`` returned (e.g. the new invoice's page).
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            target = done_url(result) if callable(done_url) else (done_url or back_url)
            return redirect(target)
    context = {"form": form, "title": title, "back_url": back_url, "intro": intro, "submit": submit, **(extra or {})}
    return render(request, template, context, status=422 if form.errors else 200)


def post_action(request, *, action, done_url: str, message: str):
    """A button that changes state (void, cancel...): run it, say what happened or why not, go back."""
    try:
        action()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect(done_url)
