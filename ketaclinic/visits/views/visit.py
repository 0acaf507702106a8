"""The day's board, checking a patient in, and the chair-side visit page with its live part and chart."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.patients.access import get_patient_for_user
from ketaclinic.patients.services import record_chart_opened
from ketaclinic.visits import chart, forms, queries
from ketaclinic.visits.access import get_visit_for_user
from ketaclinic.visits.services import checkin
from ketaclinic.visits.views.common import live_context, permissions, render_visit, run, visit_url


@staff_required
@require_GET
def board(request):
    """Every visit at the active clinic today, with what is due; the rows refresh themselves."""
    clinic = request.clinic
    access.require(request.user, Perm.CLINICAL_VIEW, clinic.pk)
    visits = list(queries.todays_visits(clinic))
    rows = [(v, queries.floor_notes(v, clinic.tz)) for v in visits]
    template = "visits/_board_rows.html" if request.htmx else "visits/board.html"
    return render(request, template, {"rows": rows, "tz": clinic.tz, "clinic": clinic})


@staff_required
@require_POST
def check_in(request, patient_id: int):
    patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_RECORD)
    form = forms.CheckInForm(request.POST)
    if form.is_valid():
        try:
            visit = checkin.check_in(patient, route=form.cleaned_data["route"], chair=form.cleaned_data["chair"],
                                     acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{patient.display_name} is checked in.")
            return redirect(visit_url(visit))
    else:
        messages.error(request, "Choose IV ketamine or esketamine.")
    return redirect("patients:chart", patient_id=patient.pk)


@staff_required
@require_GET
def detail(request, visit_id: int):
    visit = get_visit_for_user(request.user, visit_id)
    record_chart_opened(visit.patient, acting_user=request.user, via=f"visit #{visit.pk}")
    return render_visit(request, visit)


@staff_required
@require_GET
def live(request, visit_id: int):
    """The polled part of the visit page. Not audited per poll: opening the page is."""
    visit = get_visit_for_user(request.user, visit_id)
    context = {"visit": visit, "tz": visit.clinic.tz, **permissions(request.user, visit), **live_context(visit)}
    return render(request, "visits/_live.html", context)


@staff_required
@require_GET
def chart_svg(request, visit_id: int):
    visit = get_visit_for_user(request.user, visit_id)
    svg = chart.render_svg(visit, list(visit.readings.all()), list(visit.cadss_scores.all()), list(visit.events.all()))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_http_methods(["POST"])
def cancel(request, visit_id: int):
    visit = get_visit_for_user(request.user, visit_id, Perm.CLINICAL_RECORD)
    return run(request, visit, "cancel", forms.ReasonForm(request.POST),
               lambda d: checkin.cancel_visit(visit, reason=d["reason"], acting_user=request.user), done="Visit cancelled.")
